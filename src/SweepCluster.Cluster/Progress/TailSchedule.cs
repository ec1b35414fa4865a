using SweepCluster.Storage;

namespace SweepCluster.Cluster.Progress;

/// <summary>
/// The time left in a sweep as the coordinator will hand it out: most expensive unit first to whichever slot frees
/// up first (longest processing time first), with the units in flight finishing their predicted remainders. Unlike
/// work over rate, this sees the tail, where fewer units than slots are left and cores idle. Pure.
/// </summary>
public static class TailSchedule
{
    /// <summary>Units placed one by one; beyond this many the rest are spread evenly (their tail is short anyway).</summary>
    public const int MaxPlacedUnits = 100_000;

    /// <summary>
    /// Seconds until the last unit finishes on <paramref name="slots"/> slots; null when nothing has been timed
    /// yet. Units in flight are credited with their elapsed share as in <see cref="SweepWork"/>.
    /// </summary>
    public static double? RemainingSeconds(SweepProgress progress, int slots)
    {
        ArgumentNullException.ThrowIfNull(progress);
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 1);
        var model = UnitTimeModel.Fit(progress.ComputeTimes);
        if (model.IsEmpty)
        {
            return null;
        }

        var free = new PriorityQueue<int, double>();
        for (int i = 0; i < slots; i++)
        {
            free.Enqueue(i, 0);
        }

        double Place(double seconds)
        {
            free.TryDequeue(out int slot, out double at);
            free.Enqueue(slot, at + seconds);
            return at + seconds;
        }

        double end = 0;
        foreach (var unit in progress.InFlight.OrderByDescending(u => u.Cost))
        {
            double predicted = model.Seconds(unit.Kind, unit.Cost);
            double share = unit.StartedAt is { } started && predicted > 0
                ? Math.Clamp((progress.DatabaseTime - started) / predicted, 0, SweepWork.InFlightCreditCap)
                : 0;
            end = Math.Max(end, Place(predicted * (1 - share)));
        }

        int placed = 0;
        double spread = 0;
        foreach (var group in PendingGroups(progress))
        {
            double seconds = model.Seconds(group.Kind, group.Cost);
            int each = Math.Min(group.Units, Math.Max(0, MaxPlacedUnits - placed));
            for (int i = 0; i < each; i++)
            {
                end = Math.Max(end, Place(seconds));
            }

            placed += each;
            spread += (group.Units - each) * seconds;
        }

        if (spread > 0)
        {
            double busy = 0;
            while (free.TryDequeue(out _, out double at))
            {
                busy += at;
            }

            end = Math.Max(end, (busy + spread) / slots);
        }

        return end;
    }

    /// <summary>The listed pending groups, and one more for the pending units beyond the listed ones, at their mean cost.</summary>
    private static IEnumerable<UnitCostGroup> PendingGroups(SweepProgress progress)
    {
        foreach (var group in progress.Pending)
        {
            yield return group;
        }

        foreach (var tally in progress.Costs.Where(t => t.State == UnitStates.Pending))
        {
            var listed = progress.Pending.Where(g => g.Kind == tally.Kind).ToList();
            int units = tally.Units - listed.Sum(g => g.Units);
            double cost = tally.Cost - listed.Sum(g => g.Cost * g.Units);
            if (units > 0)
            {
                yield return new UnitCostGroup(tally.Kind, Math.Max(0, cost) / units, units);
            }
        }
    }
}
