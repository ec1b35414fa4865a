using System.Diagnostics;

namespace SweepCluster.Cli.Tests.Support;

/// <summary>Runs the real `sweep` program (the built sweep.dll beside the tests) as a child process.</summary>
public static class CliProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static string Assembly => Path.Combine(AppContext.BaseDirectory, "sweep.dll");

    public static Result Run(params string[] args) => Run(TimeSpan.FromMinutes(5), null, args);

    public static Result Run(TimeSpan timeout, string? workingDirectory, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
        };
        psi.ArgumentList.Add(Assembly);
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start dotnet");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"sweep {string.Join(' ', args)} did not finish within {timeout}");
        }

        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }
}
