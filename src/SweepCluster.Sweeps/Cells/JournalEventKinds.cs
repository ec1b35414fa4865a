namespace SweepCluster.Sweeps.Cells;

/// <summary>The kinds of journal lines, one spelling each.</summary>
public static class JournalEventKinds
{
    public const string SweepSubmitted = "sweep_submitted";
    public const string UnitClaimed = "unit_claimed";
    public const string UnitCompleted = "unit_completed";
    public const string UnitCompletedLate = "unit_completed_late";
    public const string UnitDuplicate = "unit_duplicate";
    public const string UnitReleased = "unit_released";
    public const string UnitFailed = "unit_failed";
    public const string UnitsRequeued = "units_requeued";
    public const string LeaseExpired = "lease_expired";
    public const string NodeStarted = "node_started";
    public const string NodeStopped = "node_stopped";
    public const string NodeDead = "node_dead";
    public const string SweepFinished = "sweep_finished";
    public const string SweepCancelled = "sweep_cancelled";
    public const string SweepResumed = "sweep_resumed";
    public const string SweepDeleted = "sweep_deleted";
    public const string NonDeterminism = "non_determinism";
}
