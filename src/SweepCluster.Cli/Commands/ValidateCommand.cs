using System.CommandLine;
using System.Globalization;
using SweepCluster.Sweeps.Grids;

namespace SweepCluster.Cli.Commands;

/// <summary>`sweep validate GRID [--set key=value]...`: checks a grid and prints what it expands to and its effective fields; writes nothing.</summary>
public static class ValidateCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var grid = new Argument<string>("GRID") { Description = "The grid file (YAML; see docs/grid-format.md)." };
        var set = GridLoading.CreateSetOption();
        var command = new Command("validate", "Check a grid file (with its --set overrides) and print its cells, units, predicted cost and the effective grid: every field's values, defaults included. Exit code 2 and every problem with file:line:column (or the --set it came from) when it is malformed; nothing is written.")
        {
            grid, set,
        };
        command.SetAction(parse => Execute(parse.GetValue(grid)!, parse.GetValue(set) ?? [], output, error));
        return command;
    }

    private static int Execute(string path, string[] sets, TextWriter output, TextWriter error)
    {
        var loaded = GridLoading.TryLoad(path, sets, error);
        if (loaded is null)
        {
            return ExitCodes.BadInput;
        }

        var summary = GridSummary.For(loaded);
        var c = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(c, $"{path}: valid. Sweep '{summary.Name}'"));
        output.WriteLine(string.Create(c, $"  grid points      {summary.GridPoints}"));
        output.WriteLine(string.Create(c, $"  seeds per point  {summary.Seeds}"));
        if (summary.Family is { } family)
        {
            string name = Sweeps.Cells.CellKindNames.ToName(family);
            output.WriteLine(string.Create(c, $"  cells            {summary.FamilyCells} {name} (docs/generalisation.md)"));
            output.WriteLine(string.Create(c, $"  units            {summary.FamilyCells} {name} (one cell each)"));
        }
        else
        {
            output.WriteLine(string.Create(c, $"  cells            {summary.SimulationCells} simulation + {summary.TheoryCells} theory"));
            output.WriteLine(string.Create(c, $"  units            {summary.SimulationUnits} simulation + {summary.TheoryUnits} theory"));
        }

        output.WriteLine(string.Create(c, $"  predicted cost   {summary.TotalCost:0.###e+0} flops, about {summary.EstimatedCoreSeconds:0.#} core-seconds; {summary.EstimatedSeconds(Environment.ProcessorCount):0.#} s on {Environment.ProcessorCount} cores"));
        output.WriteLine("effective grid:");
        foreach (var (key, value) in Output.EffectiveGridText.Fields(loaded))
        {
            output.WriteLine(string.Create(c, $"  {key,-20} {value}"));
        }

        return ExitCodes.Success;
    }
}
