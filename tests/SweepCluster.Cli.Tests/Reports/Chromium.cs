using System.Diagnostics;

namespace SweepCluster.Cli.Tests.Reports;

/// <summary>Headless Chromium, to see a report the way a reader does. CI installs it; elsewhere its tests skip without it.</summary>
public static class Chromium
{
    public const string Path = "/usr/bin/chromium";

    /// <summary>True on CI, where a missing browser is a failure rather than a reason to skip.</summary>
    public static bool OnCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static bool IsInstalled => File.Exists(Path);

    public static string MissingMessage => $"{Path} is missing (install it with: apt-get install -y chromium)";

    /// <summary>
    /// Renders a local HTML file to a PNG of the given window size, with a fresh profile and everything that
    /// would reach the network switched off. Returns the browser's output when it fails.
    /// </summary>
    public static void Screenshot(string htmlFile, string pngFile, int width, int height, string profileFolder)
    {
        var psi = new ProcessStartInfo(Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--hide-scrollbars", $"--user-data-dir={profileFolder}", $"--screenshot={pngFile}",
            $"--window-size={width},{height}", new Uri(System.IO.Path.GetFullPath(htmlFile)).AbsoluteUri,
        })
        {
            psi.ArgumentList.Add(arg);
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {Path}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"chromium did not finish the screenshot of {htmlFile} within 2 minutes");
        }

        if (process.ExitCode != 0 || !File.Exists(pngFile))
        {
            throw new InvalidOperationException($"chromium exited with {process.ExitCode} and {(File.Exists(pngFile) ? "a" : "no")} screenshot:\n{stdout.Result}\n{stderr.Result}");
        }
    }
}
