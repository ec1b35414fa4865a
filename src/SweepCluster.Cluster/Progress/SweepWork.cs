using SweepCluster.Storage;
using SweepCluster.Sweeps.Grids;
using SweepCluster.Sweeps.Units;

namespace SweepCluster.Cluster.Progress;

/// <summary>How much of a sweep's work is done, in predicted seconds of one compute slot.</summary>
/// <param name="Total">All units, finished or not.</param>
/// <param name="Credited">Finished units (done or failed for good) plus a share of each unit in flight.</param>
/// <param name="CreditedCost">What <paramref name="Credited"/> counts in the planner's cost, by kind of unit
/// (index: the kind's value), so that a rate measured over earlier looks can be valued at today's calibration.</param>
/// <param name="SecondsPerCost">The calibration this estimate used, by kind of unit (index: the kind's value).</param>
public sealed record WorkEstimate(double Total, double Credited, IReadOnlyList<double> CreditedCost, IReadOnlyList<double> SecondsPerCost)
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

    /// <summary>Length of the per-kind lists of a <see cref="WorkEstimate"/>: one past the largest kind's value.</summary>
    public static readonly int KindSlots = Enum.GetValues<UnitKind>().Max(k => (int)k) + 1;

    /// <param name="progress">The sweep's units as the store has them.</param>
    /// <param name="slots">The compute slots of the cluster, when known: at most this many units in flight are
    /// computing; the others were claimed ahead and wait in a worker's queue (a unit's start is its hand-out), and
    /// crediting them too counted up to twice the work the slots were doing (fig4's ETA at 10 % was a third short).
    /// The earliest handed out (the most expensive of a tie, which a worker starts first) are taken to be running.</param>
    public static WorkEstimate Estimate(SweepProgress progress, int? slots = null)
    {
        ArgumentNullException.ThrowIfNull(progress);
        double[] rates = SecondsPerCost(progress.Costs);
        var creditedCost = new double[KindSlots];
        double total = 0;
        double finished = 0;
        foreach (var tally in progress.Costs)
        {
            double seconds = tally.Cost * rates[(int)tally.Kind];
            total += seconds;
            if (tally.State is UnitStates.Done or UnitStates.Failed)
            {
                finished += seconds;
                creditedCost[(int)tally.Kind] += tally.Cost;
            }
        }

        double running = 0;
        var computing = slots is { } n
            ? progress.InFlight.OrderBy(u => u.StartedAt ?? double.MaxValue).ThenByDescending(u => u.Cost).Take(Math.Max(0, n))
            : progress.InFlight;
        foreach (var unit in computing)
        {
            double predicted = unit.Cost * rates[(int)unit.Kind];
            if (predicted > 0 && unit.StartedAt is { } started)
            {
                double share = Math.Clamp((progress.DatabaseTime - started) / predicted, 0, InFlightCreditCap);
                running += share * predicted;
                creditedCost[(int)unit.Kind] += share * unit.Cost;
            }
        }

        return new WorkEstimate(total, Math.Min(total, finished + running), creditedCost, rates);
    }

    /// <summary>
    /// Measured seconds per cost for each kind with timed units; a kind without any borrows the rate of all timed
    /// units or the planner's prior, whichever is slower, and with none at all the prior holds. Indexed by the kind's value.
    /// </summary>
    private static double[] SecondsPerCost(IReadOnlyList<UnitCostTally> costs)
    {
        var timed = costs.Where(c => c.State == UnitStates.Done && c.TimedCost > 0 && c.TimedSeconds > 0).ToList();
        double timedCost = timed.Sum(c => c.TimedCost);
        double all = timedCost > 0 ? timed.Sum(c => c.TimedSeconds) / timedCost : PriorSecondsPerCost;
        var byKind = timed.GroupBy(c => c.Kind).ToDictionary(g => g.Key, g => g.Sum(c => c.TimedSeconds) / g.Sum(c => c.TimedCost));
        // Borrowed at no less than the prior: kinds differ by up to 1.6 times per unit of cost between grids, and a
        // kind borrowing a faster kind's rate made the whole rest of a sweep look short (fig1 hands out 100 theory
        // units, 0.27 ns per cost, before 1,000 simulation units at 0.37: its ETA at 10 % was 30 % short).
        double borrowed = Math.Max(all, PriorSecondsPerCost);
        var rates = new double[KindSlots];
        foreach (var kind in Enum.GetValues<UnitKind>())
        {
            rates[(int)kind] = byKind.GetValueOrDefault(kind, borrowed);
        }

        return rates;
    }
}
