using SweepCluster.Sweeps.Aggregation;

namespace SweepCluster.Sweeps.Reports;

/// <summary>
/// A grid point as the report builder uses it: its axis values and its metrics, kept small because a report holds
/// every grid point at once (10^5 of them for a sweep of a million cells). The metric names are one shared array per
/// set of names and the statistics one array of structs; texts repeated across points (axis values, names) are
/// pooled (<see cref="ReportPointPool"/>). The summary's canonical parameters and theory cell id are not kept.
/// </summary>
internal sealed class ReportPoint
{
    private readonly MetricLayout _layout;
    private readonly MetricStats[] _stats;

    public ReportPoint(GridPointSummary summary, ReportPointPool pool)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(pool);
        GridPoint = summary.GridPoint;
        SeedsPlanned = summary.Seeds + summary.Failed + summary.Pending;
        Parameters = PointParameters.Parse(summary.CanonicalParameters, pool);
        _layout = pool.Layout(summary.Metrics);
        _stats = [.. summary.Metrics.Select(m => new MetricStats(m))];
    }

    /// <summary>The grid point's key (GridPointSummary.GridPoint).</summary>
    public string GridPoint { get; }

    /// <summary>Simulation seeds of the point: ok, failed and pending.</summary>
    public int SeedsPlanned { get; }

    public PointParameters Parameters { get; }

    /// <summary>Metric names in the summary's order, each once.</summary>
    public IEnumerable<string> MetricNames => _layout.Names.Distinct(StringComparer.Ordinal);

    /// <summary>The point's metrics in the summary's order, as aggregates (made on demand).</summary>
    public IEnumerable<MetricAggregate> Metrics => _layout.Columns.Select((column, i) => _stats[i].ToAggregate(column));

    /// <summary>The first metric of that name, or null.</summary>
    public MetricAggregate? Metric(string name)
    {
        int i = Array.IndexOf(_layout.Names, name);
        return i < 0 ? null : _stats[i].ToAggregate(_layout.Columns[i]);
    }

    /// <summary>The value of an axis, or a placeholder that sorts last when the point has none.</summary>
    public ParameterValue Value(string axis) => Parameters.TryGet(axis, out var v) ? v : ParameterValue.Of("n/a");

    /// <summary>One metric's statistics without its name, nulls as NaN (no value here is NaN: a mean over non-finite seeds is +inf).</summary>
    private readonly struct MetricStats(MetricAggregate m)
    {
        private readonly int _n = m.N;
        private readonly double _mean = m.Mean ?? double.NaN;
        private readonly double _std = m.Std ?? double.NaN;
        private readonly double _theory = m.Theory ?? double.NaN;
        private readonly double _residual = m.Residual ?? double.NaN;
        private readonly double _relativeError = m.RelativeError ?? double.NaN;

        public MetricAggregate ToAggregate(MetricColumn column) =>
            new(column, _n, Value(_mean), Value(_std), Value(_theory), Value(_residual), Value(_relativeError));

        private static double? Value(double x) => double.IsNaN(x) ? null : x;
    }
}

/// <summary>The metric columns of a point and their names, shared by every point with the same columns.</summary>
internal sealed record MetricLayout(MetricColumn[] Columns, string[] Names);

/// <summary>Shares what repeats across the points of one report: axis texts and metric layouts.</summary>
internal sealed class ReportPointPool
{
    private readonly Dictionary<string, string> _texts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MetricLayout> _layouts = new(StringComparer.Ordinal);

    public string Text(string text)
    {
        if (_texts.TryGetValue(text, out var pooled))
        {
            return pooled;
        }

        _texts[text] = text;
        return text;
    }

    public MetricLayout Layout(IReadOnlyList<MetricAggregate> metrics)
    {
        string[] names = [.. metrics.Select(m => m.Metric.Name)];
        // The name holds the metric and the step; Indexed only changes the name, so the names identify the columns.
        string key = string.Join('\n', metrics.Select(m => $"{m.Metric.Metric}\t{m.Metric.Step}\t{m.Metric.Indexed}"));
        if (_layouts.TryGetValue(key, out var pooled))
        {
            return pooled;
        }

        var layout = new MetricLayout([.. metrics.Select(m => m.Metric)], names);
        _layouts[key] = layout;
        return layout;
    }
}
