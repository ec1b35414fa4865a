using System.CommandLine;
using System.CommandLine.Parsing;
using SweepCluster.Cli.Commands;

namespace SweepCluster.Cli;

/// <summary>The `sweep` command tree; <see cref="Run"/> is the whole program, with its writers injected for tests.</summary>
public static class SweepCommandLine
{
    public static RootCommand Create(TextWriter output, TextWriter error)
    {
        var root = new RootCommand(
            "SweepCluster: parameter sweeps of linear diffusion models (Merger & Goldt), simulation against replica theory.")
        {
            CellCommand.Create(output, error),
            ValidateCommand.Create(output, error),
            RunCommand.Create(output, error),
            StatusCommand.Create(output, error),
            ListCommand.Create(output, error),
            CancelCommand.Create(output, error),
            DeleteCommand.Create(output, error),
            ExportCommand.Create(output, error),
            ReportCommand.Create(output, error),
            SubmitCommand.Create(output, error),
            WorkerCommand.Create(output, error),
            CoordinatorCommand.Create(output, error),
            SpectrumCommand.Create(output, error),
        };
        return root;
    }

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var root = Create(output, error);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors)
            {
                error.WriteLine($"error: {ParseErrors.Describe(e)}");
            }

            error.WriteLine("Run 'sweep --help' (or 'sweep <command> --help') for the allowed options.");
            return ExitCodes.BadInput;
        }

        try
        {
            // No built-in termination handling: SignalDrain owns SIGINT/SIGTERM and drains instead of quitting. No
            // built-in exception handler either: it prints stack traces, and every failure is one line here.
            return parse.Invoke(new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e)
        {
            return CommandErrors.Report(error, e);
        }
    }
}
