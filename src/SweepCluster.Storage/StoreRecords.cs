using SweepCluster.Sweeps.Cells;
using SweepCluster.Sweeps.Units;

namespace SweepCluster.Storage;

/// <summary>What a submit added.</summary>
public sealed record SubmitOutcome(bool NewSweep, int NewCells, int NewUnits, int TotalCells)
{
    /// <summary>Cells submitted (a <see cref="SweepSource"/> submission; 0 otherwise).</summary>
    public int Cells { get; init; }

    /// <summary>Of those, cells that already had a result and were left out of the units (a <see cref="SweepSource"/> submission).</summary>
    public int CompletedCells { get; init; }

    /// <summary>Units planned for the other cells, new or not (a <see cref="SweepSource"/> submission).</summary>
    public int PlannedUnits { get; init; }
}

/// <summary>
/// A hand-out of the coordinator: unit, worker and attempt together are its fencing token, so the coordinator
/// can tell a stale computation from the live one.
/// </summary>
public sealed record UnitLease(string UnitId, string NodeId, int Attempt);

/// <summary>A handed-out unit with everything needed to compute it.</summary>
public sealed record ClaimedUnit(UnitLease Lease, string SweepId, UnitKind Kind, IReadOnlyList<CellDefinition> Cells, double Cost);

/// <summary>A unit as a worker loads it: its cells, and whether the store already has its results.</summary>
public sealed record StoredUnit(string UnitId, string SweepId, UnitKind Kind, IReadOnlyList<CellDefinition> Cells, double Cost, bool Done);

/// <summary>One cell's result as stored: metrics as JSON (see <c>MetricsJson</c>), and how long it took.</summary>
public sealed record StoredResult(string CellId, ResultStatus Status, string MetricsJson, string? Message, double DurationSeconds);

/// <summary>The answer to a completion.</summary>
public enum CompletionStatus
{
    /// <summary>Results written and the unit marked done by this commit.</summary>
    Completed = 1,

    /// <summary>Someone else finished the unit first: nothing new written; differing results recorded as non-determinism.</summary>
    AlreadyDone = 3,
}

/// <summary>What <see cref="ISweepStore.CommitUnitAsync"/> did.</summary>
public sealed record CompletionOutcome(CompletionStatus Status, int ResultsWritten, int Mismatches);

/// <summary>A sweep row; times are seconds since the epoch by the database clock.</summary>
/// <param name="FinishedAt">When its last unit settled (null while it has work left).</param>
/// <param name="CancelledAt">When `sweep cancel` stopped it (null unless cancelled): no unit of it is handed out.</param>
public sealed record SweepInfo(string Id, string GridHash, string GridText, double CreatedAt, bool Finished, int Cells, int Units, double? FinishedAt = null, double? CancelledAt = null)
{
    public bool Cancelled => CancelledAt is not null;
}

/// <summary>What `sweep delete` removed and what it kept because another sweep of the store shares it.</summary>
/// <param name="CellsDeleted">Cells (with their results) no other sweep holds.</param>
/// <param name="CellsKept">Cells another sweep holds too: they and their results stay.</param>
/// <param name="UnitsDeleted">The sweep's units removed.</param>
/// <param name="UnitsMoved">Units that computed a kept cell: moved to a sweep holding that cell, so the result keeps its provenance.</param>
public sealed record SweepDeletion(int CellsDeleted, int CellsKept, int UnitsDeleted, int UnitsMoved);

/// <summary>Progress of a sweep; times are seconds since the epoch by the database clock.</summary>
/// <param name="Costs">Predicted cost and measured time by unit kind and state, for progress and ETA by cost.</param>
/// <param name="InFlight">The units handed out and not finished, with the time they were handed out.</param>
/// <param name="ComputeTimes">Per unit kind, sums over the done units whose computation was timed, to fit unit time to cost.</param>
/// <param name="Pending">The pending units grouped by kind and cost, most expensive first (at most <see cref="MaxPendingGroups"/> groups).</param>
public sealed record SweepProgress(
    string SweepId,
    int UnitsPending,
    int UnitsLeased,
    int UnitsDone,
    int UnitsFailed,
    int CellsTotal,
    int CellsDone,
    double DatabaseTime,
    IReadOnlyList<UnitCostTally> Costs,
    IReadOnlyList<UnitInFlight> InFlight,
    IReadOnlyList<UnitComputeSums> ComputeTimes,
    IReadOnlyList<UnitCostGroup> Pending)
{
    /// <summary>The most pending groups a progress read returns; the rest are only in <see cref="Costs"/>.</summary>
    public const int MaxPendingGroups = 4096;

    public int UnitsTotal => UnitsPending + UnitsLeased + UnitsDone + UnitsFailed;

    /// <summary>Nothing left to claim or to wait for.</summary>
    public bool IsComplete => UnitsPending == 0 && UnitsLeased == 0;
}

/// <summary>The units of one kind in one state: how many, their predicted cost, and the time the finished ones took.</summary>
/// <param name="TimedCost">The cost of the units among them with both a start and a finish time.</param>
/// <param name="TimedSeconds">Their finish minus start times, added up (database clock).</param>
public sealed record UnitCostTally(UnitKind Kind, string State, int Units, double Cost, double TimedCost, double TimedSeconds);

/// <summary>
/// Sums over the done units of one kind with a measured computation time (seconds t, predicted cost c): enough for a
/// least-squares line t = t0 + k c without reading the units one by one.
/// </summary>
public sealed record UnitComputeSums(UnitKind Kind, int Units, double Cost, double Seconds, double CostSquared, double CostTimesSeconds);

/// <summary>Pending units of one kind and predicted cost.</summary>
public sealed record UnitCostGroup(UnitKind Kind, double Cost, int Units);

/// <summary>A unit handed out and not yet finished.</summary>
/// <param name="StartedAt">When it was handed out, by the database clock; null for a unit claimed before this was recorded.</param>
public sealed record UnitInFlight(UnitKind Kind, double Cost, double? StartedAt);

/// <summary>A cell of a sweep and its accepted result (null while not computed).</summary>
public sealed record CellRecord(CellDefinition Cell, StoredResult? Result);

/// <summary>Run metadata of one unit.</summary>
public sealed record UnitRecord(string UnitId, UnitKind Kind, string State, string? Owner, int Attempts, string? LastError, double? StartedAt, double? FinishedAt, double Cost, int Cells);

/// <summary>One line of the append-only journal.</summary>
public sealed record JournalEvent(string Kind, string? SweepId, string? UnitId, string? NodeId, int? Attempt, string? Detail, double At = 0, long Sequence = 0);

/// <summary>A cell computed twice with different results.</summary>
public sealed record NonDeterminismRecord(string CellId, string UnitId, string FirstMetricsJson, string SecondMetricsJson, double At);

/// <summary>What a cluster member writes about itself every second, for `status`.</summary>
/// <param name="Address">Its Akka address (the row's key).</param>
/// <param name="NodeId">The process's node id (as in the logs and the units' owner column).</param>
/// <param name="Roles">Its cluster roles.</param>
/// <param name="Status">Its membership status as it sees itself (Joining, Up, Leaving, Exiting...).</param>
/// <param name="Unreachable">The members it finds unreachable now.</param>
/// <param name="Slots">Compute slots (0 on a coordinator-only node).</param>
/// <param name="UnitsDone">Units it committed since it started.</param>
/// <param name="CellsDone">Cells it committed since it started.</param>
public sealed record MemberReport(string Address, string NodeId, IReadOnlyList<string> Roles, string Status, IReadOnlyList<string> Unreachable, int Slots, int UnitsDone, int CellsDone);

/// <summary>A member's last report, when it first reported and how long ago it last did (database clock).</summary>
public sealed record MemberRecord(MemberReport Report, double StartedAt, double SecondsSinceRefresh);
