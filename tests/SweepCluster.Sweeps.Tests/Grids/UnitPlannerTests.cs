using SweepCluster.Sweeps.Cells;
using SweepCluster.Sweeps.Grids;
using SweepCluster.Sweeps.Units;

namespace SweepCluster.Sweeps.Tests.Grids;

public sealed class UnitPlannerTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private SweepDefinition Expand(string text) => GridExpander.Expand(GridFile.Load(_folder.Write("grid.yaml", text)));

    private static IReadOnlyList<UnitDefinition> Plan(SweepDefinition sweep) => UnitPlanner.Plan(sweep, new HashSet<string>());

    [Fact]
    public void TheCellsOfOneTrainingSetShareAUnitAndTheoryUnitsAreSeparate()
    {
        // 2 N x 3 c x 2 tau = 12 points; 2 seeds.
        var sweep = Expand("d: 50\nN: [20, 80]\nc: [0, 1e-4, 1e-2]\ntau: [100, inf]\nseeds: 2\n");
        var units = Plan(sweep);

        var sim = units.Where(u => u.Kind == UnitKind.Simulation).ToList();
        var theory = units.Where(u => u.Kind == UnitKind.Theory).ToList();
        Assert.Equal(4, sim.Count);
        Assert.All(sim, u => Assert.Equal(6, u.CellIds.Count));
        Assert.Equal(2, theory.Count);
        Assert.All(theory, u => Assert.Equal(6, u.CellIds.Count));

        var cells = sweep.Cells.ToDictionary(c => c.Id);
        foreach (var unit in units)
        {
            var members = unit.CellIds.Select(id => cells[id]).ToList();
            Assert.All(members, c => Assert.Equal(unit.GroupKey, c.GroupKey));
            Assert.Single(members.Select(c => (c.Config.N, c.Config.Seed0, c.Kind)).Distinct());
            Assert.Equal(unit.CellIds.Order(StringComparer.Ordinal), unit.CellIds);
            Assert.Equal("grid", unit.SweepId);
        }

        Assert.Equal(sweep.Cells.Count, units.Sum(u => u.CellIds.Count));
    }

    [Fact]
    public void UnitsComeMostExpensiveFirst()
    {
        var units = Plan(Expand("d: [20, 200]\nN: [10, 400]\nseeds: 2\n"));
        Assert.Equal(units.OrderByDescending(u => u.Cost).Select(u => u.Cost), units.Select(u => u.Cost));
        Assert.All(units, u => Assert.True(u.Cost > 0));
    }

    [Fact]
    public void ConvergedTheoryCellsShareTheirPassOverTheNodesByBlocksOfLanes()
    {
        // Converged cells of any c run as lanes of one pass (four to a block), so four cost one node loop and five
        // cost two; finite-tau cells of different c each run their own pass.
        double Theory(string c, string tau) =>
            Plan(Expand($"d: 50\nN: 20\nc: {c}\ntau: {tau}\n")).Single(u => u.Kind == UnitKind.Theory).Cost;

        double one = Theory("[0]", "inf");
        double four = Theory("[0, 1e-4, 1e-3, 1e-2]", "inf");
        double five = Theory("[0, 1e-4, 1e-3, 1e-2, 1e-1]", "inf");
        double closedForms = (four - one) / 3;
        double nodeLoop = five - four - closedForms;
        Assert.True(nodeLoop > 10 * closedForms, $"node loop {nodeLoop}, closed forms {closedForms}");
        double secondFinite = Theory("[0, 1e-4]", "100") - Theory("[0]", "100");
        Assert.Equal(1.0, secondFinite / (nodeLoop + closedForms), 9);
    }

    [Fact]
    public void UnitIdsAreDeterministicAndCompletedCellsAreLeftOut()
    {
        const string text = "d: 50\nN: [20, 80]\nc: [0, 1e-2]\nseeds: 2\n";
        var sweep = Expand(text);
        var first = Plan(sweep);
        var again = Plan(Expand(text));
        Assert.Equal(first.Select(u => u.Id), again.Select(u => u.Id));

        var unit = first.First(u => u.Kind == UnitKind.Simulation);
        var done = new HashSet<string> { unit.CellIds[0] };
        var rest = UnitPlanner.Plan(sweep, done);
        var shrunk = Assert.Single(rest, u => u.GroupKey == unit.GroupKey);
        Assert.Equal(unit.CellIds.Skip(1), shrunk.CellIds);
        Assert.NotEqual(unit.Id, shrunk.Id);
        Assert.DoesNotContain(rest.SelectMany(u => u.CellIds), done.Contains);

        var all = sweep.Cells.Select(c => c.Id).ToHashSet();
        Assert.Empty(UnitPlanner.Plan(sweep, all));
    }

    [Fact]
    public void TheUnitIdHashesTheSweepTheGroupAndTheCells()
    {
        var sweep = Expand("d: 50\nN: 20\nseeds: 1\ntheory: false\n");
        var unit = Assert.Single(Plan(sweep));
        Assert.Equal(CellParameters.Hash("grid|" + unit.GroupKey + "|" + unit.CellIds[0]), unit.Id);
        Assert.NotEqual(unit.Id, Assert.Single(Plan(sweep with { Id = "other" })).Id);
    }

    [Fact]
    public void TheSummaryCountsPointsCellsAndUnits()
    {
        var grid = GridFile.Load(_folder.Write("summary.yaml", "d: 50\nN: [20, 80]\nk: [0, 1]\nc: [0, 1e-4]\nseeds: 3\n"));
        var summary = GridSummary.For(grid);

        Assert.Equal("summary", summary.Name);
        Assert.Equal(8, summary.GridPoints);
        Assert.Equal(3, summary.Seeds);
        Assert.Equal(24, summary.SimulationCells);
        Assert.Equal(8, summary.TheoryCells);
        Assert.Equal(12, summary.SimulationUnits);
        Assert.Equal(4, summary.TheoryUnits);
        Assert.Equal(16, summary.Units);
        Assert.True(summary.TotalCost >= summary.LargestUnitCost);
        Assert.Equal(summary.TotalCost / UnitPlanner.FlopsPerCoreSecond, summary.EstimatedCoreSeconds, 12);
        Assert.True(summary.EstimatedSeconds(2) <= summary.EstimatedCoreSeconds);
        Assert.True(summary.EstimatedSeconds(1000) >= summary.LargestUnitCost / UnitPlanner.FlopsPerCoreSecond);
        Assert.Contains("8 grid points", summary.ToString(), StringComparison.Ordinal);
    }
}
