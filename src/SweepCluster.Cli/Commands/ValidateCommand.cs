using System.CommandLine;
using System.Globalization;
using SweepCluster.Sweeps.Grids;

namespace SweepCluster.Cli.Commands;

/// <summary>`sweep validate GRID`: checks a grid file and prints what it expands to; writes nothing.</summary>
public static class ValidateCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var grid = new Argument<string>("GRID") { Description = "The grid file (YAML; see docs/grid-format.md)." };
        var command = new Command("validate", "Check a grid file and print its cells, units and predicted cost. Exit code 2 and every problem with file:line:column when it is malformed; nothing is written.")
        {
            grid,
        };
        command.SetAction(parse => Execute(parse.GetValue(grid)!, output, error));
        return command;
    }

    private static int Execute(string path, TextWriter output, TextWriter error)
    {
        var loaded = GridLoading.TryLoad(path, error);
        if (loaded is null)
        {
            return ExitCodes.BadInput;
        }

        var summary = GridSummary.For(loaded);
        var c = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(c, $"{path}: valid. Sweep '{summary.Name}'"));
        output.WriteLine(string.Create(c, $"  grid points      {summary.GridPoints}"));
        output.WriteLine(string.Create(c, $"  seeds per point  {summary.Seeds}"));
        output.WriteLine(string.Create(c, $"  cells            {summary.SimulationCells} simulation + {summary.TheoryCells} theory"));
        output.WriteLine(string.Create(c, $"  units            {summary.SimulationUnits} simulation + {summary.TheoryUnits} theory"));
        output.WriteLine(string.Create(c, $"  predicted cost   {summary.TotalCost:0.###e+0} flops, about {summary.EstimatedCoreSeconds:0.#} core-seconds; {summary.EstimatedSeconds(Environment.ProcessorCount):0.#} s on {Environment.ProcessorCount} cores"));
        return ExitCodes.Success;
    }
}
