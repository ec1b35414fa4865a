namespace SweepCluster.Cluster.Hosting;

/// <summary>How an embedded run ended.</summary>
/// <param name="Completed">Every unit of the sweep is done or failed.</param>
/// <param name="UnitsComputed">Units this process committed.</param>
/// <param name="FailedUnits">Units failed for good.</param>
/// <param name="Fault">Why this node could not go on at all (a journal from a newer version, a full disk), when that ended the run.</param>
public sealed record EmbeddedRunResult(bool Completed, int UnitsComputed, int FailedUnits, string? Fault = null);
