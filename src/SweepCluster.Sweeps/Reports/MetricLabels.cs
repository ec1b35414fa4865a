using SweepCluster.Model.Metrics;

namespace SweepCluster.Sweeps.Reports;

/// <summary>
/// What a metric column means, in words and the paper's symbols, for axis labels and legends: "test loss εₜₑₛₜ
/// (noise prediction, t-average)" rather than "eps_test_tavg". A column it does not know keeps its name.
/// </summary>
internal static class MetricLabels
{
    // The symbol-bearing name, and the qualifiers that tell apart metrics of the same name.
    private static readonly Dictionary<string, (string Name, string Qualifier)> _meanings = new(StringComparer.Ordinal)
    {
        [MetricNames.EpsTest] = ("test loss εₜₑₛₜ", "noise prediction"),
        [MetricNames.EpsTrain] = ("train loss εₜᵣₐᵢₙ", "noise prediction"),
        [MetricNames.DataTest] = ("test loss ℓₜₑₛₜ", "data prediction"),
        [MetricNames.DataTrain] = ("train loss ℓₜᵣₐᵢₙ", "data prediction"),
        [MetricNames.EpsOpt] = ("optimal loss ε*", "noise prediction"),
        [MetricNames.DataOpt] = ("optimal loss ℓ*", "data prediction"),
        [MetricNames.EpsExcess] = ("excess test loss εₜₑₛₜ − ε*", "noise prediction"),
        [MetricNames.DataExcess] = ("excess test loss ℓₜₑₛₜ − ℓ*", "data prediction"),
        [MetricNames.DklIdealFwd] = ("KL(gen ‖ data) / d", "ideal sampler"),
        [MetricNames.DklIdealRev] = ("KL(data ‖ gen) / d", "ideal sampler"),
        [MetricNames.DklDdpmFwd] = ("KL(gen ‖ data) / d", "DDPM sampler"),
        [MetricNames.DklDdpmRev] = ("KL(data ‖ gen) / d", "DDPM sampler"),
    };

    /// <summary>The label of one metric: its name, then what qualifies it ("test loss εₜₑₛₜ (noise prediction, t = 500)").</summary>
    public static string Describe(string column)
    {
        var (name, qualifiers) = Parts(column);
        return qualifiers.Count == 0 ? name : $"{name} ({string.Join(", ", qualifiers)})";
    }

    /// <summary>
    /// The y label of a panel of several metrics: their names, and the qualifiers they all share ("test loss εₜₑₛₜ,
    /// train loss εₜᵣₐᵢₙ (noise prediction, t-average)").
    /// </summary>
    public static string Describe(IReadOnlyList<string> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Count == 1)
        {
            return Describe(columns[0]);
        }

        var parts = columns.Select(Parts).ToList();
        var shared = Shared(parts);
        string names = string.Join(", ", parts.Select(p => p.Name).Distinct(StringComparer.Ordinal));
        return shared.Count == 0 ? names : $"{names} ({string.Join(", ", shared)})";
    }

    /// <summary>The legend entry of one metric among a panel's: its name and the qualifiers the others do not share.</summary>
    public static string InPanel(string column, IReadOnlyList<string> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var shared = Shared([.. columns.Select(Parts)]);
        var (name, qualifiers) = Parts(column);
        var own = qualifiers.Where(q => !shared.Contains(q)).ToList();
        return own.Count == 0 ? name : $"{name} ({string.Join(", ", own)})";
    }

    private static List<string> Shared(List<(string Name, IReadOnlyList<string> Qualifiers)> parts) =>
        [.. parts[0].Qualifiers.Where(q => parts.All(p => p.Qualifiers.Contains(q)))];

    private static (string Name, IReadOnlyList<string> Qualifiers) Parts(string column)
    {
        ArgumentNullException.ThrowIfNull(column);
        string name = column;
        string? when = null;
        // A series value is the series name followed by its step: "eps_test_t500".
        string series = column.TrimEnd("0123456789".ToCharArray());
        if (series.Length < column.Length && series.EndsWith(MetricNames.PerStepSuffix, StringComparison.Ordinal))
        {
            when = "t = " + column[series.Length..];
            name = series[..^MetricNames.PerStepSuffix.Length];
        }
        else if (column.EndsWith(MetricNames.TimeAverageSuffix, StringComparison.Ordinal))
        {
            when = "t-average";
            name = column[..^MetricNames.TimeAverageSuffix.Length];
        }

        if (!_meanings.TryGetValue(name, out var meaning))
        {
            return (column, []);
        }

        return (meaning.Name, when is null ? [meaning.Qualifier] : [meaning.Qualifier, when]);
    }
}
