using SweepCluster.Cluster.Protocol;

namespace SweepCluster.Cluster.Coordination;

/// <summary>
/// One unit in the coordinator's state. <see cref="Attempt"/> is the number of the last hand-out and only
/// grows (a fencing token is never handed out twice); the attempt budget counts the attempts above
/// <see cref="AttemptBase"/>, which a return of an unstarted unit or a re-queue of a failed one raises.
/// </summary>
public sealed record UnitEntry(
    string UnitId,
    string SweepId,
    double Cost,
    UnitPhase Phase,
    int Attempt,
    int AttemptBase,
    string? Owner,
    double HandedOutAt,
    double RetryAt,
    string? LastError)
{
    public UnitTicket Ticket => new(UnitId, Attempt);

    /// <summary>Attempts used against the limit.</summary>
    public int AttemptsUsed => Attempt - AttemptBase;
}
