using SweepCluster.Sweeps.Aggregation;

namespace SweepCluster.Sweeps.Reports;

/// <summary>A grid point's summary with its axis values read, as the report builder uses it.</summary>
internal sealed class ReportPoint
{
    private readonly Dictionary<string, MetricAggregate> _metrics;

    public ReportPoint(GridPointSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        Summary = summary;
        Parameters = PointParameters.Parse(summary.CanonicalParameters);
        _metrics = summary.Metrics.GroupBy(m => m.Metric.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
    }

    public GridPointSummary Summary { get; }

    public PointParameters Parameters { get; }

    public IEnumerable<string> MetricNames => _metrics.Keys;

    public MetricAggregate? Metric(string name) => _metrics.GetValueOrDefault(name);

    /// <summary>The value of an axis, or a placeholder that sorts last when the point has none.</summary>
    public ParameterValue Value(string axis) => Parameters.TryGet(axis, out var v) ? v : ParameterValue.Of("n/a");
}
