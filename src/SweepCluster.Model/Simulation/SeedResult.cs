using SweepCluster.Model.Metrics;

namespace SweepCluster.Model.Simulation;

/// <summary>The metrics of one training-set draw.</summary>
/// <param name="Replicate">r in seed = seed0 + r.</param>
/// <param name="Seed">The RNG seed used.</param>
/// <param name="Metrics">Every metric of the draw.</param>
/// <param name="FirstDataValues">x[0, 0..3], a cheap fingerprint of the training set.</param>
public sealed record SeedResult(int Replicate, ulong Seed, CellMetrics Metrics, double[] FirstDataValues);
