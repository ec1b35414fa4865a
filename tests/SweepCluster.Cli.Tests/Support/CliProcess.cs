using System.Diagnostics;

namespace SweepCluster.Cli.Tests.Support;

/// <summary>Runs the real `sweep` program (the built sweep.dll beside the tests) as a child process.</summary>
public static class CliProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    /// <summary>Variables the program reads; a child gets none of them from the test's environment unless a test sets them.</summary>
    public static readonly IReadOnlyList<string> ProgramVariables = ["SWEEP_STORE", "SWEEP_CONFIG"];

    public static string Assembly => Path.Combine(AppContext.BaseDirectory, "sweep.dll");

    public static Result Run(params string[] args) => Run(TimeSpan.FromMinutes(5), null, args);

    public static Result Run(TimeSpan timeout, string? workingDirectory, params string[] args)
    {
        using var process = Start(workingDirectory, null, args);
        return process.WaitForExit(timeout);
    }

    /// <summary>
    /// Starts `dotnet sweep.dll ARGS` without waiting. The child runs in <paramref name="workingDirectory"/>
    /// (default: the test binaries' folder), with the variables of <paramref name="environment"/> set (a null
    /// value removes one) and none of <see cref="ProgramVariables"/> inherited. Its output is collected as it comes.
    /// </summary>
    public static CliChildProcess Start(string? workingDirectory, IReadOnlyDictionary<string, string?>? environment, params string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        // Through env(1), which resets SIGINT to its default before it runs dotnet: a test run started in the
        // background of a shell (`... &`, as CI scripts do) inherits SIGINT ignored, the runtime keeps an ignored
        // SIGINT ignored, and Ctrl-C would then never reach the program under test.
        var psi = new ProcessStartInfo("env")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
        };
        psi.ArgumentList.Add("--default-signal=INT");
        psi.ArgumentList.Add("dotnet");
        psi.ArgumentList.Add(Assembly);
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        foreach (string name in ProgramVariables)
        {
            psi.Environment.Remove(name);
        }

        if (environment is not null)
        {
            foreach (var (name, value) in environment)
            {
                if (value is null)
                {
                    psi.Environment.Remove(name);
                }
                else
                {
                    psi.Environment[name] = value;
                }
            }
        }

        return new CliChildProcess(psi, string.Join(' ', args));
    }
}
