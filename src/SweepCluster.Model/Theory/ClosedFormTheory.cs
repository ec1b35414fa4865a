using SweepCluster.Model.Configuration;
using SweepCluster.Model.Diffusion;
using SweepCluster.Model.Metrics;
using SweepCluster.Model.Simulation;
using SweepCluster.Model.Spectra;

namespace SweepCluster.Model.Theory;

/// <summary>
/// The replica / deterministic-equivalent closed forms of spec S-5 for the converged model: losses at
/// every t from one kappa solve per t, and the KL of the ideal sampler from the free energy Phi.
/// </summary>
public static class ClosedFormTheory
{
    /// <summary>Extra outputs beside the metrics: n, rho, kappa_0 and the d/(4N) asymptote.</summary>
    public const string DOver4N = "dkl_asymptote_d_over_4N";
    public const string NEff = "n_eff";
    public const string Rho = "rho";
    public const string Kappa0 = "kappa0";

    /// <param name="optimum">The population optimum of this spectrum and schedule, when already known.</param>
    public static CellMetrics Compute(ModelConfig config, Spectrum spectrum, NoiseSchedule schedule, PopulationOptimum? optimum = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(spectrum);
        ArgumentNullException.ThrowIfNull(schedule);
        var scaling = TheoryScaling.For(config);
        var solver = new KappaSolver(spectrum, scaling.N);
        var resolvent = new Resolvent(spectrum, solver);
        int steps = schedule.Steps;
        var epsTest = new double[steps];
        var epsTrain = new double[steps];
        var dataTest = new double[steps];
        var dataTrain = new double[steps];
        double rho = scaling.Rho, mf = scaling.MeanFactor, c = config.C;

        Parallel.For(0, steps, t =>
        {
            double a2 = schedule.AlphaBar[t];
            double s2 = schedule.NoiseScale[t] * schedule.NoiseScale[t];
            double lambda = (s2 + (a2 * c)) / (a2 * rho);
            double g = s2 / (a2 * rho);
            var r = resolvent.At(lambda);
            double common = 1.0 - (2.0 * g * r.T1) + (g * g * r.T2);
            epsTest[t] = common + (s2 / (a2 * rho * rho) * (1.0 + mf) * r.S2);
            epsTrain[t] = common + (g * (r.T1 - (lambda * r.T2)));
            double p = 1.0 - (2.0 * lambda * r.T1) + (lambda * lambda * r.T2);
            dataTest[t] = ((1.0 + mf) * lambda * lambda * r.S2) + (s2 / a2 * p);
            dataTrain[t] = (rho * lambda * lambda * (r.T1 - (lambda * r.T2))) + (s2 / a2 * p);
        });

        var metrics = new CellMetrics();
        optimum ??= PopulationOptimum.Compute(spectrum, schedule);
        LossReport.Add(metrics, config.ReportedSteps, MetricNames.EpsTest, epsTest);
        LossReport.Add(metrics, config.ReportedSteps, MetricNames.EpsTrain, epsTrain);
        LossReport.Add(metrics, config.ReportedSteps, MetricNames.DataTest, dataTest);
        LossReport.Add(metrics, config.ReportedSteps, MetricNames.DataTrain, dataTrain);
        LossReport.Add(metrics, config.ReportedSteps, MetricNames.EpsOpt, optimum.Eps);
        LossReport.Add(metrics, config.ReportedSteps, MetricNames.DataOpt, optimum.Data);
        LossReport.AddExcess(metrics);

        var (fwd, rev) = IdealKl(config, spectrum, scaling, solver, resolvent);
        metrics.SetScalar(MetricNames.DklIdealFwd, fwd);
        metrics.SetScalar(MetricNames.DklIdealRev, rev);
        metrics.SetScalar(DOver4N, spectrum.Dimension / (4.0 * config.N));
        metrics.SetScalar(NEff, scaling.N);
        metrics.SetScalar(Rho, scaling.Rho);
        metrics.SetScalar(Kappa0, solver.Kappa0);
        return metrics;
    }

    /// <summary>
    /// KL per dimension between N(mu0, Sigma0 + cI) and N(0, Sigma) (spec S-5.5), from
    /// LD = (1/d) ln det(Sigma0 + cI) = ln rho + Phi(c/rho)/d.
    /// </summary>
    private static (double Fwd, double Rev) IdealKl(ModelConfig config, Spectrum spectrum, TheoryScaling scaling, KappaSolver solver, Resolvent resolvent)
    {
        int d = spectrum.Dimension;
        double n = scaling.N, rho = scaling.Rho, mf = scaling.MeanFactor, c = config.C;
        double meanInverse = spectrum.TraceInverse / d;
        double ld, s1;
        if (c > 0)
        {
            double lambdaC = c / rho;
            double kappa = solver.Solve(lambdaC);
            double phi = 0;
            foreach (double l in spectrum.Eigenvalues)
            {
                phi += Math.Log(l + kappa);
            }

            phi += ((d - n) * Math.Log(lambdaC / kappa)) + (n * lambdaC / kappa) - n;
            ld = Math.Log(rho) + (phi / d);
            s1 = resolvent.At(lambdaC).S1;
        }
        else if (n > d)
        {
            // c -> 0 with n > d: kappa -> 0 and lambda/kappa -> 1 - d/n.
            double q = d / n;
            ld = Math.Log(rho) + spectrum.MeanLog + ((d - n) / d * Math.Log(1.0 - q)) - 1.0;
            s1 = 1.0 / (1.0 - q);
        }
        else
        {
            // Null modes of Sigma0 with no ridge: the generated Gaussian is degenerate.
            return (double.PositiveInfinity, double.PositiveInfinity);
        }

        double fwd = 0.5 * (rho + (c * meanInverse) - 1.0 + mf + spectrum.MeanLog - ld);
        double rev = 0.5 * (((1.0 + mf) * s1 / rho) - 1.0 + ld - spectrum.MeanLog);
        return (fwd, rev);
    }
}
