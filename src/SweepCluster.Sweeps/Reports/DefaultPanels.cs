using SweepCluster.Model.Metrics;
using SweepCluster.Sweeps.Cells;
using SweepCluster.Sweeps.Exports;
using SweepCluster.Sweeps.Families;

namespace SweepCluster.Sweeps.Reports;

/// <summary>
/// The panels of a sweep without a report section (docs/reports.md): the test and train loss, and the KL
/// divergence, both against the axis among N, c and tau with the most values, one series per value of the
/// next varying axis.
/// </summary>
internal static class DefaultPanels
{
    public const string ReferenceDOver4N = "d_over_4N";

    public static IReadOnlyList<PanelDeclaration> Choose(IReadOnlyList<ReportPoint> points, LossSelection losses, CellKind? generalisationFamily = null)
    {
        if (generalisationFamily is { } kind && FamilyPanels(points, kind) is { } panels)
        {
            return panels;
        }

        string x = ChooseX(points);
        string? series = ChooseSeries(points, x);
        string lossFamily = losses == LossSelection.Data ? "data" : "eps";
        string test = MetricNames.Averaged(lossFamily + "_test");
        string train = MetricNames.Averaged(lossFamily + "_train");

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

    /// <summary>
    /// The panels of a family sweep (docs/generalisation.md): the simulated value with the family's prediction as its
    /// theory line where it has one; null for MoLRG with K = 1, whose cells are the linear model's and take the default panels.
    /// </summary>
    private static IReadOnlyList<PanelDeclaration>? FamilyPanels(IReadOnlyList<ReportPoint> points, CellKind family)
    {
        string x = ChooseX(points);
        string? series = ChooseSeries(points, x);
        return family switch
        {
            CellKind.Repro =>
            [
                new PanelDeclaration($"Reproducibility: NMSD of two models on disjoint training sets against {x}", x, ["exact_nmsd"], series),
                new PanelDeclaration($"Mean cosine of paired samples against {x}", x, ["exact_cos_conc", "mc_cos_mean"], series),
                new PanelDeclaration($"RP score (fraction of pairs with cosine > 0.6) against {x}", x, ["mc_rp"], series),
            ],
            CellKind.Gl =>
            [
                new PanelDeclaration($"Generalisation score GL (cosine) against {x}", x, ["linear_gl_cos", "empirical_gl_cos", "population_gl_cos"], series),
                new PanelDeclaration($"Generalisation score GL (distance ratio) against {x}", x, ["linear_gl_ratio", "empirical_gl_ratio", "population_gl_ratio"], series),
                new PanelDeclaration($"Cross-set RP of the linear model and the empirical optimum against {x}", x, ["linear_pair_rp", "empirical_pair_rp"], series),
            ],
            CellKind.Bound =>
            [
                new PanelDeclaration($"KSM bound, reverse-SDE KL and DDPM KL against {x}", x, ["B_T", "KL_sde_T", "KL_ddpm", "ddpm_floor"], series, LogY: true),
                new PanelDeclaration($"Tightness KL_sde_T / B_T against {x}", x, ["tight_T", "ddpm_over_B_T"], series),
            ],
            CellKind.Molrg when points.Any(p => p.Parameters.Number(FamilyKeys.K) is null or >= 2) =>
            [
                new PanelDeclaration("K-subspaces recovery: success probability over (r, n_k); identifiable from n_k = r + 1", FamilyKeys.Nk, ["success"], FamilyKeys.R, Heatmap: true),
                new PanelDeclaration("Mean recovery distance D against n_k", FamilyKeys.Nk, ["mean_D"], FamilyKeys.R, LogY: true),
            ],
            _ => null,
        };
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
