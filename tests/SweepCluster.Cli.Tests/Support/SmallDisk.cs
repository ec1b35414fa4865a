using System.Diagnostics;
using System.Globalization;

namespace SweepCluster.Cli.Tests.Support;

/// <summary>
/// A real, small file system (tmpfs) that fills up like a real disk: writes fail with ENOSPC and SQLite with
/// SQLITE_FULL. Mounting needs root (or password-less sudo), as on the CI machine; elsewhere the tests that need
/// one skip, while under CI=true a machine that cannot mount fails them.
/// </summary>
public sealed class SmallDisk : IDisposable
{
    private SmallDisk(string path)
    {
        Path = path;
    }

    public string Path { get; }

    public string this[string relative] => System.IO.Path.Combine(Path, relative);

    /// <summary>A fresh tmpfs of <paramref name="kilobytes"/> KiB, or null (with the reason) where mounting is not allowed.</summary>
    public static SmallDisk? TryMount(int kilobytes, out string reason)
    {
        string path = Directory.CreateTempSubdirectory("sweep-small-disk-").FullName;
        var (code, output) = Privileged("mount", "-t", "tmpfs", "-o", Size(kilobytes), "tmpfs", path);
        if (code == 0)
        {
            reason = string.Empty;
            return new SmallDisk(path);
        }

        Directory.Delete(path);
        reason = $"cannot mount a tmpfs (needs root or password-less sudo): {output.Trim()}";
        Assert.False(string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase), "a small disk is required under CI: " + reason);
        return null;
    }

    /// <summary>Gives the file system <paramref name="kilobytes"/> KiB in all, keeping its files: space freed by the user.</summary>
    public void Grow(int kilobytes)
    {
        var (code, output) = Privileged("mount", "-o", "remount," + Size(kilobytes), Path);
        Assert.True(code == 0, $"remounting {Path} failed: {output}");
    }

    public void Dispose()
    {
        Privileged("umount", "-l", Path);
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Still busy after a lazy unmount; the temp folder is cleaned up with the machine.
        }
    }

    private static string Size(int kilobytes) => string.Create(CultureInfo.InvariantCulture, $"size={kilobytes}k");

    private static (int Code, string Output) Privileged(string command, params string[] args)
    {
        bool root = string.Equals(Environment.UserName, "root", StringComparison.Ordinal);
        var psi = new ProcessStartInfo(root ? command : "sudo")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (!root)
        {
            psi.ArgumentList.Add("-n");
            psi.ArgumentList.Add(command);
        }

        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        try
        {
            using var process = Process.Start(psi)!;
            string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }
}
