using SweepCluster.Model.Configuration;
using SweepCluster.Model.Metrics;
using SweepCluster.Model.Simulation;

namespace SweepCluster.Model.Cells;

/// <summary>Everything one cell computes: every seed's metrics, their summary, and the theory.</summary>
/// <param name="Config">The settings, defaults filled in.</param>
/// <param name="Seeds">One result per training-set draw, in seed order.</param>
/// <param name="Summary">Mean and standard deviation over the seeds.</param>
/// <param name="Theory">The replica prediction, or null when it was not asked for.</param>
public sealed record CellResult(ModelConfig Config, IReadOnlyList<SeedResult> Seeds, MetricSummary Summary, CellMetrics? Theory);
