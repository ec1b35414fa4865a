using SweepCluster.Storage;
using SweepCluster.Sweeps.Grids;
using SweepCluster.Sweeps.Units;

namespace SweepCluster.Cluster.Progress;

/// <summary>How much of a sweep's work is done, in predicted seconds of one compute slot.</summary>
/// <param name="Total">All units, finished or not.</param>
/// <param name="Credited">Finished units (done or failed for good) plus a share of each unit in flight.</param>
public sealed record WorkEstimate(double Total, double Credited)
{
    /// <summary>Between 0 and 1; 1 for a sweep without units.</summary>
    public double Fraction => Total > 0 ? Math.Clamp(Credited / Total, 0, 1) : 1;

    public double Remaining => Math.Max(0, Total - Credited);
}

/// <summary>
/// Progress by predicted cost rather than by cells: a grid of a few expensive units and many cheap ones moves
/// as its time is spent, not as its cells are counted. The planner's cost is calibrated per kind of unit by the
/// time its finished units took (the cost model is only good to a factor of a few, and differently so for
/// simulation and theory), and a unit in flight is credited with the share of its predicted time that has passed,
/// so the bar moves while a long unit runs. Pure, so it is tested without a store.
/// </summary>
public static class SweepWork
{
    /// <summary>A unit in flight is never credited with more than this share: it may run longer than predicted.</summary>
    public const double InFlightCreditCap = 0.9;

    /// <summary>Before anything has finished, cost is turned into seconds at the planner's rate.</summary>
    public const double PriorSecondsPerCost = 1 / UnitPlanner.FlopsPerCoreSecond;

    public static WorkEstimate Estimate(SweepProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var rates = SecondsPerCost(progress.Costs);
        double total = 0;
        double finished = 0;
        foreach (var tally in progress.Costs)
        {
            double seconds = tally.Cost * rates(tally.Kind);
            total += seconds;
            if (tally.State is UnitStates.Done or UnitStates.Failed)
            {
                finished += seconds;
            }
        }

        double running = 0;
        foreach (var unit in progress.InFlight)
        {
            double predicted = unit.Cost * rates(unit.Kind);
            if (predicted > 0 && unit.StartedAt is { } started)
            {
                double share = Math.Clamp((progress.DatabaseTime - started) / predicted, 0, InFlightCreditCap);
                running += share * predicted;
            }
        }

        return new WorkEstimate(total, Math.Min(total, finished + running));
    }

    /// <summary>
    /// Measured seconds per cost for each kind with timed units; a kind without any borrows the rate of all timed
    /// units, and with none at all the planner's prior holds.
    /// </summary>
    private static Func<UnitKind, double> SecondsPerCost(IReadOnlyList<UnitCostTally> costs)
    {
        var timed = costs.Where(c => c.State == UnitStates.Done && c.TimedCost > 0 && c.TimedSeconds > 0).ToList();
        double timedCost = timed.Sum(c => c.TimedCost);
        double all = timedCost > 0 ? timed.Sum(c => c.TimedSeconds) / timedCost : PriorSecondsPerCost;
        var byKind = timed.GroupBy(c => c.Kind).ToDictionary(g => g.Key, g => g.Sum(c => c.TimedSeconds) / g.Sum(c => c.TimedCost));
        return kind => byKind.GetValueOrDefault(kind, all);
    }
}
