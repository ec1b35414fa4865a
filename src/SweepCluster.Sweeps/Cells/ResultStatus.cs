namespace SweepCluster.Sweeps.Cells;

/// <summary>How a cell's computation ended. Stored as text: "ok", "numerical_failure".</summary>
public enum ResultStatus
{
    Ok = 1,

    /// <summary>The numerics failed for this cell (unstable learning rate, non-finite loss, non-positive variance).</summary>
    NumericalFailure = 2,
}
