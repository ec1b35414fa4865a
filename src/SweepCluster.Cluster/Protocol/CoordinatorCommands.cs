using Akka.Actor;

namespace SweepCluster.Cluster.Protocol;

/// <summary>What workers and clients ask of the coordinator singleton (through its proxy).</summary>
/// <remarks>
/// Delivery through the singleton proxy is at most once: while the singleton moves, messages are dropped.
/// Every command that changes state is therefore retried by its sender until the reply arrives, and is
/// idempotent here: a repeat finds the state already changed and gets the same reply.
/// </remarks>
public interface ICoordinatorCommand : ISweepClusterMessage;

/// <summary>A worker joins the pool (retried until <see cref="WorkerRegistered"/>; again after a failover).</summary>
public sealed record RegisterWorker(string NodeId, IActorRef Worker, int Slots) : ICoordinatorCommand;

/// <summary>
/// A worker asks for up to <paramref name="Count"/> units, of one sweep when <paramref name="SweepId"/> is set.
/// <paramref name="RequestId"/> grows per worker: a repeated request (its reply was lost) gets the units handed
/// out for it again instead of new ones.
/// </summary>
public sealed record RequestUnits(string NodeId, long RequestId, int Count, string? SweepId = null) : ICoordinatorCommand;

/// <summary>The results of these units are committed to the store (retried until <see cref="UnitsDoneAcknowledged"/>).</summary>
public sealed record ReportUnitsDone(string NodeId, IReadOnlyList<UnitTicket> Units) : ICoordinatorCommand;

/// <summary>Computing a unit threw: retry with backoff, or fail it for good at the attempt limit.</summary>
public sealed record ReportUnitCrashed(string NodeId, UnitTicket Unit, string Reason) : ICoordinatorCommand;

/// <summary>A draining worker gives back units it never started; they do not use up an attempt.</summary>
public sealed record ReturnUnits(string NodeId, IReadOnlyList<UnitTicket> Units, string Reason) : ICoordinatorCommand;

/// <summary>A worker's periodic word: the units it holds. Units it no longer mentions fall silent and are offered again.</summary>
public sealed record WorkerHeartbeat(string NodeId, IReadOnlyList<UnitTicket> Held, int UnitsDone) : ICoordinatorCommand;

/// <summary>Look at a sweep in the store now (new units, units finished or re-queued there) instead of at the next scan.</summary>
public sealed record WatchSweep(string SweepId) : ICoordinatorCommand;

/// <summary>Members, workers and sweeps as the coordinator sees them, for `sweep status`.</summary>
public sealed record GetCoordinatorStatus : ICoordinatorCommand
{
    public static readonly GetCoordinatorStatus Instance = new();
}
