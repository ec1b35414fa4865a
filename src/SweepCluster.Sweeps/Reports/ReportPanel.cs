using SweepCluster.Sweeps.Reports.Svg;

namespace SweepCluster.Sweeps.Reports;

/// <summary>One plot of a report with the data behind it.</summary>
/// <param name="Number">1, 2, ...: the page order and the CSV name (panel-01.csv).</param>
/// <param name="Chart">What is drawn.</param>
/// <param name="XAxis">The grid axis on x (the CSV's x column name).</param>
/// <param name="Rows">Every point of the panel, drawable or not.</param>
/// <param name="Notes">What a reader should know: points not drawn, metrics without results.</param>
public sealed record ReportPanel(int Number, Chart Chart, string XAxis, IReadOnlyList<PanelRow> Rows, IReadOnlyList<string> Notes)
{
    /// <summary>The CSV file name of the panel's data.</summary>
    public string CsvFile => HtmlReportWriter.PanelFile(Number);

    /// <summary>Simulation minus theory at the chart's points, drawn under it; null when the panel has no theory.</summary>
    public Chart? Residuals { get; init; }

    /// <summary>When set, the page draws this grid of cells instead of <see cref="Chart"/> (which keeps the title and id).</summary>
    public Heatmap? Heatmap { get; init; }
}
