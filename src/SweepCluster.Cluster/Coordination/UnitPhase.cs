namespace SweepCluster.Cluster.Coordination;

/// <summary>Where a unit is in the coordinator's state. Stored by value in snapshots: the numbers never change.</summary>
public enum UnitPhase
{
    /// <summary>In the queue (possibly waiting for its retry time).</summary>
    Open = 1,

    /// <summary>Held by a worker under its current attempt.</summary>
    HandedOut = 2,

    /// <summary>Its results are in the store.</summary>
    Done = 3,

    /// <summary>Failed at the attempt limit; only `--retry-failed` opens it again.</summary>
    Failed = 4,
}
