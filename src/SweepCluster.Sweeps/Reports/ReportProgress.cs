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

    /// <summary>
    /// Counts the cells (each id once, a computed copy of a listed-twice cell winning, as in the exports) as the store
    /// returned them: a collection in any order, or a sequence in id order that is read once and never held.
    /// </summary>
    public static ReportProgress FromCells(IEnumerable<ExportCell> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        int count = 0;
        int withResults = 0;
        int failed = 0;
        foreach (var cell in ExportCellSet.InOrder(cells))
        {
            count++;
            withResults += cell.Status is null ? 0 : 1;
            failed += cell.Status == ResultStatus.NumericalFailure ? 1 : 0;
        }

        return new ReportProgress(count, withResults, failed);
    }
}
