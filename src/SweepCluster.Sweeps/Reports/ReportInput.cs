using SweepCluster.Sweeps.Aggregation;
using SweepCluster.Sweeps.Exports;

namespace SweepCluster.Sweeps.Reports;

/// <summary>Everything a report is made from, as plain data (the caller reads it from the store).</summary>
/// <param name="SweepId">The sweep.</param>
/// <param name="GridHash">The hash of its grid text, for provenance.</param>
/// <param name="GridText">The grid file's text, shown on the page for provenance.</param>
/// <param name="Section">The grid's report section, read (<see cref="ReportSection.Parse"/>); <see cref="ReportSection.None"/> for the default panels.</param>
/// <param name="Summaries">The seed summaries (<see cref="SeedAggregator.Aggregate"/> over the sweep's cells), read once,
/// in order (a sequence made as it is read, <see cref="SeedSummaries.Aggregate"/>, is never held whole).</param>
/// <param name="Progress">How many cells have results.</param>
/// <param name="GeneratedAt">The generation time printed on the page (a parameter, so the same input gives the same page).</param>
/// <param name="Losses">Which loss family the default panels and the residual table use (the grid's <c>loss</c>).</param>
public sealed record ReportInput(
    string SweepId,
    string GridHash,
    string GridText,
    ReportSection Section,
    IEnumerable<GridPointSummary> Summaries,
    ReportProgress Progress,
    DateTimeOffset GeneratedAt,
    LossSelection Losses = LossSelection.Both);
