using SweepCluster.Model.Metrics;

namespace SweepCluster.Sweeps.Reports;

/// <summary>
/// What a metric column means, in words and the paper's symbols, for axis labels ("test loss ε, noise prediction
/// (t-average)").
/// </summary>
internal static class MetricLabels
{
    public static string Describe(string column)
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

        string? what = name switch
        {
            MetricNames.EpsTest => "test loss ε, noise prediction",
            MetricNames.EpsTrain => "train loss ε_train, noise prediction",
            MetricNames.DataTest => "test loss ε, data prediction",
            MetricNames.DataTrain => "train loss ε_train, data prediction",
            MetricNames.EpsOpt => "optimal loss ε_opt, noise prediction",
            MetricNames.DataOpt => "optimal loss ε_opt, data prediction",
            MetricNames.EpsExcess => "excess test loss ε − ε_opt, noise prediction",
            MetricNames.DataExcess => "excess test loss ε − ε_opt, data prediction",
            MetricNames.DklIdealFwd => "KL(gen ‖ data) per dimension, ideal sampler",
            MetricNames.DklIdealRev => "KL(data ‖ gen) per dimension, ideal sampler",
            MetricNames.DklDdpmFwd => "KL(gen ‖ data) per dimension, DDPM sampler",
            MetricNames.DklDdpmRev => "KL(data ‖ gen) per dimension, DDPM sampler",
            "exact_nmsd" => "NMSD of paired samples (exact)",
            "exact_cos_conc" => "cosine of paired samples (concentration)",
            "mc_cos_mean" => "mean cosine of paired samples (Monte Carlo)",
            "mc_rp" => "RP score (cosine > 0.6)",
            "linear_gl_cos" or "empirical_gl_cos" or "population_gl_cos" => "GL score, cosine",
            "linear_gl_ratio" or "empirical_gl_ratio" or "population_gl_ratio" => "GL score, distance ratio",
            "linear_pair_rp" or "empirical_pair_rp" => "cross-set RP score",
            "B_T" => "KSM bound B_T per dimension",
            "KL_sde_T" => "KL(data ‖ gen) per dimension, reverse SDE",
            "KL_ddpm" => "KL(data ‖ gen) per dimension, DDPM sampler",
            "ddpm_floor" => "KL floor of the DDPM sampler",
            "tight_T" => "tightness KL_sde_T / B_T",
            "ddpm_over_B_T" => "KL_ddpm / B_T",
            "success" => "success probability (D ≤ threshold)",
            "mean_D" => "mean recovery distance D",
            _ => null,
        };

        return what is null ? column : when is null ? what : $"{what} ({when})";
    }

    /// <summary>
    /// One y label for several metrics on the same axis: what they have in common ("loss ε", "KL per dimension"),
    /// with the column names, which the legend tells apart.
    /// </summary>
    public static string DescribeAll(IReadOnlyList<string> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Count == 1)
        {
            return Describe(columns[0]);
        }

        var labels = columns.Select(Describe).ToList();
        string? common = labels.All(l => l.StartsWith("KL(", StringComparison.Ordinal)) ? "KL per dimension"
            : labels.All(l => l.Contains("loss ε", StringComparison.Ordinal)) ? "loss ε"
            : null;
        string names = string.Join(", ", columns);
        return common is null ? names : $"{common} ({names})";
    }
}
