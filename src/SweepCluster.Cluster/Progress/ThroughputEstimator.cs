namespace SweepCluster.Cluster.Progress;

/// <summary>
/// A rate over a sliding window of (database time, amount done) samples, and the ETA that follows. The amount
/// is cells for the cells-per-second of the logs, and predicted work (<see cref="SweepWork"/>) for the ETA.
/// Pure, so it is tested without a store.
/// </summary>
public sealed class ThroughputEstimator
{
    private readonly Queue<(double Time, double Done)> _samples = new();
    private readonly double _windowSeconds;

    public ThroughputEstimator(double windowSeconds = 60)
    {
        _windowSeconds = windowSeconds;
    }

    public void Add(double time, double done)
    {
        _samples.Enqueue((time, done));
        while (_samples.Count > 2 && time - _samples.Peek().Time > _windowSeconds)
        {
            _samples.Dequeue();
        }
    }

    /// <summary>Amount per second over the window; 0 until two samples are apart in time.</summary>
    public double PerSecond
    {
        get
        {
            if (_samples.Count < 2)
            {
                return 0;
            }

            var first = _samples.Peek();
            var last = _samples.Last();
            double dt = last.Time - first.Time;
            return dt > 0 ? Math.Max(0, last.Done - first.Done) / dt : 0;
        }
    }

    /// <summary>Seconds until <paramref name="remaining"/> is done at the current rate; null while the rate is unknown.</summary>
    public double? EtaSeconds(double remaining)
    {
        double rate = PerSecond;
        return remaining <= 0 ? 0 : rate > 0 ? remaining / rate : null;
    }
}
