namespace SweepCluster.Sweeps.Reports.Svg;

/// <summary>The symbol drawn at each point of a series.</summary>
public enum MarkerShape
{
    /// <summary>No symbol (and no error bars): a line only.</summary>
    None = 0,
    Circle = 1,
    Square = 2,
    Triangle = 3,
    Diamond = 4,
}
