namespace SweepCluster.Sweeps.Grids;

/// <summary>One axis of a grid: how many values it has and how its i-th value sets a grid point.</summary>
internal sealed record GridAxis(string Key, int Count, Func<GridPoint, int, GridPoint> Apply);
