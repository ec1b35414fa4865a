using SweepCluster.Model.Metrics;

namespace SweepCluster.Sweeps.Cells;

/// <summary>The result of one cell: metrics, or a numerical failure (divergence, NaN, instability) with its reason.</summary>
/// <param name="CellId">The cell.</param>
/// <param name="Status">Ok or a numerical failure; a failure is a result, not a retry.</param>
/// <param name="Metrics">The metrics when <paramref name="Status"/> is ok.</param>
/// <param name="Message">Why the computation failed, when it did.</param>
public sealed record CellOutcome(string CellId, ResultStatus Status, CellMetrics? Metrics, string? Message);
