using System.Globalization;
using SweepCluster.Sweeps.Cells;
using SweepCluster.Sweeps.Units;

namespace SweepCluster.Sweeps.Grids;

/// <summary>What a grid amounts to, for `sweep validate`: its size, its units and a rough time.</summary>
/// <param name="Name">The sweep id.</param>
/// <param name="GridPoints">Points of the grid (product of the axes, zip groups counted once).</param>
/// <param name="Seeds">Training-set draws per point.</param>
/// <param name="SimulationCells">Distinct simulation cells (one per point and seed, repeats removed).</param>
/// <param name="TheoryCells">Distinct theory cells (one per point when theory is on).</param>
/// <param name="SimulationUnits">Units of simulation cells (one training set each).</param>
/// <param name="TheoryUnits">Units of theory cells (one order-parameter computation each).</param>
/// <param name="TotalCost">Sum of the units' predicted costs (flops at the per-mode rate).</param>
/// <param name="LargestUnitCost">The most expensive unit, which bounds the time however many cores there are.</param>
/// <param name="Family">The generalisation family of a family grid, whose cells and units are <see cref="FamilyCells"/>; else null.</param>
/// <param name="FamilyCells">Cells of the family (one unit each).</param>
public sealed record GridSummary(
    string Name,
    long GridPoints,
    int Seeds,
    int SimulationCells,
    int TheoryCells,
    int SimulationUnits,
    int TheoryUnits,
    double TotalCost,
    double LargestUnitCost,
    CellKind? Family = null,
    int FamilyCells = 0)
{
    public int Units => SimulationUnits + TheoryUnits + FamilyCells;

    /// <summary>Rough total compute time at <see cref="UnitPlanner.FlopsPerCoreSecond"/>.</summary>
    public double EstimatedCoreSeconds => TotalCost / UnitPlanner.FlopsPerCoreSecond;

    /// <summary>Rough wall time on this many cores: the work shared out, but never less than the largest unit.</summary>
    public double EstimatedSeconds(int cores) =>
        Math.Max(EstimatedCoreSeconds / Math.Max(1, cores), LargestUnitCost / UnitPlanner.FlopsPerCoreSecond);

    /// <summary>Expands and plans the grid from scratch (nothing completed), one cell at a time.</summary>
    public static GridSummary For(Grid grid)
    {
        ArgumentNullException.ThrowIfNull(grid);
        var plan = new UnitPlanBuilder(grid.Name);
        int simulationCells = 0;
        int theoryCells = 0;
        foreach (var cell in GridExpander.Cells(grid))
        {
            simulationCells += cell.Kind == CellKind.Simulation ? 1 : 0;
            theoryCells += cell.Kind == CellKind.Theory ? 1 : 0;
            plan.Add(cell);
        }

        var (simulationUnits, theoryUnits, familyUnits, totalCost, largestCost) = plan.Totals();
        return new GridSummary(
            grid.Name,
            GridExpander.PointCount(grid),
            grid.Seeds.Count,
            simulationCells,
            theoryCells,
            simulationUnits,
            theoryUnits,
            totalCost,
            largestCost,
            grid.Family,
            familyUnits);
    }

    public static GridSummary Create(Grid grid, SweepDefinition sweep, IReadOnlyList<UnitDefinition> units)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(sweep);
        ArgumentNullException.ThrowIfNull(units);
        return new GridSummary(
            sweep.Id,
            GridExpander.PointCount(grid),
            grid.Seeds.Count,
            sweep.Cells.Count(c => c.Kind == CellKind.Simulation),
            sweep.Cells.Count(c => c.Kind == CellKind.Theory),
            units.Count(u => u.Kind == UnitKind.Simulation),
            units.Count(u => u.Kind == UnitKind.Theory),
            units.Sum(u => u.Cost),
            units.Count == 0 ? 0 : units.Max(u => u.Cost),
            grid.Family,
            sweep.Cells.Count(c => CellKindNames.IsFamily(c.Kind)));
    }

    public override string ToString() => Family is { } family
        ? string.Create(
            CultureInfo.InvariantCulture,
            $"{Name}: {GridPoints} grid points: {FamilyCells} {CellKindNames.ToName(family)} cells in as many units; predicted {TotalCost:g3} flops, about {EstimatedCoreSeconds:g3} core-seconds")
        : string.Create(
        CultureInfo.InvariantCulture,
        $"{Name}: {GridPoints} grid points x {Seeds} seeds: {SimulationCells} simulation cells, {TheoryCells} theory cells; " +
        $"{Units} units ({SimulationUnits} simulation, {TheoryUnits} theory); predicted {TotalCost:g3} flops, " +
        $"about {EstimatedCoreSeconds:g3} core-seconds");
}
