using SweepCluster.Storage;
using SweepCluster.Sweeps.Execution;

namespace SweepCluster.Cluster.Workers;

/// <summary>Messages a worker handles.</summary>
public interface IWorkerMessage;

/// <summary>Look for work if slots are free.</summary>
public sealed record ClaimUnits : IWorkerMessage
{
    public static readonly ClaimUnits Instance = new();
}

/// <summary>Renew leases and show liveness.</summary>
public sealed record RenewLeases : IWorkerMessage
{
    public static readonly RenewLeases Instance = new();
}

/// <summary>A claim came back: the units now leased to this node, and the error if the claim (or fetching their spectra) failed.</summary>
public sealed record UnitsClaimed(IReadOnlyList<ClaimedUnit> Units, Exception? Error) : IWorkerMessage;

/// <summary>A lease renewal came back with the leases this node has lost.</summary>
public sealed record LeasesRenewed(IReadOnlyList<UnitLease> Lost) : IWorkerMessage;

/// <summary>A compute slot finished a unit.</summary>
public sealed record UnitComputed(ClaimedUnit Unit, IReadOnlyList<TimedOutcome> Outcomes, double Seconds) : IWorkerMessage, Akka.Actor.INoSerializationVerificationNeeded;

/// <summary>A compute slot threw: the unit goes back with backoff, or fails at the attempt limit.</summary>
public sealed record UnitCrashed(ClaimedUnit Unit, Exception Error) : IWorkerMessage, Akka.Actor.INoSerializationVerificationNeeded;

/// <summary>The result writer is done with a unit: Outcome is null when it could not be stored.</summary>
public sealed record UnitCommitted(ClaimedUnit Unit, CompletionOutcome? Outcome) : IWorkerMessage;

/// <summary>Stop claiming, let in-flight units finish and commit, then stop.</summary>
public sealed record DrainWorker : IWorkerMessage, Akka.Actor.INoSerializationVerificationNeeded
{
    public static readonly DrainWorker Instance = new();
}
