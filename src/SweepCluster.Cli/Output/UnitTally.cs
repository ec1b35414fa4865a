using SweepCluster.Storage;

namespace SweepCluster.Cli.Output;

/// <summary>
/// What `status` says about a sweep's units, tallied as they are read page by page: a million units cost no more
/// memory than a hundred. Throughput comes from the units' own finish times (status keeps no history of its own).
/// </summary>
/// <param name="CellsPerSecond">Cells of done units over the span of their finish times; 0 until two have finished apart.</param>
/// <param name="FirstFailed">The first failed units in id order, at most <see cref="FailedShown"/>.</param>
public sealed record UnitTally(double CellsPerSecond, IReadOnlyList<UnitRecord> FirstFailed)
{
    public const int FailedShown = 20;

    public static async Task<UnitTally> ReadAsync(IAsyncEnumerable<UnitRecord> units, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(units);
        int finished = 0;
        double first = double.PositiveInfinity;
        double last = double.NegativeInfinity;
        long cellsDone = 0;
        var failed = new List<UnitRecord>(FailedShown);
        await foreach (var unit in units.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (unit.State == UnitStates.Done)
            {
                cellsDone += unit.Cells;
                if (unit.FinishedAt is { } at)
                {
                    finished++;
                    first = Math.Min(first, at);
                    last = Math.Max(last, at);
                }
            }
            else if (unit.State == UnitStates.Failed && failed.Count < FailedShown)
            {
                failed.Add(unit);
            }
        }

        double rate = finished >= 2 && last > first ? cellsDone / (last - first) : 0;
        return new UnitTally(rate, failed);
    }
}
