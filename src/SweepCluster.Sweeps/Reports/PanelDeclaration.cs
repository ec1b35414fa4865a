namespace SweepCluster.Sweeps.Reports;

/// <summary>
/// One plot a report section asks for (docs/reports.md). Names are checked against the sweep when the report
/// is built, so a declaration is plain data.
/// </summary>
/// <param name="Title">The panel title; null for one made from the axes.</param>
/// <param name="X">The horizontal axis (a grid axis: N, c, tau, d, k, n_over_d, ...); null for the default choice.</param>
/// <param name="Y">The metrics plotted, each as a summary column name (eps_test_tavg, eps_test_t[500], dkl_ideal_fwd, ...).</param>
/// <param name="Series">The axis whose values get one colour each; null to take every other varying axis.</param>
/// <param name="Facet">An axis with one panel per value; null for a single panel.</param>
/// <param name="LogX">A log x axis; null to decide from the data (positive and spanning more than a decade).</param>
/// <param name="LogY">A log y axis; null to decide from the data.</param>
/// <param name="Reference">A reference curve: "d_over_4N" (the large-N KL asymptote d/(4N)); null for none.</param>
/// <param name="Heatmap">Draw one metric as a grid of coloured cells over x (columns) and the series axis (rows).</param>
public sealed record PanelDeclaration(
    string? Title,
    string? X,
    IReadOnlyList<string> Y,
    string? Series = null,
    string? Facet = null,
    bool? LogX = null,
    bool? LogY = null,
    string? Reference = null,
    bool Heatmap = false);
