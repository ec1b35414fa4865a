using SweepCluster.Sweeps.Aggregation;

namespace SweepCluster.Sweeps.Exports;

/// <summary>
/// What every format writes, already in output order: cells by id with their metric values, the union of
/// metric columns in <see cref="MetricOrder"/>, units by id and the seed summary, all filtered by the loss
/// selection. Formats only spell it out, so they cannot disagree on content or order.
/// The rows are made as they are written: the cells are read twice (once for the columns and the summary, once
/// for the rows) and never held, so a million-cell export takes the memory of a few thousand.
/// </summary>
internal sealed class ExportTable : IDisposable
{
    private readonly SweepExportData _data;
    private readonly SeedSummaries _summaries;

    /// <param name="data">The sweep.</param>
    /// <param name="temporaryDirectory">Where the seed summary may put its temporary files (see <see cref="SeedSummaries"/>).</param>
    public ExportTable(SweepExportData data, string? temporaryDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(data.Cells);
        ArgumentNullException.ThrowIfNull(data.Units);
        _data = data;
        _summaries = new SeedSummaries(temporaryDirectory);
        var columns = new SortedSet<MetricColumn>(MetricOrder.Instance);
        var familyKeys = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            foreach (var cell in ExportCellSet.InOrder(data.Cells))
            {
                columns.UnionWith(Values(cell).Keys);
                familyKeys.UnionWith(cell.Cell.Family?.Values.Keys ?? []);
                _summaries.Add(cell);
            }
        }
        catch
        {
            _summaries.Dispose();
            throw;
        }

        Columns = [.. columns];
        GridPointColumns = ParameterColumns.GridPointWith(familyKeys);
    }

    /// <summary>The parameters that define a grid point in this sweep: the model's, and the family settings its cells use.</summary>
    public IReadOnlyList<ParameterColumn> GridPointColumns { get; }

    /// <summary>The parameter columns of a cell row: the grid point's, then what tells a point's cells apart.</summary>
    public IEnumerable<ParameterColumn> CellParameterColumns => GridPointColumns.Concat(ParameterColumns.CellOnly);

    /// <summary>Distinct cells, ordinal by id; each enumeration reads them again.</summary>
    public IEnumerable<CellRow> Cells => ExportCellSet.InOrder(_data.Cells).Select(c => new CellRow(c, Values(c)));

    /// <summary>Every metric column any cell has, in <see cref="MetricOrder"/>.</summary>
    public IReadOnlyList<MetricColumn> Columns { get; }

    /// <summary>Units, ordinal by id.</summary>
    public IEnumerable<ExportUnit> Units => _data.Units is ICollection<ExportUnit>
        ? _data.Units.OrderBy(u => u.UnitId, StringComparer.Ordinal)
        : InIdOrder(_data.Units);

    /// <summary>Grid points by key, metrics in <see cref="MetricOrder"/>; read once.</summary>
    public IEnumerable<GridPointSummary> Summary => _summaries.Summaries()
        .Select(p => p with { Metrics = [.. p.Metrics.Where(m => Keep(_data.Losses, m.Metric))] });

    /// <summary>Seconds from start to finish, when both are known.</summary>
    public static double? Duration(ExportUnit unit) => unit.StartedAt is { } s && unit.FinishedAt is { } f ? f - s : null;

    public void Dispose() => _summaries.Dispose();

    private Dictionary<MetricColumn, double> Values(ExportCell cell) =>
        MetricColumn.Flatten(cell).Where(p => Keep(_data.Losses, p.Key)).ToDictionary(p => p.Key, p => p.Value);

    private static bool Keep(LossSelection losses, MetricColumn column) => LossSelections.Includes(losses, column.Metric);

    private static IEnumerable<ExportUnit> InIdOrder(IEnumerable<ExportUnit> units)
    {
        string? previous = null;
        foreach (var unit in units)
        {
            if (previous is not null && string.CompareOrdinal(unit.UnitId, previous) < 0)
            {
                throw new InvalidOperationException($"units read one at a time must come in id order: {unit.UnitId} came after {previous}");
            }

            previous = unit.UnitId;
            yield return unit;
        }
    }

    /// <summary>A cell and its (selected) metric values.</summary>
    public sealed record CellRow(ExportCell Cell, IReadOnlyDictionary<MetricColumn, double> Values);
}
