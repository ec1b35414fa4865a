using SweepCluster.Sweeps.Aggregation;

namespace SweepCluster.Sweeps.Exports;

/// <summary>Everything an exporter writes, as plain data (the caller reads it from the store).</summary>
/// <param name="SweepId">The sweep exported.</param>
/// <param name="Cells">
/// Its cells with their results: a collection in any order, or a sequence in id order (ordinal) that can be
/// enumerated twice, such as a store read page by page; a sequence is never held whole.
/// </param>
/// <param name="Units">Its work units' run metadata: a collection in any order, or a sequence in id order.</param>
/// <param name="Losses">Which loss family to keep.</param>
public sealed record SweepExportData(
    string SweepId,
    IEnumerable<ExportCell> Cells,
    IEnumerable<ExportUnit> Units,
    LossSelection Losses = LossSelection.Both);
