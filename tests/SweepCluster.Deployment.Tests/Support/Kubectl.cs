using System.Collections.Concurrent;
using System.Diagnostics;

namespace SweepCluster.Deployment.Tests.Support;

/// <summary>
/// Renders kustomize directories with plain <c>kubectl kustomize DIR</c>, exactly as the docs tell users to
/// (no --load-restrictor flag: cluster-config/ is a kustomize component of its own), once per directory.
/// kubectl is the one on PATH, or the file named by the KUBECTL environment variable.
/// </summary>
public static class Kubectl
{
    private static readonly Lazy<string?> Executable = new(Locate);
    private static readonly ConcurrentDictionary<string, Lazy<RenderedManifests>> Rendered = new(StringComparer.Ordinal);

    public static bool IsAvailable => Executable.Value is not null;

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public const string MissingMessage =
        "kubectl is not on PATH (nor named by KUBECTL): the deployment tests render the kustomize overlays with `kubectl kustomize`. " +
        "Install kubectl (it ships kustomize).";

    /// <summary>The rendered objects of a kustomize directory given relative to the repository root (e.g. k8s/overlays/dev-postgres).</summary>
    public static RenderedManifests Render(string directory) =>
        Rendered.GetOrAdd(directory, d => new Lazy<RenderedManifests>(() => RenderNow(d))).Value;

    private static RenderedManifests RenderNow(string directory)
    {
        string kubectl = Executable.Value ?? throw new InvalidOperationException(MissingMessage + (IsCi ? " (CI=true: the tests fail rather than skip.)" : string.Empty));
        string full = RepositoryRoot.Combine(directory);
        var start = new ProcessStartInfo(kubectl)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryRoot.Path,
        };
        foreach (string arg in new[] { "kustomize", full })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {kubectl}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(120)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubectl kustomize {directory} did not finish within 120 s");
        }

        process.WaitForExit();
        string output = stdout.GetAwaiter().GetResult();
        string errors = stderr.GetAwaiter().GetResult();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"kubectl kustomize {directory} failed (exit code {process.ExitCode}):\n{errors}");
        }

        return RenderedManifests.Parse(directory, output);
    }

    private static string? Locate()
    {
        string? named = Environment.GetEnvironmentVariable("KUBECTL");
        if (!string.IsNullOrWhiteSpace(named))
        {
            return File.Exists(named) ? named : null;
        }

        string file = OperatingSystem.IsWindows() ? "kubectl.exe" : "kubectl";
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, file);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}

/// <summary>A test that needs kubectl: skipped with a message when it is missing, except on CI (CI=true), where it runs and fails.</summary>
public sealed class KubectlTheoryAttribute : TheoryAttribute
{
    public KubectlTheoryAttribute()
    {
        if (!Kubectl.IsAvailable && !Kubectl.IsCi)
        {
            Skip = Kubectl.MissingMessage + " Skipped (set CI=true to make this a failure).";
        }
    }
}

/// <inheritdoc cref="KubectlTheoryAttribute"/>
public sealed class KubectlFactAttribute : FactAttribute
{
    public KubectlFactAttribute()
    {
        if (!Kubectl.IsAvailable && !Kubectl.IsCi)
        {
            Skip = Kubectl.MissingMessage + " Skipped (set CI=true to make this a failure).";
        }
    }
}
