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
