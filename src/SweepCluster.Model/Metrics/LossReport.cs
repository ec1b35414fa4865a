namespace SweepCluster.Model.Metrics;

/// <summary>Turns a loss known at every t into the reported pair: the t-average and the values at the reported steps.</summary>
public static class LossReport
{
    public static void Add(CellMetrics metrics, IReadOnlyList<int> reportedSteps, string loss, double[] perStep)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(reportedSteps);
        ArgumentNullException.ThrowIfNull(perStep);
        double sum = 0;
        foreach (double v in perStep)
        {
            sum += v;
        }

        metrics.SetScalar(MetricNames.Averaged(loss), sum / perStep.Length);
        var reported = new double[reportedSteps.Count];
        for (int k = 0; k < reported.Length; k++)
        {
            reported[k] = perStep[reportedSteps[k]];
        }

        metrics.SetSeries(MetricNames.PerStep(loss), reported);
    }

    /// <summary>eps_excess_tavg = eps_test_tavg - eps_opt_tavg, and likewise for the data loss.</summary>
    public static void AddExcess(CellMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        metrics.SetScalar(MetricNames.Averaged(MetricNames.EpsExcess), metrics.Scalar(MetricNames.Averaged(MetricNames.EpsTest)) - metrics.Scalar(MetricNames.Averaged(MetricNames.EpsOpt)));
        metrics.SetScalar(MetricNames.Averaged(MetricNames.DataExcess), metrics.Scalar(MetricNames.Averaged(MetricNames.DataTest)) - metrics.Scalar(MetricNames.Averaged(MetricNames.DataOpt)));
    }
}
