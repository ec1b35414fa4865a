using System.Globalization;
using System.Text.Json;
using CsvHelper;
using CsvHelper.Configuration;
using SweepCluster.Sweeps.Cells;

namespace SweepCluster.Sweeps.Exports;

/// <summary>
/// Writes cells.csv (one row per cell, one column per metric), runs.csv (one row per work unit) and
/// summary.csv (one row per grid point and metric). cells.csv and summary.csv hold only what the grid
/// and the results determine, so two runs of the same grid give byte-identical files.
/// </summary>
public sealed class CsvSweepExporter : TableExporter
{
    public const string CellsFile = "cells.csv";
    public const string RunsFile = "runs.csv";
    public const string SummaryFile = "summary.csv";

    /// <summary>runs.csv columns; times are ISO 8601 UTC by the database clock, the duration in seconds.</summary>
    public static readonly IReadOnlyList<string> RunsHeader =
        ["unit_id", "kind", "state", "owner", "attempts", "started_at", "finished_at", "duration_s", "cost", "cells", "last_error"];

    /// <summary>summary.csv columns after the grid point's parameters.</summary>
    public static readonly IReadOnlyList<string> SummaryMetricHeader =
        ["metric", "n", "n_failed", "mean", "std", "theory", "residual", "relative_error"];

    // Invariant culture and LF whatever the platform, so files compare byte for byte across machines.
    private static readonly CsvConfiguration _csv = new(CultureInfo.InvariantCulture) { NewLine = "\n" };

    public override string Name => "csv";

    /// <summary>
    /// The parameter columns of cells.csv of a paper sweep, before "status", "nondeterministic", "message" and the metric
    /// columns; a family sweep has its family's settings after the model's grid-point columns.
    /// </summary>
    public static IReadOnlyList<string> CellParameterHeader { get; } =
        ["cell_id", "kind", .. ParameterColumns.GridPoint.Select(c => c.Name), .. ParameterColumns.CellOnly.Select(c => c.Name)];

    /// <summary>The columns of summary.csv of a paper sweep (a family sweep adds its settings after the grid point's).</summary>
    public static IReadOnlyList<string> SummaryHeader { get; } = ["grid_point", .. ParameterColumns.GridPoint.Select(c => c.Name), .. SummaryMetricHeader];


    private protected override void WriteCells(ExportTable table, string path)
    {
        string[] header = ["cell_id", "kind", .. table.CellParameterColumns.Select(c => c.Name), "status", "nondeterministic", "message", .. table.Columns.Select(c => c.Name)];
        WriteCsv(path, header, table.Cells.Select(row =>
        {
            using var canonical = JsonDocument.Parse(row.Cell.Cell.CanonicalParameters);
            var root = canonical.RootElement;
            string[] fields =
            [
                row.Cell.Cell.Id,
                CellKindNames.ToName(row.Cell.Cell.Kind),
                .. ParameterColumns.Values(table.CellParameterColumns, root),
                ExportText.Status(row.Cell.Status),
                row.Cell.NonDeterministic ? "true" : "false",
                row.Cell.Message ?? string.Empty,
                .. table.Columns.Select(c => row.Values.TryGetValue(c, out double v) ? ExportText.Number(v) : string.Empty),
            ];
            return fields;
        }));
    }

    private protected override void WriteRuns(ExportTable table, string path) =>
        WriteCsv(path, RunsHeader, table.Units.Select(u => new[]
        {
            u.UnitId,
            u.Kind,
            u.State,
            u.Owner ?? string.Empty,
            ExportText.Integer(u.Attempts),
            ExportText.Time(u.StartedAt) ?? string.Empty,
            ExportText.Time(u.FinishedAt) ?? string.Empty,
            ExportText.Number(ExportTable.Duration(u)),
            ExportText.Number(u.Cost),
            ExportText.Integer(u.Cells),
            u.LastError ?? string.Empty,
        }));

    private protected override void WriteSummary(ExportTable table, string path) =>
        WriteCsv(path, ["grid_point", .. table.GridPointColumns.Select(c => c.Name), .. SummaryMetricHeader], table.Summary.SelectMany(point =>
        {
            using var canonical = JsonDocument.Parse(point.CanonicalParameters);
            string[] parameters = [point.GridPoint, .. ParameterColumns.Values(table.GridPointColumns, canonical.RootElement)];
            return point.Metrics.Select(m => (string[])
            [
                .. parameters,
                m.Metric.Name,
                ExportText.Integer(m.N),
                ExportText.Integer(point.Failed),
                ExportText.Number(m.Mean),
                ExportText.Number(m.Std),
                ExportText.Number(m.Theory),
                ExportText.Number(m.Residual),
                ExportText.Number(m.RelativeError),
            ]).ToList();
        }));

    private static void WriteCsv(string path, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows) =>
        AtomicFile.WriteText(path, writer =>
        {
            using var csv = new CsvWriter(writer, _csv, leaveOpen: true);
            WriteRecord(csv, header);
            foreach (var row in rows)
            {
                WriteRecord(csv, row);
            }

            csv.Flush();
        });

    private static void WriteRecord(CsvWriter csv, IReadOnlyList<string> fields)
    {
        foreach (string field in fields)
        {
            csv.WriteField(field);
        }

        csv.NextRecord();
    }
}
