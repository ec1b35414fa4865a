using SweepCluster.Model.Configuration;
using SweepCluster.Model.Diffusion;
using SweepCluster.Model.Metrics;
using SweepCluster.Model.Spectra;
using SweepCluster.Model.Training;

namespace SweepCluster.Model.Simulation;

/// <summary>
/// Exact losses and KL divergences of the denoiser trained on one training set (spec S-2 to S-4),
/// with the noise averaged exactly: O(T x modes) once the eigenbasis is known.
/// </summary>
public static class TrainingSetMetrics
{
    // Per-t accumulators, one row per mode chunk, so that threads never share a cache line while summing.
    private const int EpsTest = 0, EpsTrain = 1, DataTest = 2, DataTrain = 3, Sums = 4;
    private const int ModesPerChunk = 64;

    public static CellMetrics Compute(ModelConfig config, Spectrum spectrum, NoiseSchedule schedule, EmpiricalEigenbasis basis)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(spectrum);
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(basis);
        ModelConfigValidator.ThrowIfUnstable(config, schedule, basis.MaxVariance);

        int steps = schedule.Steps;
        int modes = basis.ModeCount;
        int d = basis.Dimension;
        var denoiser = new TrainedDenoiser(config.C, config.EffectiveLearningRate, config.EffectiveTau, config.Dynamics);
        double init2 = config.InitStd * config.InitStd;

        // A fixed chunk size, summed in chunk order, makes the result independent of the core count: the same
        // cell computed on any node gives the same bits.
        int chunkCount = (modes + ModesPerChunk - 1) / ModesPerChunk;
        var partial = new double[chunkCount][];
        var logP = new double[modes];
        var variance = new double[modes];
        var shrink = new double[modes];

        var a = schedule.SignalScale.ToArray();
        var s = schedule.NoiseScale.ToArray();
        var beta = schedule.Beta.ToArray();
        double aLast = a[steps - 1];

        Parallel.For(0, chunkCount, chunk =>
        {
            var acc = new double[steps * Sums];
            int first = chunk * ModesPerChunk;
            int last = Math.Min(modes, first + ModesPerChunk);
            for (int i = first; i < last; i++)
            {
                double sig = basis.Variance[i];
                double mult = basis.Multiplicity[i];
                double overlapTest = basis.OverlapSigma[i] + basis.MeanCoordinateSquared[i];
                double p = 1.0;
                double prodA = 1.0;

                // Descending t: the loss sums do not care, the DDPM recursion (t = T-1 .. 0) does.
                for (int t = steps - 1; t >= 0; t--)
                {
                    double at = a[t], st = s[t];
                    double h = denoiser.Curvature(sig, at, st);
                    double q = denoiser.Decay(h);
                    double w = TrainedDenoiser.EpsWeight(st, h, q);
                    double v = TrainedDenoiser.DataWeight(sig, at, h, q);
                    double rw = 1.0 - (st * w);
                    double rv = 1.0 - (at * v);
                    double a2w2 = at * at * w * w;
                    double s2v2 = st * st * v * v;
                    int row = t * Sums;
                    acc[row + EpsTest] += (mult * rw * rw) + (a2w2 * overlapTest);
                    acc[row + EpsTrain] += mult * ((rw * rw) + (a2w2 * sig));
                    acc[row + DataTest] += (rv * rv * overlapTest) + (mult * s2v2);
                    acc[row + DataTrain] += mult * ((rv * rv * sig) + s2v2);
                    if (init2 > 0 && q != 0)
                    {
                        double q2 = init2 * q * q;
                        double extraTest = q2 * ((mult * st * st) + (at * at * overlapTest));
                        double extraTrain = q2 * mult * ((st * st) + (at * at * sig));
                        acc[row + EpsTest] += extraTest;
                        acc[row + DataTest] += extraTest;
                        acc[row + EpsTrain] += extraTrain;
                        acc[row + DataTrain] += extraTrain;
                    }

                    double alpha = 1.0 - beta[t];
                    double gain = (1.0 - (beta[t] / st * w)) / Math.Sqrt(alpha);
                    p = gain * gain * p;
                    if (t > 0 || config.SamplerLastNoise)
                    {
                        p += beta[t];
                    }

                    prodA *= gain;
                }

                variance[i] = p;
                logP[i] = Math.Log(p);
                shrink[i] = 1.0 - (aLast * prodA);
            }

            partial[chunk] = acc;
        });

        var sums = new double[steps * Sums];
        foreach (var acc in partial)
        {
            for (int k = 0; k < sums.Length; k++)
            {
                sums[k] += acc[k];
            }
        }

        var metrics = new CellMetrics();
        var perStep = new double[Sums][];
        for (int m = 0; m < Sums; m++)
        {
            perStep[m] = new double[steps];
            for (int t = 0; t < steps; t++)
            {
                perStep[m][t] = sums[(t * Sums) + m] / d;
            }
        }

        var optimum = PopulationOptimum.Compute(spectrum, schedule);
        LossReport.Add(metrics, config.ReportedSteps, MetricNames.EpsTest, perStep[EpsTest]);
        LossReport.Add(metrics, config.ReportedSteps, MetricNames.EpsTrain, perStep[EpsTrain]);
        LossReport.Add(metrics, config.ReportedSteps, MetricNames.DataTest, perStep[DataTest]);
        LossReport.Add(metrics, config.ReportedSteps, MetricNames.DataTrain, perStep[DataTrain]);
        LossReport.Add(metrics, config.ReportedSteps, MetricNames.EpsOpt, optimum.Eps);
        LossReport.Add(metrics, config.ReportedSteps, MetricNames.DataOpt, optimum.Data);
        LossReport.AddExcess(metrics);

        if (config.IsConverged)
        {
            var (fwd, rev) = IdealKl(config, spectrum, basis);
            metrics.SetScalar(MetricNames.DklIdealFwd, fwd);
            metrics.SetScalar(MetricNames.DklIdealRev, rev);
        }

        var (ddpmFwd, ddpmRev) = DdpmKl(config, spectrum, basis, variance, logP, shrink);
        metrics.SetScalar(MetricNames.DklDdpmFwd, ddpmFwd);
        metrics.SetScalar(MetricNames.DklDdpmRev, ddpmRev);
        return metrics;
    }

    /// <summary>p_gen = N(mu0, Sigma0 + cI) against p_true = N(0, Sigma), per dimension (spec S-4).</summary>
    private static (double Fwd, double Rev) IdealKl(ModelConfig config, Spectrum spectrum, EmpiricalEigenbasis basis)
    {
        int modes = basis.ModeCount;
        var p = new double[modes];
        var logP = new double[modes];
        for (int i = 0; i < modes; i++)
        {
            p[i] = basis.Variance[i] + config.C;
            logP[i] = Math.Log(p[i]);
        }

        double meanTerm = 0;
        var mu0 = basis.Mean;
        for (int j = 0; j < mu0.Length; j++)
        {
            meanTerm += mu0[j] * mu0[j] / spectrum[j];
        }

        double meanTermRev = 0;
        for (int i = 0; i < modes; i++)
        {
            meanTermRev += basis.MeanCoordinateSquared[i] / p[i];
        }

        return Kl(spectrum, basis, p, logP, meanTerm, meanTermRev);
    }

    /// <summary>The DDPM sampler's Gaussian (spec S-4, exact propagation) against p_true, per dimension.</summary>
    private static (double Fwd, double Rev) DdpmKl(ModelConfig config, Spectrum spectrum, EmpiricalEigenbasis basis, double[] p, double[] logP, double[] shrink)
    {
        double meanTerm = 0, meanTermRev = 0;
        if (config.BiasMode == BiasMode.Mean)
        {
            var m = basis.ShrinkMean(shrink);
            for (int j = 0; j < m.Length; j++)
            {
                meanTerm += m[j] * m[j] / spectrum[j];
            }

            for (int i = 0; i < p.Length; i++)
            {
                meanTermRev += shrink[i] * shrink[i] * basis.MeanCoordinateSquared[i] / p[i];
            }
        }

        return Kl(spectrum, basis, p, logP, meanTerm, meanTermRev);
    }

    /// <summary>
    /// D(N(m, C) || N(0, Sigma)) and D(N(0, Sigma) || N(m, C)) per dimension with C = U diag(P) U^T.
    /// A zero variance makes both infinite; it is reported as +infinity, never NaN (spec S-10.2).
    /// </summary>
    private static (double Fwd, double Rev) Kl(Spectrum spectrum, EmpiricalEigenbasis basis, double[] p, double[] logP, double meanTermFwd, double meanTermRev)
    {
        int d = basis.Dimension;
        double sumLogP = 0, traceFwd = 0, traceRev = 0;
        for (int i = 0; i < p.Length; i++)
        {
            if (!(p[i] > 0))
            {
                return (double.PositiveInfinity, double.PositiveInfinity);
            }

            sumLogP += basis.Multiplicity[i] * logP[i];
            traceFwd += p[i] * basis.OverlapSigmaInverse[i];
            traceRev += basis.OverlapSigma[i] / p[i];
        }

        double logDetSigma = spectrum.MeanLog * d;
        double fwd = 0.5 * (logDetSigma - sumLogP - d + meanTermFwd + traceFwd) / d;
        double rev = 0.5 * (sumLogP - logDetSigma - d + meanTermRev + traceRev) / d;
        return (Finite(fwd), Finite(rev));
    }

    private static double Finite(double value) => double.IsNaN(value) ? double.PositiveInfinity : value;
}
