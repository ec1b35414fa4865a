namespace SweepCluster.Sweeps.Reports;

/// <summary>A row of the table of largest theory-simulation differences.</summary>
/// <param name="Metric">The metric column.</param>
/// <param name="Parameters">The grid point by its varying axes ("N = 20, k = 1").</param>
/// <param name="N">Seeds in the mean.</param>
/// <param name="Mean">Mean over the seeds.</param>
/// <param name="Std">Sample standard deviation over the seeds.</param>
/// <param name="Theory">The replica prediction.</param>
/// <param name="Residual">Mean - theory.</param>
/// <param name="RelativeError">|residual| / |theory|.</param>
/// <param name="GridPoint">The grid point key.</param>
public sealed record ResidualRow(
    string Metric,
    string Parameters,
    int N,
    double Mean,
    double? Std,
    double Theory,
    double Residual,
    double RelativeError,
    string GridPoint)
{
    /// <summary>The residual in standard errors of the mean (residual / (std / sqrt(n))); null with fewer than two seeds or no spread.</summary>
    public double? StandardErrors => N >= 2 && Std is > 0 and { } s ? Residual / (s / Math.Sqrt(N)) : null;
}
