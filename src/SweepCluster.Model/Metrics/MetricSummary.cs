namespace SweepCluster.Model.Metrics;

/// <summary>
/// Mean and standard deviation over seeds of every metric. The standard deviation is the sample one
/// (divide by seeds - 1; zero for a single seed), as in the reference implementation.
/// </summary>
public sealed class MetricSummary
{
    private MetricSummary(
        IReadOnlyList<KeyValuePair<string, (double Mean, double Std)>> scalars,
        IReadOnlyList<KeyValuePair<string, (double[] Mean, double[] Std)>> series,
        int count)
    {
        Scalars = scalars;
        Series = series;
        Count = count;
    }

    public IReadOnlyList<KeyValuePair<string, (double Mean, double Std)>> Scalars { get; }

    public IReadOnlyList<KeyValuePair<string, (double[] Mean, double[] Std)>> Series { get; }

    /// <summary>Number of seeds summarised.</summary>
    public int Count { get; }

    public static MetricSummary Over(IReadOnlyList<CellMetrics> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.Count == 0)
        {
            throw new ArgumentException("need at least one run to summarise", nameof(runs));
        }

        var scalars = new List<KeyValuePair<string, (double, double)>>();
        foreach (var (name, _) in runs[0].Scalars)
        {
            var values = runs.Select(r => r.Scalar(name)).ToArray();
            scalars.Add(new(name, MeanStd(values)));
        }

        var series = new List<KeyValuePair<string, (double[], double[])>>();
        foreach (var (name, first) in runs[0].Series)
        {
            var mean = new double[first.Length];
            var std = new double[first.Length];
            for (int k = 0; k < first.Length; k++)
            {
                (mean[k], std[k]) = MeanStd(runs.Select(r => r.GetSeries(name)[k]).ToArray());
            }

            series.Add(new(name, (mean, std)));
        }

        return new MetricSummary(scalars, series, runs.Count);
    }

    /// <summary>Mean and sample standard deviation; infinite values give an infinite mean and spread.</summary>
    public static (double Mean, double Std) MeanStd(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        double sum = 0;
        foreach (double v in values)
        {
            sum += v;
        }

        double mean = sum / values.Count;
        if (double.IsInfinity(mean) || double.IsNaN(mean))
        {
            return (double.PositiveInfinity, double.PositiveInfinity);
        }

        double ss = 0;
        foreach (double v in values)
        {
            ss += (v - mean) * (v - mean);
        }

        return (mean, values.Count > 1 ? Math.Sqrt(ss / (values.Count - 1)) : 0.0);
    }
}
