using SweepCluster.Model.Metrics;

namespace SweepCluster.Sweeps.Aggregation;

/// <summary>
/// The one column order of every table: the losses of <see cref="MetricNames.Losses"/> (each "_tavg" then
/// its "_t" series by step), then the excess losses, then the KL divergences, then any other metric by
/// ordinal name. A fixed order keeps exports byte-identical whatever order the metrics were recorded in.
/// </summary>
public sealed class MetricOrder : IComparer<MetricColumn>
{
    private static readonly Dictionary<string, int> _ranks = BuildRanks();

    private MetricOrder()
    {
    }

    public static MetricOrder Instance { get; } = new();

    public int Compare(MetricColumn x, MetricColumn y)
    {
        int byRank = Rank(x.Metric).CompareTo(Rank(y.Metric));
        if (byRank != 0)
        {
            return byRank;
        }

        int byName = string.CompareOrdinal(x.Metric, y.Metric);
        if (byName != 0)
        {
            return byName;
        }

        // A scalar before a series of the same name, then the series by step.
        return (x.Step, y.Step) switch
        {
            (null, null) => 0,
            (null, _) => -1,
            (_, null) => 1,
            ({ } a, { } b) => a.CompareTo(b),
        };
    }

    private static int Rank(string metric) => _ranks.TryGetValue(metric, out int rank) ? rank : int.MaxValue;

    private static Dictionary<string, int> BuildRanks()
    {
        var ranks = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (string loss in MetricNames.Losses.Concat(MetricNames.Excess))
        {
            ranks.Add(MetricNames.Averaged(loss), ranks.Count);
            ranks.Add(MetricNames.PerStep(loss), ranks.Count);
        }

        foreach (string kl in MetricNames.KullbackLeibler)
        {
            ranks.Add(kl, ranks.Count);
        }

        return ranks;
    }
}
