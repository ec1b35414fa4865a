using SweepCluster.Model.Metrics;

namespace SweepCluster.Sweeps.Reports;

/// <summary>What a metric column means, in words, for axis labels ("test loss, noise prediction (t-average)").</summary>
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
            MetricNames.EpsTest => "test loss, noise prediction",
            MetricNames.EpsTrain => "train loss, noise prediction",
            MetricNames.DataTest => "test loss, data prediction",
            MetricNames.DataTrain => "train loss, data prediction",
            MetricNames.EpsOpt => "optimal loss, noise prediction",
            MetricNames.DataOpt => "optimal loss, data prediction",
            MetricNames.EpsExcess => "excess test loss, noise prediction",
            MetricNames.DataExcess => "excess test loss, data prediction",
            MetricNames.DklIdealFwd => "KL(gen || data) per dimension, ideal sampler",
            MetricNames.DklIdealRev => "KL(data || gen) per dimension, ideal sampler",
            MetricNames.DklDdpmFwd => "KL(gen || data) per dimension, DDPM sampler",
            MetricNames.DklDdpmRev => "KL(data || gen) per dimension, DDPM sampler",
            _ => null,
        };

        return what is null ? column : when is null ? what : $"{what} ({when})";
    }
}
