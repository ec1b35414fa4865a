namespace SweepCluster.Cluster.Coordination;

/// <summary>
/// Measured seconds per unit of predicted cost, from hand-out to completion, over the recent completions, so
/// that "far past its predicted time" has a meaning in seconds. Zero until something completed.
/// </summary>
public sealed class CostRate
{
    private const int Window = 256;
    private readonly Queue<(double Cost, double Seconds)> _recent = new();
    private double _cost;
    private double _seconds;

    public void Add(double cost, double seconds)
    {
        if (cost <= 0 || seconds < 0 || !double.IsFinite(cost) || !double.IsFinite(seconds))
        {
            return;
        }

        _recent.Enqueue((cost, seconds));
        _cost += cost;
        _seconds += seconds;
        if (_recent.Count > Window)
        {
            var (oldCost, oldSeconds) = _recent.Dequeue();
            _cost -= oldCost;
            _seconds -= oldSeconds;
        }
    }

    public double SecondsPerCost => _cost > 0 ? _seconds / _cost : 0;
}
