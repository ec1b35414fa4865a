using System.Diagnostics;
using SweepCluster.Cli.Tests.Support;

namespace SweepCluster.Cli.Tests.Packaging;

/// <summary>
/// The README's second way to get `sweep`: `dotnet pack` of the CLI gives a .NET tool package that installs from a
/// local folder and runs. Packs the build the solution already made (--no-build) and installs with the local
/// folder as the only source that matters, so that it needs no network beyond the restored packages.
/// </summary>
[Trait("Category", "packaging")]
public sealed class ToolPackageTests : IDisposable
{
    private readonly TempFolder _folder = new("tool");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void ThePackedToolInstallsFromALocalFolderAndRunsAsSweep()
    {
        string root = RepositoryRoot();
        string packages = _folder["nupkg"];
        string tools = _folder["tools"];
        Dotnet(root, "pack", Path.Combine(root, "src", "SweepCluster.Cli"), "-c", "Release", "--no-build", "-o", packages, "-nologo");
        Assert.Single(Directory.GetFiles(packages, "SweepCluster.Cli.*.nupkg"));

        Dotnet(root, "tool", "install", "--tool-path", tools, "--add-source", packages, "--ignore-failed-sources", "SweepCluster.Cli");
        string sweep = Path.Combine(tools, "sweep");
        Assert.True(File.Exists(sweep), $"no {sweep} after the install");

        var version = Run(sweep, root, "--version");
        Assert.True(version.ExitCode == 0, version.Stderr);
        Assert.Matches(@"^\d+\.\d+\.\d+", version.Stdout.Trim());
        var validate = Run(sweep, root, "validate", Path.Combine(root, "examples", "quickstart.yaml"));
        Assert.True(validate.ExitCode == 0, validate.Stderr);
        Assert.Contains("valid", validate.Stdout, StringComparison.Ordinal);
    }

    private static void Dotnet(string workingDirectory, params string[] args)
    {
        var result = Run("dotnet", workingDirectory, args);
        Assert.True(result.ExitCode == 0, $"dotnet {string.Join(' ', args)} failed ({result.ExitCode}):\n{result.Stdout}\n{result.Stderr}");
    }

    private static CliProcess.Result Run(string program, string workingDirectory, params string[] args)
    {
        var psi = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{program} {string.Join(' ', args)} did not end within 3 minutes");
        }

        return new CliProcess.Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SweepCluster.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("SweepCluster.sln not found above the test binaries");
    }
}
