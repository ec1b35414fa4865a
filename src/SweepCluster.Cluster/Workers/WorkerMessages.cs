using SweepCluster.Storage;
using SweepCluster.Sweeps.Execution;

namespace SweepCluster.Cluster.Workers;

/// <summary>A compute slot finished a unit (local to the worker's node, never sent over the network).</summary>
public sealed record UnitComputed(ClaimedUnit Unit, IReadOnlyList<TimedOutcome> Outcomes, double Seconds) : Akka.Actor.INoSerializationVerificationNeeded;

/// <summary>A compute slot threw: the unit goes back with backoff, or fails at the attempt limit.</summary>
public sealed record UnitCrashed(ClaimedUnit Unit, Exception Error) : Akka.Actor.INoSerializationVerificationNeeded;

/// <summary>Stop asking for work, let in-flight units finish and commit, give back the units not started.</summary>
public sealed record DrainWorker : Akka.Actor.INoSerializationVerificationNeeded
{
    public static readonly DrainWorker Instance = new();
}
