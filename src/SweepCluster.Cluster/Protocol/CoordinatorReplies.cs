namespace SweepCluster.Cluster.Protocol;

/// <summary>Replies of the coordinator, and its unprompted word to workers.</summary>
public interface ICoordinatorReply : ISweepClusterMessage;

/// <summary>The worker is in the pool of this coordinator incarnation.</summary>
public sealed record WorkerRegistered(string NodeId, string Incarnation) : ICoordinatorReply;

/// <summary>
/// The units handed out for a request; empty when nothing is due now (a <see cref="WorkAvailable"/> follows when
/// something is). <paramref name="UnitsUnsettled"/> counts the units of every sweep not yet done or failed (open
/// or held by someone), or -1 while the coordinator has not read the store yet: a worker told to exit when idle
/// exits on an empty reply with none unsettled.
/// </summary>
public sealed record UnitsHandedOutReply(string NodeId, long RequestId, IReadOnlyList<UnitAssignment> Units, int UnitsUnsettled) : ICoordinatorReply;

/// <summary>The coordinator has persisted these completions (or already had them).</summary>
public sealed record UnitsDoneAcknowledged(IReadOnlyList<UnitTicket> Units) : ICoordinatorReply;

/// <summary>The crash report is persisted (or was stale and ignored).</summary>
public sealed record UnitCrashAcknowledged(UnitTicket Unit) : ICoordinatorReply;

/// <summary>The returned units are back in the queue (or were no longer this worker's).</summary>
public sealed record UnitsReturnedAcknowledged(IReadOnlyList<UnitTicket> Units) : ICoordinatorReply;

/// <summary>Units are open: a worker with free slots should ask.</summary>
public sealed record WorkAvailable : ICoordinatorReply
{
    public static readonly WorkAvailable Instance = new();
}

/// <summary>The coordinator looked at the sweep: what is open, done and failed in its state.</summary>
public sealed record SweepWatched(string SweepId, int UnitsTotal, int UnitsDone, int UnitsFailed, bool Finished) : ICoordinatorReply;

/// <summary>One worker as the coordinator sees it.</summary>
public sealed record WorkerView(string NodeId, string Address, int Slots, int UnitsHeld, int UnitsDone);

/// <summary>One sweep as the coordinator sees it.</summary>
public sealed record SweepView(string SweepId, int UnitsTotal, int UnitsOpen, int UnitsHandedOut, int UnitsDone, int UnitsFailed, bool Finished);

/// <summary>The answer to <see cref="GetCoordinatorStatus"/>.</summary>
public sealed record CoordinatorStatus(string Address, string Incarnation, IReadOnlyList<WorkerView> Workers, IReadOnlyList<SweepView> Sweeps) : ICoordinatorReply;
