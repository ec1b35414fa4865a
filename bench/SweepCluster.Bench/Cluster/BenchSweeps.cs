using SweepCluster.Model.Configuration;
using SweepCluster.Storage;
using SweepCluster.Sweeps.Cells;
using SweepCluster.Sweeps.Execution;
using SweepCluster.Sweeps.Units;

namespace SweepCluster.Bench.Cluster;

/// <summary>The sweeps the cluster benchmarks run: one cell per unit.</summary>
public static class BenchSweeps
{
    /// <summary>Tiny cells for the no-op computer: what is measured is the protocol alone.</summary>
    public static (SweepDefinition Sweep, IReadOnlyList<UnitDefinition> Units) NoOp(int units) =>
        OneCellPerUnit("noop", Enumerable.Range(0, units).Select(s => CellParameters.Simulation(new ModelConfig { D = 4, N = 8 }, s)));

    /// <summary>One training set of d = 1000, N = 2000 per seed (k = 1, c = 1e-4).</summary>
    public static (SweepDefinition Sweep, IReadOnlyList<UnitDefinition> Units) D1000(int units)
    {
        var config = new ModelConfig { D = 1000, N = 2000, C = 1e-4, Spectrum = SpectrumSpec.PowerLaw(1.0) };
        return OneCellPerUnit("d1000", Enumerable.Range(1, units).Select(s => CellParameters.Simulation(config, s)));
    }

    private static (SweepDefinition Sweep, IReadOnlyList<UnitDefinition> Units) OneCellPerUnit(string prefix, IEnumerable<CellDefinition> cellSource)
    {
        string id = prefix + "-" + Guid.NewGuid().ToString("N")[..8];
        var cells = cellSource.ToArray();
        var sweep = new SweepDefinition(id, id, id, cells, new Dictionary<string, string>());
        var plan = cells.Select(c => new UnitDefinition(CellParameters.Hash(id + "|" + c.Id), id, UnitKind.Simulation, c.GroupKey, [c.Id], 1.0)).ToArray();
        return (sweep, plan);
    }
}

/// <summary>Returns an empty ok result per cell at once.</summary>
public sealed class NoOpComputer : IUnitComputer
{
    public IReadOnlyList<TimedOutcome> Compute(IReadOnlyList<CellDefinition> cells) =>
        cells.Select(c => new TimedOutcome(new CellOutcome(c.Id, ResultStatus.Ok, new Model.Metrics.CellMetrics(), null), 0)).ToArray();
}
