using SweepCluster.Cluster.Protocol;

namespace SweepCluster.Cluster.Coordination;

/// <summary>
/// What the coordinator persists, in the past tense. The journal of these events is the coordinator's state:
/// recovery replays them through <see cref="CoordinatorState.Apply"/>. Times are seconds since the epoch,
/// taken by the actor from its clock and carried in the event, so replay never reads a clock.
/// </summary>
public interface ICoordinatorEvent : ISweepClusterMessage;

/// <summary>A unit as the coordinator first learns of it from the store.</summary>
/// <param name="Done">The store already has its results (a store written before, or a lost completion report).</param>
/// <param name="Failed">The store has it failed for good.</param>
public sealed record AcceptedUnit(string UnitId, double Cost, bool Done, bool Failed);

/// <summary>Units of a sweep the coordinator did not know (a new sweep, or a grid that grew).</summary>
public sealed record SweepAccepted(string SweepId, IReadOnlyList<AcceptedUnit> Units) : ICoordinatorEvent;

/// <summary>Units given to a worker for one of its requests; each ticket's attempt is one more than the unit's last.</summary>
public sealed record UnitsHandedOut(string NodeId, long RequestId, IReadOnlyList<UnitTicket> Units, double At) : ICoordinatorEvent;

/// <summary>Units whose results are in the store. NodeId is the reporting worker, or "store" when found there.</summary>
public sealed record UnitsCompleted(string NodeId, IReadOnlyList<UnitTicket> Units) : ICoordinatorEvent;

/// <summary>An attempt threw: the unit waits until <paramref name="RetryAt"/>, or is failed for good.</summary>
public sealed record UnitAttemptFailed(string NodeId, UnitTicket Unit, string Reason, double RetryAt, bool FailedForGood) : ICoordinatorEvent;

/// <summary>
/// Units taken back from their holder: a worker that left or fell silent (the attempt counts, and a unit at
/// the attempt limit is failed for good instead of reopened), or a draining worker that never started them
/// (the attempt does not count).
/// </summary>
public sealed record UnitsReleased(IReadOnlyList<UnitTicket> Reopened, IReadOnlyList<UnitTicket> FailedForGood, string Reason, bool CountsAsAttempt, double RetryAt) : ICoordinatorEvent;

/// <summary>Units failed for good put back in the queue with a fresh attempt budget (`--retry-failed`).</summary>
public sealed record FailedUnitsRequeued(string SweepId, IReadOnlyList<string> UnitIds) : ICoordinatorEvent;

/// <summary>Every unit of the sweep is done or failed.</summary>
public sealed record SweepFinished(string SweepId, double At) : ICoordinatorEvent;
