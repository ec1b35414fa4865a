namespace SweepCluster.Cluster.Hosting;

/// <summary>How an embedded run ended.</summary>
/// <param name="Completed">Every unit of the sweep is done or failed.</param>
/// <param name="UnitsComputed">Units this process committed.</param>
/// <param name="FailedUnits">Units failed for good.</param>
public sealed record EmbeddedRunResult(bool Completed, int UnitsComputed, int FailedUnits);
