using SweepCluster.Sweeps.Aggregation;

namespace SweepCluster.Sweeps.Exports;

/// <summary>
/// What every format writes, already in output order: cells by id with their metric values, the union of
/// metric columns in <see cref="MetricOrder"/>, units by id and the seed summary, all filtered by the loss
/// selection. Formats only spell it out, so they cannot disagree on content or order.
/// </summary>
internal sealed class ExportTable
{
    public ExportTable(SweepExportData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(data.Cells);
        ArgumentNullException.ThrowIfNull(data.Units);
        var losses = data.Losses;

        Cells = ExportCellSet.Distinct(data.Cells)
            .Select(c => new CellRow(c, MetricColumn.Flatten(c).Where(p => Keep(losses, p.Key)).ToDictionary(p => p.Key, p => p.Value)))
            .ToList();

        var columns = new SortedSet<MetricColumn>(MetricOrder.Instance);
        foreach (var row in Cells)
        {
            columns.UnionWith(row.Values.Keys);
        }

        Columns = [.. columns];
        Units = [.. data.Units.OrderBy(u => u.UnitId, StringComparer.Ordinal)];
        Summary = SeedAggregator.Aggregate(data.Cells)
            .Select(p => p with { Metrics = [.. p.Metrics.Where(m => Keep(losses, m.Metric))] })
            .ToList();
    }

    /// <summary>Distinct cells, ordinal by id.</summary>
    public IReadOnlyList<CellRow> Cells { get; }

    /// <summary>Every metric column any cell has, in <see cref="MetricOrder"/>.</summary>
    public IReadOnlyList<MetricColumn> Columns { get; }

    /// <summary>Units, ordinal by id.</summary>
    public IReadOnlyList<ExportUnit> Units { get; }

    /// <summary>Grid points by key, metrics in <see cref="MetricOrder"/>.</summary>
    public IReadOnlyList<GridPointSummary> Summary { get; }

    /// <summary>Seconds from start to finish, when both are known.</summary>
    public static double? Duration(ExportUnit unit) => unit.StartedAt is { } s && unit.FinishedAt is { } f ? f - s : null;

    private static bool Keep(LossSelection losses, MetricColumn column) => LossSelections.Includes(losses, column.Metric);

    /// <summary>A cell and its (selected) metric values.</summary>
    public sealed record CellRow(ExportCell Cell, IReadOnlyDictionary<MetricColumn, double> Values);
}
