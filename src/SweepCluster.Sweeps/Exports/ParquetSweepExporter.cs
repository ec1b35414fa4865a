using System.Text.Json;
using SweepCluster.Sweeps.Aggregation;
using SweepCluster.Sweeps.Cells;

namespace SweepCluster.Sweeps.Exports;

/// <summary>
/// Writes cells.parquet, runs.parquet and summary.parquet: the rows, columns and order of the CSV export with
/// typed columns (parameters and metrics as DOUBLE or INT64, flags as BOOLEAN, times as UTC timestamps, text as
/// strings), so pandas, polars and DuckDB read them without guessing. An undefined value is a null.
/// </summary>
public sealed class ParquetSweepExporter : TableExporter
{
    public const string CellsFile = "cells.parquet";
    public const string RunsFile = "runs.parquet";
    public const string SummaryFile = "summary.parquet";

    public override string Name => "parquet";


    private protected override void WriteCells(ExportTable table, string path)
    {
        var file = new ParquetTable<(ExportTable.CellRow Row, JsonElement Canonical)>()
            .Text("cell_id", r => r.Row.Cell.Cell.Id)
            .Text("kind", r => CellKindNames.ToName(r.Row.Cell.Cell.Kind));
        foreach (var column in table.CellParameterColumns)
        {
            file.Parameter(column, r => r.Canonical);
        }

        file.Text("status", r => r.Row.Cell.Status is { } s ? ExportText.Status(s) : null)
            .Boolean("nondeterministic", r => r.Row.Cell.NonDeterministic)
            .Text("message", r => r.Row.Cell.Message);
        foreach (var column in table.Columns)
        {
            file.Real(column.Name, r => r.Row.Values.TryGetValue(column, out double v) ? v : null);
        }

        file.Write(path, table.Cells.Select(row => (row, Canonical(row.Cell.Cell.CanonicalParameters))));
    }

    private protected override void WriteRuns(ExportTable table, string path) =>
        new ParquetTable<ExportUnit>()
            .Text("unit_id", u => u.UnitId)
            .Text("kind", u => u.Kind)
            .Text("state", u => u.State)
            .Text("owner", u => u.Owner)
            .Integer("attempts", u => u.Attempts)
            .Time("started_at", u => ExportText.UtcTime(u.StartedAt))
            .Time("finished_at", u => ExportText.UtcTime(u.FinishedAt))
            .Real("duration_s", ExportTable.Duration)
            .Real("cost", u => u.Cost)
            .Integer("cells", u => u.Cells)
            .Text("last_error", u => u.LastError)
            .Write(path, table.Units);

    private protected override void WriteSummary(ExportTable table, string path)
    {
        var file = new ParquetTable<(GridPointSummary Point, JsonElement Canonical, MetricAggregate Metric)>()
            .Text("grid_point", r => r.Point.GridPoint);
        foreach (var column in table.GridPointColumns)
        {
            file.Parameter(column, r => r.Canonical);
        }

        file.Text("metric", r => r.Metric.Metric.Name)
            .Integer("n", r => r.Metric.N)
            .Integer("n_failed", r => r.Point.Failed)
            .Real("mean", r => r.Metric.Mean)
            .Real("std", r => r.Metric.Std)
            .Real("theory", r => r.Metric.Theory)
            .Real("residual", r => r.Metric.Residual)
            .Real("relative_error", r => r.Metric.RelativeError)
            .Write(path, table.Summary.SelectMany(p =>
            {
                var canonical = Canonical(p.CanonicalParameters);
                return p.Metrics.Select(m => (p, canonical, m));
            }));
    }

    // A detached copy, so the rows can hold their parameters after the document is gone.
    private static JsonElement Canonical(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
