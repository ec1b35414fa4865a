namespace SweepCluster.Cluster.Progress;

/// <summary>
/// A rate over a sliding window of (database time, amount done) samples, and the ETA that follows. The amount
/// is cells for the cells-per-second of the logs, and predicted work (<see cref="SweepWork"/>) for the ETA. An amount
/// may come in parts (the work of each kind of unit, in the planner's cost) that are weighted when the rate is read,
/// so that looks taken before a calibration changed are valued at the new one: otherwise the first finished unit of
/// a kind moves the whole sweep's credited work at once, and the window reads that jump as speed (or as going back).
/// The window opens at the first sample that shows anything done: the time before that is the process's start
/// (loading, the first JIT tiers, the first unit's set-up), and a rate measured over it under-states the sweep's speed
/// (on the paper's 20-second grids the first second did a tenth of the work of the next). Pure, so it is tested
/// without a store.
/// </summary>
public sealed class ThroughputEstimator
{
    private readonly Queue<(double Time, double[] Parts)> _samples = new();
    private readonly double _windowSeconds;

    public ThroughputEstimator(double windowSeconds = 60)
    {
        _windowSeconds = windowSeconds;
    }

    public void Add(double time, double done) => Add(time, [done]);

    public void Add(double time, IReadOnlyList<double> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (_samples.Count == 0 && parts.Sum() <= 0)
        {
            return;
        }

        _samples.Enqueue((time, [.. parts]));
        while (_samples.Count > 2 && time - _samples.Peek().Time > _windowSeconds)
        {
            _samples.Dequeue();
        }
    }

    /// <summary>Amount per second over the window; 0 until two samples are apart in time.</summary>
    public double PerSecond => WeightedPerSecond(static _ => 1);

    /// <summary>Amount per second over the window with part i counted at <paramref name="weight"/>(i).</summary>
    public double WeightedPerSecond(Func<int, double> weight)
    {
        ArgumentNullException.ThrowIfNull(weight);
        if (_samples.Count < 2)
        {
            return 0;
        }

        var (firstTime, first) = _samples.Peek();
        var (lastTime, last) = _samples.Last();
        double dt = lastTime - firstTime;
        if (dt <= 0)
        {
            return 0;
        }

        double done = 0;
        for (int i = 0; i < last.Length; i++)
        {
            done += weight(i) * (last[i] - (i < first.Length ? first[i] : 0));
        }

        return Math.Max(0, done) / dt;
    }

    /// <summary>Seconds until <paramref name="remaining"/> is done at the current rate; null while the rate is unknown.</summary>
    public double? EtaSeconds(double remaining) => Eta(remaining, PerSecond);

    /// <summary>As <see cref="EtaSeconds(double)"/>, at the rate of <see cref="WeightedPerSecond"/>.</summary>
    public double? EtaSeconds(double remaining, Func<int, double> weight) => Eta(remaining, WeightedPerSecond(weight));

    private static double? Eta(double remaining, double rate) => remaining <= 0 ? 0 : rate > 0 ? remaining / rate : null;
}
