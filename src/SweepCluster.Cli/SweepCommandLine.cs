using System.CommandLine;
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
            ExportCommand.Create(output, error),
        };
        return root;
    }

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var root = Create(output, error);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors)
            {
                error.WriteLine($"error: {e.Message}");
            }

            error.WriteLine("Run 'sweep --help' (or 'sweep <command> --help') for the allowed options.");
            return ExitCodes.BadInput;
        }

        return parse.Invoke(new InvocationConfiguration { Output = output, Error = error });
    }
}
