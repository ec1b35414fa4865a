namespace SweepCluster.Sweeps.Aggregation;

/// <summary>
/// The seeds of one grid point (every setting but the seed) summarised, with the matching theory.
/// </summary>
/// <param name="GridPoint">The key: the id of the theory-equivalent cell (see <see cref="SeedAggregator.GridPointKey"/>).</param>
/// <param name="CanonicalParameters">The canonical parameters of that theory-equivalent cell: the grid point's settings.</param>
/// <param name="TheoryCellId">The theory cell compared against, if the grid has one for this point.</param>
/// <param name="Seeds">Simulation seeds that ended ok.</param>
/// <param name="Failed">Simulation seeds that ended in a numerical failure (left out of every mean).</param>
/// <param name="Pending">Simulation seeds not computed yet.</param>
/// <param name="Metrics">One entry per metric column, in <see cref="MetricOrder"/>.</param>
public sealed record GridPointSummary(
    string GridPoint,
    string CanonicalParameters,
    string? TheoryCellId,
    int Seeds,
    int Failed,
    int Pending,
    IReadOnlyList<MetricAggregate> Metrics);
