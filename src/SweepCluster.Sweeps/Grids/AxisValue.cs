namespace SweepCluster.Sweeps.Grids;

/// <summary>One value of an axis while a grid is read: the value, what makes it equal to another, and where it was written.</summary>
internal sealed record AxisValue(object Value, string Identity, GridLocation At);
