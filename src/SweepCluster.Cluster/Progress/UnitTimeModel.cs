using SweepCluster.Storage;
using SweepCluster.Sweeps.Units;

namespace SweepCluster.Cluster.Progress;

/// <summary>
/// Seconds of computation a unit of a kind and predicted cost takes: a line t = t0 + k c fitted by least squares to
/// the sweep's done units of that kind. The intercept is what the planner's cost leaves out (loading cells, building
/// a spectral measure, per-unit set-up), which dominates small units; a ratio of sums alone would make the many
/// cheap units at the end of a sweep (it hands out the most expensive first) look faster than they are.
/// </summary>
public sealed class UnitTimeModel
{
    /// <summary>A kind needs this many timed units before its own line is trusted.</summary>
    public const int MinimumUnits = 3;

    private readonly Dictionary<UnitKind, (double Intercept, double Slope)> _lines;

    private UnitTimeModel(Dictionary<UnitKind, (double Intercept, double Slope)> lines)
    {
        _lines = lines;
    }

    /// <summary>Whether any kind has a line; without one there is nothing to predict with.</summary>
    public bool IsEmpty => _lines.Count == 0;

    public static UnitTimeModel Fit(IEnumerable<UnitComputeSums> sums)
    {
        ArgumentNullException.ThrowIfNull(sums);
        var lines = new Dictionary<UnitKind, (double, double)>();
        foreach (var s in sums.Where(s => s.Units >= MinimumUnits && s.Cost > 0 && s.Seconds >= 0))
        {
            lines[s.Kind] = Line(s);
        }

        return new UnitTimeModel(lines);
    }

    /// <summary>Predicted seconds; a kind without a line of its own borrows the slowest line per unit of cost.</summary>
    public double Seconds(UnitKind kind, double cost)
    {
        if (_lines.Count == 0)
        {
            throw new InvalidOperationException("the model has no timed units to predict from");
        }

        var (intercept, slope) = _lines.TryGetValue(kind, out var own) ? own : _lines.Values.MaxBy(l => l.Slope);
        return intercept + slope * Math.Max(0, cost);
    }

    private static (double Intercept, double Slope) Line(UnitComputeSums s)
    {
        double n = s.Units;
        double meanCost = s.Cost / n;
        double meanSeconds = s.Seconds / n;
        double costVariance = s.CostSquared / n - meanCost * meanCost;
        double covariance = s.CostTimesSeconds / n - meanCost * meanSeconds;
        // All units of one cost (or too close to tell, the difference being rounding): time is proportional to cost.
        if (costVariance <= 1e-9 * meanCost * meanCost)
        {
            return (0, s.Seconds / s.Cost);
        }

        double slope = covariance / costVariance;
        double intercept = meanSeconds - slope * meanCost;
        if (slope < 0)
        {
            // Time falling with cost is noise (or a warming JIT): no cost dependence beyond the mean.
            return (meanSeconds, 0);
        }

        // A negative intercept would predict negative times for small units: the line through the origin instead.
        return intercept < 0 ? (0, s.CostTimesSeconds / s.CostSquared) : (intercept, slope);
    }
}
