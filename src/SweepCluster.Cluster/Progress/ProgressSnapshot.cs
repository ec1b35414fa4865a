using SweepCluster.Storage;

namespace SweepCluster.Cluster.Progress;

/// <summary>What the coordinator knows of a sweep at one moment, for logs, progress bars and status.</summary>
/// <param name="Progress">The store's counts.</param>
/// <param name="CellsPerSecond">Recent throughput (cells with results per second of database time).</param>
/// <param name="EtaSeconds">Estimated seconds to completion, from the recent rate of predicted work; null while unknown.</param>
/// <param name="Fraction">The share of the predicted work done (<see cref="SweepWork"/>), between 0 and 1.</param>
public sealed record ProgressSnapshot(SweepProgress Progress, double CellsPerSecond, double? EtaSeconds, double Fraction);
