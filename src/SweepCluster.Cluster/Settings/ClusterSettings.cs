namespace SweepCluster.Cluster.Settings;

/// <summary>
/// Every knob of the coordination protocol, read once into this validated record. Defaults suit a
/// laptop and a small cluster; cluster-config/ documents each with its trade-off.
/// </summary>
public sealed record ClusterSettings
{
    /// <summary>How long a claim is valid without a heartbeat. Longer = slower recovery from a dead node; shorter = more renewals.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a worker renews its leases and shows it is alive; well below the lease duration.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long an idle worker waits before asking for work again.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Units claimed in one transaction, at most the free slots.</summary>
    public int ClaimBatch { get; init; } = 8;

    /// <summary>
    /// Units a worker holds claimed beyond its busy slots, so a slot that frees starts its next unit at once
    /// instead of waiting for a claim round trip. Larger: more hidden latency, but more units parked on one
    /// node at the end of a sweep while another node idles. 0 = claim only when a slot is free.
    /// </summary>
    public int ClaimAhead { get; init; } = 2;

    /// <summary>Attempts (claims that ended in an exception or a lost node) before a unit is failed for good.</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>First retry delay after an exception; doubles per attempt up to <see cref="RetryBackoffCap"/>.</summary>
    public TimeSpan RetryBackoff { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan RetryBackoffCap { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How often the coordinator aggregates and logs progress.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>A node whose heartbeat is older than this many intervals is reported dead.</summary>
    public int DeadAfterMissedHeartbeats { get; init; } = 3;

    public TimeSpan RetryDelay(int attempt)
    {
        double seconds = RetryBackoff.TotalSeconds * Math.Pow(2, Math.Max(0, attempt - 1));
        return TimeSpan.FromSeconds(Math.Min(seconds, RetryBackoffCap.TotalSeconds));
    }

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (LeaseDuration <= TimeSpan.Zero)
        {
            errors.Add("lease duration must be positive");
        }

        if (HeartbeatInterval <= TimeSpan.Zero || HeartbeatInterval * 2 > LeaseDuration)
        {
            errors.Add($"heartbeat interval must be positive and at most half the lease duration ({LeaseDuration.TotalSeconds} s)");
        }

        if (ClaimBatch < 1)
        {
            errors.Add("claim batch must be at least 1");
        }

        if (ClaimAhead < 0)
        {
            errors.Add("claim ahead must be 0 or more");
        }

        if (MaxAttempts < 1)
        {
            errors.Add("max attempts must be at least 1");
        }

        return errors;
    }
}
