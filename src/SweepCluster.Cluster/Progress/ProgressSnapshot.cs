using SweepCluster.Storage;

namespace SweepCluster.Cluster.Progress;

/// <summary>What the coordinator knows of a sweep at one moment, for logs, progress bars and status.</summary>
/// <param name="Progress">The store's counts.</param>
/// <param name="CellsPerSecond">Recent throughput (cells with results per second of database time).</param>
/// <param name="EtaSeconds">Estimated seconds to completion, or null while unknown.</param>
public sealed record ProgressSnapshot(SweepProgress Progress, double CellsPerSecond, double? EtaSeconds);
