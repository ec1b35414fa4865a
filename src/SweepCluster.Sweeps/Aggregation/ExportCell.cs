using SweepCluster.Model.Metrics;
using SweepCluster.Sweeps.Cells;

namespace SweepCluster.Sweeps.Aggregation;

/// <summary>
/// A cell with its result as aggregation and exports read it: plain data, so that both are pure functions
/// of what the store returned and can be tested without one.
/// </summary>
/// <param name="Cell">The cell definition.</param>
/// <param name="Status">How its computation ended; null while it has not been computed.</param>
/// <param name="Metrics">Its metrics when computed (usually null for a numerical failure).</param>
/// <param name="Message">Why the computation failed, when it did.</param>
/// <param name="NonDeterministic">
/// The cell was computed again with a different result (the first one is kept): its numbers are not reproducible,
/// so the exports mark it instead of presenting it like any other.
/// </param>
public sealed record ExportCell(CellDefinition Cell, ResultStatus? Status, CellMetrics? Metrics, string? Message, bool NonDeterministic = false);
