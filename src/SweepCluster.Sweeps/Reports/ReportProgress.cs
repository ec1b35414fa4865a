using SweepCluster.Sweeps.Aggregation;
using SweepCluster.Sweeps.Cells;

namespace SweepCluster.Sweeps.Reports;

/// <summary>How far a sweep has come: a report of a running sweep says what it is still missing.</summary>
/// <param name="Cells">Cells of the sweep (simulation and theory).</param>
/// <param name="WithResults">Cells with a result (ok or failed).</param>
/// <param name="Failed">Cells that ended in a numerical failure.</param>
public sealed record ReportProgress(int Cells, int WithResults, int Failed)
{
    /// <summary>Cells without a result yet.</summary>
    public int Pending => Cells - WithResults;

    /// <summary>Every cell has a result.</summary>
    public bool IsComplete => Pending == 0;

    /// <summary>Counts the cells (each id once) as the store returned them.</summary>
    public static ReportProgress FromCells(IEnumerable<ExportCell> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        var byId = new Dictionary<string, ExportCell>(StringComparer.Ordinal);
        foreach (var cell in cells)
        {
            // A computed copy of a listed-twice cell wins, as in the exports.
            if (!byId.TryGetValue(cell.Cell.Id, out var kept) || kept.Status is null)
            {
                byId[cell.Cell.Id] = cell;
            }
        }

        return new ReportProgress(
            byId.Count,
            byId.Values.Count(c => c.Status is not null),
            byId.Values.Count(c => c.Status == ResultStatus.NumericalFailure));
    }
}
