using System.Text.Json;
using SweepCluster.Sweeps.Aggregation;
using SweepCluster.Sweeps.Cells;

namespace SweepCluster.Sweeps.Exports;

/// <summary>
/// Writes cells.jsonl, runs.jsonl and summary.jsonl: the content and order of the CSV export, one JSON
/// object per line, with parameters as the cell's canonical object and series as arrays. Non-finite
/// numbers are the strings "inf", "-inf", "nan"; undefined values are null.
/// </summary>
public sealed class JsonLinesSweepExporter : TableExporter
{
    public const string CellsFile = "cells.jsonl";
    public const string RunsFile = "runs.jsonl";
    public const string SummaryFile = "summary.jsonl";

    public override string Name => "jsonl";

    private protected override void WriteCells(ExportTable table, string path) => WriteLines(path, table.Cells, WriteCell);

    private protected override void WriteRuns(ExportTable table, string path) => WriteLines(path, table.Units, WriteUnit);

    private protected override void WriteSummary(ExportTable table, string path) => WriteLines(path, SummaryRows(table), WriteSummaryRow);


    private static void WriteCell(Utf8JsonWriter w, ExportTable.CellRow row)
    {
        var cell = row.Cell;
        using var canonical = JsonDocument.Parse(cell.Cell.CanonicalParameters);
        w.WriteString("id", cell.Cell.Id);
        w.WriteString("kind", CellKindNames.ToName(cell.Cell.Kind));
        ParameterColumns.WriteObject(w, "params", canonical.RootElement, ParameterColumns.NotCell);
        WriteStringOrNull(w, "status", cell.Status is null ? null : ExportText.Status(cell.Status));
        w.WriteBoolean("nondeterministic", cell.NonDeterministic);
        WriteStringOrNull(w, "message", cell.Message);
        if (cell.Metrics is null)
        {
            w.WriteNull("metrics");
            return;
        }

        // Series as arrays (their steps are params.t), each metric once, in the column order of the CSV.
        w.WriteStartObject("metrics");
        foreach (var group in row.Values.OrderBy(p => p.Key, MetricOrder.Instance).GroupBy(p => p.Key.Metric))
        {
            var first = group.First();

            // The column name without a step: the same identifier the csv names the metric by.
            string name = (first.Key with { Step = null }).Name;
            if (first.Key.Step is null)
            {
                w.WritePropertyName(name);
                MetricsJson.WriteValue(w, first.Value);
                continue;
            }

            w.WriteStartArray(name);
            foreach (var (_, value) in group)
            {
                MetricsJson.WriteValue(w, value);
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
    }

    private static void WriteUnit(Utf8JsonWriter w, ExportUnit unit)
    {
        w.WriteString("unit_id", unit.UnitId);
        w.WriteString("kind", unit.Kind);
        w.WriteString("state", unit.State);
        WriteStringOrNull(w, "owner", unit.Owner);
        w.WriteNumber("attempts", unit.Attempts);
        WriteStringOrNull(w, "started_at", ExportText.Time(unit.StartedAt));
        WriteStringOrNull(w, "finished_at", ExportText.Time(unit.FinishedAt));
        WriteNumberOrNull(w, "duration_s", ExportTable.Duration(unit));
        WriteNumberOrNull(w, "cost", unit.Cost);
        w.WriteNumber("cells", unit.Cells);
        WriteStringOrNull(w, "last_error", unit.LastError);
    }

    private static IEnumerable<(GridPointSummary Point, MetricAggregate Metric)> SummaryRows(ExportTable table) =>
        table.Summary.SelectMany(p => p.Metrics.Select(m => (p, m)));

    private static void WriteSummaryRow(Utf8JsonWriter w, (GridPointSummary Point, MetricAggregate Metric) row)
    {
        var (point, metric) = row;
        using var canonical = JsonDocument.Parse(point.CanonicalParameters);
        w.WriteString("grid_point", point.GridPoint);
        ParameterColumns.WriteObject(w, "params", canonical.RootElement, ParameterColumns.NotGridPoint);
        w.WriteString("metric", metric.Metric.Name);
        w.WriteNumber("n", metric.N);
        w.WriteNumber("n_failed", point.Failed);
        WriteNumberOrNull(w, "mean", metric.Mean);
        WriteNumberOrNull(w, "std", metric.Std);
        WriteNumberOrNull(w, "theory", metric.Theory);
        WriteNumberOrNull(w, "residual", metric.Residual);
        WriteNumberOrNull(w, "relative_error", metric.RelativeError);
    }

    private static void WriteStringOrNull(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }

    private static void WriteNumberOrNull(Utf8JsonWriter w, string name, double? value)
    {
        w.WritePropertyName(name);
        if (value is { } v)
        {
            MetricsJson.WriteValue(w, v);
        }
        else
        {
            w.WriteNullValue();
        }
    }

    private static void WriteLines<T>(string path, IEnumerable<T> items, Action<Utf8JsonWriter, T> writeProperties) =>
        AtomicFile.Write(path, stream =>
        {
            using var w = new Utf8JsonWriter(stream);
            foreach (var item in items)
            {
                w.WriteStartObject();
                writeProperties(w, item);
                w.WriteEndObject();
                w.Flush();
                stream.WriteByte((byte)'\n');

                // A writer holds one JSON value; Reset starts the next line's.
                w.Reset(stream);
            }
        });
}
