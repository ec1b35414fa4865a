using SweepCluster.Storage;

namespace SweepCluster.Cli.Output;

/// <summary>The state of a sweep as `status` and `list` show it, one spelling each (part of the `status --json` schema).</summary>
public static class SweepStates
{
    public const string Complete = "complete";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";
    public const string Running = "running";
    public const string Waiting = "waiting";

    /// <summary>Cancelled first (its pending units stay pending), then settled, then whether any unit is in flight.</summary>
    public static string Of(SweepInfo info, SweepProgress progress)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(progress);
        return info.Cancelled ? Cancelled
            : progress.IsComplete ? (progress.UnitsFailed > 0 ? Failed : Complete)
            : progress.UnitsLeased > 0 ? Running
            : Waiting;
    }

    /// <summary>A sweep in this state changes no more by itself (what `status --watch` waits for).</summary>
    public static bool HasEnded(string state) => state is Complete or Failed or Cancelled;

    /// <summary>The state with what to do about it, for people.</summary>
    public static string Describe(string state) => state switch
    {
        Complete => "complete",
        Failed => "finished with failures (rerun with --retry-failed)",
        Cancelled => "cancelled (`sweep run GRID` or `sweep submit GRID` resumes it)",
        // Leases outlive a killed process until they expire, so units in flight may belong to a run that is gone.
        Running => "running or interrupted (units in flight; if no run or worker is alive, run the same command again to resume)",
        _ => "waiting: units pending, none in flight (no worker running, or interrupted: run the same command again to resume)",
    };
}
