namespace SweepCluster.Cluster.Coordination;

/// <summary>How often a unit may fail (an exception, a lost worker) and how long it waits before the next try.</summary>
/// <param name="MaxAttempts">Attempts before the unit is failed for good.</param>
/// <param name="Backoff">The wait after the first failure; it doubles per attempt.</param>
/// <param name="BackoffCap">The longest wait.</param>
public sealed record RetryPolicy(int MaxAttempts, TimeSpan Backoff, TimeSpan BackoffCap)
{
    public static readonly RetryPolicy Default = new(3, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));

    /// <summary>The wait after attempt <paramref name="attempt"/> (counted from 1) failed.</summary>
    public TimeSpan Delay(int attempt)
    {
        double seconds = Backoff.TotalSeconds * Math.Pow(2, Math.Max(0, attempt - 1));
        return TimeSpan.FromSeconds(Math.Min(seconds, BackoffCap.TotalSeconds));
    }
}
