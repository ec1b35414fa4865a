namespace SweepCluster.Sweeps.Reports.Svg;

/// <summary>One point of a series.</summary>
/// <param name="X">Horizontal value.</param>
/// <param name="Y">Vertical value (for simulation points the mean over seeds).</param>
/// <param name="Error">Half-length of the error bar (one standard deviation); 0 or non-finite draws none.</param>
public readonly record struct DataPoint(double X, double Y, double Error = 0);
