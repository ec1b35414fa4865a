using SweepCluster.Model.Configuration;
using SweepCluster.Sweeps.Families;

namespace SweepCluster.Sweeps.Grids;

/// <summary>One point of a grid: the linear model's settings and, in a family grid, the family's own.</summary>
public sealed record GridPoint(ModelConfig Config, FamilySettings Family);
