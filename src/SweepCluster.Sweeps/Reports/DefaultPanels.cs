using SweepCluster.Model.Metrics;
using SweepCluster.Sweeps.Exports;

namespace SweepCluster.Sweeps.Reports;

/// <summary>
/// The panels of a sweep without a report section (docs/reports.md): the test and train loss, and the KL
/// divergence, both against the axis among N, c and tau with the most values, one series per value of the
/// next varying axis.
/// </summary>
internal static class DefaultPanels
{
    public const string ReferenceDOver4N = "d_over_4N";

    public static IReadOnlyList<PanelDeclaration> Choose(IReadOnlyList<ReportPoint> points, LossSelection losses)
    {
        string x = ChooseX(points);
        string? series = ChooseSeries(points, x);
        string family = losses == LossSelection.Data ? "data" : "eps";
        string test = MetricNames.Averaged(family + "_test");
        string train = MetricNames.Averaged(family + "_train");

        // The ideal sampler's KL exists only for the converged model; at finite tau the DDPM sampler's is the one computed.
        bool finiteTau = points.Any(p => p.Parameters.Number("tau") is { } tau && double.IsFinite(tau));
        string kl = finiteTau ? MetricNames.DklDdpmFwd : MetricNames.DklIdealFwd;
        string sampler = finiteTau ? "DDPM sampler" : "ideal sampler";
        return
        [
            new PanelDeclaration($"Test and train loss against {x}", x, [test, train], series),
            new PanelDeclaration($"KL divergence ({sampler}) against {x}", x, [kl], series, Reference: x == "N" ? ReferenceDOver4N : null),
        ];
    }

    /// <summary>The axis among N, c, tau with the most distinct values (N, then c, then tau on a tie); else the numeric axis with the most.</summary>
    public static string ChooseX(IReadOnlyList<ReportPoint> points)
    {
        string best = ReportAxes.DefaultX[0];
        int most = 1;
        foreach (string axis in ReportAxes.DefaultX.Concat(ReportAxes.Numeric))
        {
            int count = Distinct(points, axis);
            if (count > most)
            {
                (best, most) = (axis, count);
            }

            // Only when none of the preferred axes varies does any other numeric axis get a say.
            if (axis == ReportAxes.DefaultX[^1] && most > 1)
            {
                break;
            }
        }

        return best;
    }

    private static string? ChooseSeries(IReadOnlyList<ReportPoint> points, string x)
    {
        foreach (string axis in ReportAxes.DefaultSeries)
        {
            // k names power-law spectra only; a sweep with a file spectrum tells its spectra apart by "spectrum".
            if (axis == "k" && points.Any(p => !p.Parameters.TryGet("k", out _)))
            {
                continue;
            }

            if (axis != x && axis != "n_over_d" && Distinct(points, axis) > 1)
            {
                return axis;
            }
        }

        return null;
    }

    private static int Distinct(IReadOnlyList<ReportPoint> points, string axis) =>
        points.Where(p => p.Parameters.TryGet(axis, out _)).Select(p => p.Value(axis)).Distinct().Count();
}
