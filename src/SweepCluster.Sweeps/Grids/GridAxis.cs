using SweepCluster.Model.Configuration;

namespace SweepCluster.Sweeps.Grids;

/// <summary>One axis of a grid: how many values it has and how its i-th value sets a configuration.</summary>
internal sealed record GridAxis(string Key, int Count, Func<ModelConfig, int, ModelConfig> Apply);
