using SweepCluster.Sweeps.Aggregation;

namespace SweepCluster.Sweeps.Exports;

/// <summary>Everything an exporter writes, as plain data (the caller reads it from the store).</summary>
/// <param name="SweepId">The sweep exported.</param>
/// <param name="Cells">Its cells with their results, in any order.</param>
/// <param name="Units">Its work units' run metadata, in any order.</param>
/// <param name="Losses">Which loss family to keep.</param>
public sealed record SweepExportData(
    string SweepId,
    IReadOnlyList<ExportCell> Cells,
    IReadOnlyList<ExportUnit> Units,
    LossSelection Losses = LossSelection.Both);
