namespace SweepCluster.Sweeps.Reports;

/// <summary>A built report: what <see cref="HtmlReportWriter"/> writes (no file has been touched yet).</summary>
/// <param name="Title">The page title.</param>
/// <param name="SweepId">The sweep.</param>
/// <param name="GridHash">Hash of the grid text.</param>
/// <param name="GridText">The grid file's text.</param>
/// <param name="ModelVersion">The model version of the code that made the report.</param>
/// <param name="ResultModelVersions">The model versions the results were computed with (from their canonical parameters).</param>
/// <param name="GeneratedAt">The generation time.</param>
/// <param name="Progress">How many cells have results.</param>
/// <param name="GridPoints">Grid points with at least one cell.</param>
/// <param name="DefaultPanels">The panels are the defaults (no usable report section).</param>
/// <param name="Parameters">The sweep's axes and their values.</param>
/// <param name="Panels">The plots, in order.</param>
/// <param name="Residuals">The largest relative differences between simulation mean and theory, largest first.</param>
/// <param name="Warnings">Problems with the report section.</param>
public sealed record Report(
    string Title,
    string SweepId,
    string GridHash,
    string GridText,
    string ModelVersion,
    IReadOnlyList<string> ResultModelVersions,
    DateTimeOffset GeneratedAt,
    ReportProgress Progress,
    int GridPoints,
    bool DefaultPanels,
    IReadOnlyList<ParameterSummary> Parameters,
    IReadOnlyList<ReportPanel> Panels,
    IReadOnlyList<ResidualRow> Residuals,
    IReadOnlyList<string> Warnings)
{
    /// <summary>Tool version, store and machine; shown on the page when known.</summary>
    public ReportOrigin? Origin { get; init; }

    /// <summary>The grid file the sweep was last submitted from (full path), when the store recorded one.</summary>
    public string? GridFile { get; init; }
}
