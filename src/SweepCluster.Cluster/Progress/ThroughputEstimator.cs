namespace SweepCluster.Cluster.Progress;

/// <summary>
/// Cells per second over a sliding window of (database time, cells done) samples, and the ETA that
/// follows. Pure, so it is tested without a store.
/// </summary>
public sealed class ThroughputEstimator
{
    private readonly Queue<(double Time, int Cells)> _samples = new();
    private readonly double _windowSeconds;

    public ThroughputEstimator(double windowSeconds = 60)
    {
        _windowSeconds = windowSeconds;
    }

    public void Add(double time, int cellsDone)
    {
        _samples.Enqueue((time, cellsDone));
        while (_samples.Count > 2 && time - _samples.Peek().Time > _windowSeconds)
        {
            _samples.Dequeue();
        }
    }

    public double CellsPerSecond
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
            return dt > 0 ? Math.Max(0, last.Cells - first.Cells) / dt : 0;
        }
    }

    public double? EtaSeconds(int cellsRemaining)
    {
        double rate = CellsPerSecond;
        return cellsRemaining == 0 ? 0 : rate > 0 ? cellsRemaining / rate : null;
    }
}
