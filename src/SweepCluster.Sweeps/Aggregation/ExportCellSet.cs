using SweepCluster.Sweeps.Cells;

namespace SweepCluster.Sweeps.Aggregation;

/// <summary>
/// Puts cells into the one order every output uses (ordinal by id) and keeps each id once, so that the
/// order or repetition of the input never shows in a result.
/// </summary>
internal static class ExportCellSet
{
    public static List<ExportCell> Distinct(IEnumerable<ExportCell> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        var byId = new Dictionary<string, ExportCell>(StringComparer.Ordinal);
        foreach (var cell in cells)
        {
            ArgumentNullException.ThrowIfNull(cell);
            if (!byId.TryGetValue(cell.Cell.Id, out var kept) || Preference(cell, kept) < 0)
            {
                byId[cell.Cell.Id] = cell;
            }
        }

        var list = byId.Values.ToList();
        list.Sort((a, b) => string.CompareOrdinal(a.Cell.Id, b.Cell.Id));
        return list;
    }

    /// <summary>
    /// <see cref="Distinct"/> without holding the cells when they already come in id order: a collection is
    /// sorted as before; any other sequence (a store read in pages) must be in id order, is passed through one cell at
    /// a time with repeats of an id merged as <see cref="Distinct"/> would, and fails when it is out of order.
    /// </summary>
    public static IEnumerable<ExportCell> InOrder(IEnumerable<ExportCell> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        return cells is ICollection<ExportCell> ? Distinct(cells) : Merge(cells);
    }

    private static IEnumerable<ExportCell> Merge(IEnumerable<ExportCell> cells)
    {
        ExportCell? kept = null;
        foreach (var cell in cells)
        {
            ArgumentNullException.ThrowIfNull(cell);
            int order = kept is null ? 1 : string.CompareOrdinal(cell.Cell.Id, kept.Cell.Id);
            if (order < 0)
            {
                throw new InvalidOperationException($"cells read one at a time must come in id order: {cell.Cell.Id} came after {kept!.Cell.Id}");
            }

            if (order == 0)
            {
                kept = Preference(cell, kept!) < 0 ? cell : kept;
                continue;
            }

            if (kept is not null)
            {
                yield return kept;
            }

            kept = cell;
        }

        if (kept is not null)
        {
            yield return kept;
        }
    }

    // The same cell listed twice (two grid entries expanding to one cell) should carry one result; if the
    // copies differ anyway, a computed one wins and the rest of the order only makes the choice independent
    // of the input order.
    private static int Preference(ExportCell a, ExportCell b)
    {
        int byComputed = PendingRank(a).CompareTo(PendingRank(b));
        if (byComputed != 0)
        {
            return byComputed;
        }

        int byStatus = Nullable.Compare(a.Status, b.Status);
        if (byStatus != 0)
        {
            return byStatus;
        }

        int byMetrics = string.CompareOrdinal(MetricsText(a), MetricsText(b));
        return byMetrics != 0 ? byMetrics : string.CompareOrdinal(a.Message, b.Message);
    }

    private static int PendingRank(ExportCell cell) => cell.Status is null ? 1 : 0;

    private static string MetricsText(ExportCell cell) => cell.Metrics is null ? string.Empty : MetricsJson.Write(cell.Metrics);
}
