namespace SweepCluster.Sweeps.Reports.Svg;

/// <summary>How the points of a series are joined.</summary>
public enum LineStyle
{
    /// <summary>Not joined: markers only.</summary>
    None = 0,
    Solid = 1,
    Dashed = 2,
    Dotted = 3,
}
