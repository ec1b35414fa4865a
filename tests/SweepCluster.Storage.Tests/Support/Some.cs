using SweepCluster.Model.Configuration;
using SweepCluster.Model.Metrics;
using SweepCluster.Sweeps.Cells;
using SweepCluster.Sweeps.Units;

namespace SweepCluster.Storage.Tests.Support;

/// <summary>Builders of valid values for store tests: small cells, sweeps, units and results.</summary>
public static class Some
{
    /// <summary>A simulation cell; cells with the same seed share a training set and so a unit.</summary>
    public static CellDefinition SimulationCell(long seed, double c = 1e-4) =>
        CellParameters.Simulation(new ModelConfig { D = 4, N = 8, C = c }, seed);

    /// <summary>A cell of a generalisation family (one cell per unit).</summary>
    public static CellDefinition FamilyCell(CellKind family, int pairs = 1) =>
        CellParameters.Family(family, new ModelConfig { D = 4, N = 8 }, new Sweeps.Families.FamilySettings([new("pairs", (long)pairs)]));

    /// <summary>Two cells of one training set (same seed, two ridges): the cells of one unit.</summary>
    public static IReadOnlyList<CellDefinition> UnitCells(long seed) => [SimulationCell(seed, 1e-4), SimulationCell(seed, 1e-3)];

    public static SweepDefinition Sweep(string id, IEnumerable<CellDefinition> cells, IReadOnlyDictionary<string, string>? spectra = null)
    {
        var list = cells.ToList();
        string text = $"name: {id}\ncells: {string.Join(",", list.Select(c => c.Id))}\n";
        return new SweepDefinition(id, CellParameters.Hash(text), text, list, spectra ?? new Dictionary<string, string>());
    }

    /// <summary>A unit over <paramref name="cells"/> (which must share a group key), with an id that hashes what it holds.</summary>
    public static UnitDefinition Unit(string sweepId, IEnumerable<CellDefinition> cells, double cost)
    {
        var list = cells.ToList();
        var ids = list.Select(c => c.Id).Order(StringComparer.Ordinal).ToList();
        string group = list[0].GroupKey;
        var kind = (UnitKind)(int)list[0].Kind;
        return new UnitDefinition(CellParameters.Hash($"{sweepId}|{group}|{string.Join(",", ids)}"), sweepId, kind, group, ids, cost);
    }

    public static string Metrics(double loss)
    {
        var metrics = new CellMetrics();
        metrics.SetScalar("loss", loss);
        metrics.SetSeries("loss_t", [loss, loss / 2]);
        return MetricsJson.Write(metrics);
    }

    public static StoredResult Result(string cellId, double loss = 1.0, ResultStatus status = ResultStatus.Ok) =>
        new(cellId, status, Metrics(loss), status == ResultStatus.Ok ? null : "diverged", 0.25);

    /// <summary>One result per cell of a submitted unit, as a worker that computed it sends them.</summary>
    public static IReadOnlyList<StoredResult> Results(UnitDefinition unit, double loss = 1.0, ResultStatus status = ResultStatus.Ok) =>
        unit.CellIds.Select(id => Result(id, loss, status)).ToList();
}
