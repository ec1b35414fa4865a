namespace SweepCluster.Sweeps.Reports.Svg;

/// <summary>A dashed vertical line across a plot at <paramref name="X"/>, labelled at its top.</summary>
public sealed record VerticalMarker(double X, string Label);
