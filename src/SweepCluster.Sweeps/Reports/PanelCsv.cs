using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using SweepCluster.Sweeps.Exports;

namespace SweepCluster.Sweeps.Reports;

/// <summary>
/// The data behind a panel as CSV: one row per drawn or undrawn point, numbers in the round-trip spelling of
/// the exports, so a figure can be redrawn elsewhere from exactly what the page shows.
/// </summary>
internal static class PanelCsv
{
    private static readonly CsvConfiguration _csv = new(CultureInfo.InvariantCulture) { NewLine = "\n" };

    /// <summary>The columns; the x column is named after the panel's x axis.</summary>
    public static IReadOnlyList<string> Header(string xAxis) =>
        ["panel", "facet", "series", xAxis, "metric", "n", "mean", "std", "theory", "residual", "relative_error", "reference", "grid_point"];

    public static void Write(ReportPanel panel, string path) => AtomicFile.WriteText(path, writer =>
    {
        using var csv = new CsvWriter(writer, _csv, leaveOpen: true);
        foreach (string field in Header(panel.XAxis))
        {
            csv.WriteField(field);
        }

        csv.NextRecord();
        foreach (var row in panel.Rows)
        {
            csv.WriteField(ExportText.Integer(panel.Number));
            csv.WriteField(row.Facet);
            csv.WriteField(row.Series);
            csv.WriteField(ExportText.Number(row.X));
            csv.WriteField(row.Metric);
            csv.WriteField(ExportText.Integer(row.N));
            csv.WriteField(ExportText.Number(row.Mean));
            csv.WriteField(ExportText.Number(row.Std));
            csv.WriteField(ExportText.Number(row.Theory));
            csv.WriteField(ExportText.Number(row.Residual));
            csv.WriteField(ExportText.Number(row.RelativeError));
            csv.WriteField(ExportText.Number(row.Reference));
            csv.WriteField(row.GridPoint);
            csv.NextRecord();
        }

        csv.Flush();
    });
}
