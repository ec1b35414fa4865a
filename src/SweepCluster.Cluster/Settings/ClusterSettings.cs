using SweepCluster.Cluster.Coordination;

namespace SweepCluster.Cluster.Settings;

/// <summary>
/// Every knob of the coordination protocol, read once into this validated record. Defaults suit a
/// laptop and a small cluster; cluster-config/ documents each with its trade-off.
/// </summary>
public sealed record ClusterSettings
{
    /// <summary>How often a worker tells the coordinator which units it holds; well below <see cref="UnitSilenceTimeout"/>.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Units a worker asks the coordinator for at once, at most its free slots plus <see cref="ClaimAhead"/>.</summary>
    public int ClaimBatch { get; init; } = 8;

    /// <summary>
    /// Units a worker holds claimed beyond its busy slots, so a slot that frees starts its next unit at once
    /// instead of waiting for a claim round trip. Larger: more hidden latency, but more units parked on one
    /// node at the end of a sweep while another node idles. 0 = claim only when a slot is free.
    /// </summary>
    public int ClaimAhead { get; init; } = 2;

    /// <summary>
    /// For cheap units, a worker holds more than <see cref="ClaimAhead"/>: enough to keep its slots busy this long
    /// by its measured unit times (at most <see cref="Workers.ClaimAhead.Cap"/>), so units of milliseconds are
    /// handed out, committed and reported by the hundred. Zero keeps the count fixed.
    /// </summary>
    public TimeSpan ClaimAheadTime { get; init; } = TimeSpan.FromSeconds(0.5);

    /// <summary>Attempts (claims that ended in an exception or a lost node) before a unit is failed for good.</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>First retry delay after an exception; doubles per attempt up to <see cref="RetryBackoffCap"/>.</summary>
    public TimeSpan RetryBackoff { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan RetryBackoffCap { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How often the coordinator aggregates progress (and feeds a progress bar).</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How often a progress line is logged; null logs every look. Longer than <see cref="ProgressInterval"/> when a
    /// progress bar shows the progress, so that log lines do not push the bar around.
    /// </summary>
    public TimeSpan? ProgressLogInterval { get; init; }

    /// <summary>A held unit that no heartbeat of its worker has mentioned for this long is offered again.</summary>
    public TimeSpan UnitSilenceTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// A held unit is offered again once it has run this many times longer than its predicted duration (its cost
    /// times the measured seconds per cost), but never before <see cref="UnitOverdueFloor"/>: a stuck computation.
    /// </summary>
    public double UnitOverdueFactor { get; init; } = 10;

    public TimeSpan UnitOverdueFloor { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a worker waits for a reply (hand-out, acknowledgement) before it sends again.</summary>
    public TimeSpan ReplyTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The coordinator saves a snapshot after this many events, so recovery replays at most that many.</summary>
    public int SnapshotEvery { get; init; } = 1000;

    /// <summary>How long a draining worker may finish its units before it leaves anyway (their results are then recomputed elsewhere).</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Split brain resolver: how long membership must be stable before unreachable nodes are downed.</summary>
    public TimeSpan StableAfter { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Extra wait after downing before a downed node's singleton or units are taken over.</summary>
    public TimeSpan DownRemovalMargin { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Failure detector: a silence longer than this marks a node unreachable. Short detects deaths fast; too short downs busy nodes.</summary>
    public TimeSpan AcceptableHeartbeatPause { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>The retry rule the coordinator applies.</summary>
    public RetryPolicy Retry => new(MaxAttempts, RetryBackoff, RetryBackoffCap);

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (HeartbeatInterval <= TimeSpan.Zero || HeartbeatInterval * 2 > UnitSilenceTimeout)
        {
            errors.Add($"heartbeat interval must be positive and at most half the unit silence timeout ({UnitSilenceTimeout.TotalSeconds} s)");
        }

        if (ClaimBatch < 1)
        {
            errors.Add("claim batch must be at least 1");
        }

        if (ClaimAhead < 0)
        {
            errors.Add("claim ahead must be 0 or more");
        }

        if (ClaimAheadTime < TimeSpan.Zero)
        {
            errors.Add("claim-ahead time must be 0 or more");
        }

        if (MaxAttempts < 1)
        {
            errors.Add("max attempts must be at least 1");
        }

        return errors;
    }
}
