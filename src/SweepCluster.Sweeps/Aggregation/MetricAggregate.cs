namespace SweepCluster.Sweeps.Aggregation;

/// <summary>
/// One metric of one grid point summarised over its seeds and compared with the theory.
/// Null means "not defined": no ok seed, no computed theory, or a non-finite mean or theory.
/// </summary>
/// <param name="Metric">The metric column.</param>
/// <param name="N">Ok seeds that report this metric.</param>
/// <param name="Mean">Mean over those seeds; +infinity when any value is not finite; null when N = 0.</param>
/// <param name="Std">Sample standard deviation (divided by N - 1); null when N &lt; 2 (undefined for one seed).</param>
/// <param name="Theory">The theory cell's value, when it has been computed.</param>
/// <param name="Residual">Mean - theory, when both are finite.</param>
/// <param name="RelativeError">|residual| / |theory|, when the residual is defined and the theory is not zero.</param>
public sealed record MetricAggregate(
    MetricColumn Metric,
    int N,
    double? Mean,
    double? Std,
    double? Theory,
    double? Residual,
    double? RelativeError);
