using System.Numerics;
using System.Runtime.CompilerServices;
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
        return ComputeAll([config], spectrum, schedule, basis)[0];
    }

    /// <summary>
    /// The metrics of several cells of one training set that differ only in tau (and the reported steps), in one
    /// pass over the modes: the tau-independent quantities of every (mode, step) are computed once. Each result
    /// has the bits of <see cref="Compute"/> for its cell alone.
    /// </summary>
    /// <param name="optimum">The population optimum of this spectrum and schedule, when already known.</param>
    public static CellMetrics[] ComputeAll(IReadOnlyList<ModelConfig> configs, Spectrum spectrum, NoiseSchedule schedule, EmpiricalEigenbasis basis, PopulationOptimum? optimum = null)
    {
        PassKey.ThrowIfMixed(configs);
        ArgumentNullException.ThrowIfNull(spectrum);
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(basis);
        foreach (var config in configs)
        {
            ModelConfigValidator.ThrowIfUnstable(config, schedule, basis.MaxVariance);
        }

        var first = configs[0];
        int steps = schedule.Steps;
        int modes = basis.ModeCount;
        int taus = configs.Count;
        var lanes = new TauLanes([.. configs.Select(c => new TrainedDenoiser(c.C, c.EffectiveLearningRate, c.EffectiveTau, c.Dynamics))]);
        var pass = new ModePass(first.InitStd * first.InitStd, first.SamplerLastNoise, schedule, basis, lanes);

        // A fixed chunk size, summed in chunk order, makes the result independent of the core count: the same
        // cell computed on any node gives the same bits.
        int chunkCount = (modes + ModesPerChunk - 1) / ModesPerChunk;
        var partial = new double[chunkCount][];
        var modeResults = new ModeResults[lanes.Stride];
        for (int k = 0; k < modeResults.Length; k++)
        {
            modeResults[k] = new ModeResults(modes);
        }

        Parallel.For(0, chunkCount, chunk =>
        {
            var acc = new double[steps * Sums * lanes.Stride];
            int firstMode = chunk * ModesPerChunk;
            pass.Accumulate(firstMode, Math.Min(modes, firstMode + ModesPerChunk), acc, modeResults);
            partial[chunk] = acc;
        });

        optimum ??= PopulationOptimum.Compute(spectrum, schedule);
        var sums = LaneSums.InChunkOrder(partial, lanes, steps * Sums);
        var results = new CellMetrics[taus];
        for (int k = 0; k < taus; k++)
        {
            results[k] = Report(configs[k], spectrum, basis, sums[k], modeResults[k], optimum);
        }

        return results;
    }

    private static CellMetrics Report(ModelConfig config, Spectrum spectrum, EmpiricalEigenbasis basis, double[] sums, ModeResults modes, PopulationOptimum optimum)
    {
        int steps = sums.Length / Sums;
        int d = basis.Dimension;
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

        var (ddpmFwd, ddpmRev) = DdpmKl(config, spectrum, basis, modes.Variance, modes.LogP, modes.Shrink);
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

    /// <summary>Per mode, for one tau: the generated variance P, ln P and the mean shrink factor of the DDPM sampler.</summary>
    private sealed class ModeResults(int modes)
    {
        public double[] Variance { get; } = new double[modes];

        public double[] LogP { get; } = new double[modes];

        public double[] Shrink { get; } = new double[modes];
    }

    /// <summary>The per-mode loop over the steps, for every tau of a pass, the taus in vector lanes (see <see cref="LaneSums"/>).</summary>
    private sealed class ModePass(double init2, bool lastNoise, NoiseSchedule schedule, EmpiricalEigenbasis basis, TauLanes lanes)
    {
        private readonly double[] _a = schedule.SignalScale.ToArray();
        private readonly double[] _s = schedule.NoiseScale.ToArray();
        private readonly double[] _beta = schedule.Beta.ToArray();

        // Step constants of the sampler gain (1 - beta/s w)/sqrt(1 - beta), hoisted out of the mode and tau loops.
        private readonly double[] _betaOverS = [.. Enumerable.Range(0, schedule.Steps).Select(t => schedule.Beta[t] / schedule.NoiseScale[t])];
        private readonly double[] _sqrtAlpha = [.. Enumerable.Range(0, schedule.Steps).Select(t => Math.Sqrt(1.0 - schedule.Beta[t]))];

        // Any unconverged denoiser computes the decay bases the others need (they share c; the converged ones ignore them).
        private readonly TrainedDenoiser _shared = lanes.Denoisers.FirstOrDefault(d => !d.IsConverged, lanes.Denoisers[0]);

        /// <summary>
        /// Adds the modes [first, last) to acc and stores their sampler results, per lane. t is the outer loop so that
        /// one step's sums stay in cache while the modes run; every lane still sums the modes in order.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Accumulate(int first, int last, double[] acc, ModeResults[] results)
        {
            int steps = _a.Length, stride = lanes.Stride, width = Vector<double>.Count, blocks = lanes.Blocks;
            var one = Vector<double>.One;
            var init2v = new Vector<double>(init2);

            // The sampler state of every (mode, lane) while t runs down (t = T-1 .. 0, as the DDPM recursion needs).
            var p = new Vector<double>[(last - first) * blocks];
            var prodA = new Vector<double>[p.Length];
            Array.Fill(p, one);
            Array.Fill(prodA, one);
            for (int t = steps - 1; t >= 0; t--)
            {
                var at = new Vector<double>(_a[t]);
                var st = new Vector<double>(_s[t]);
                var betaOverS = new Vector<double>(_betaOverS[t]);
                var sqrtAlpha = new Vector<double>(_sqrtAlpha[t]);
                var beta = new Vector<double>(_beta[t]);
                bool noise = t > 0 || lastNoise;
                int row = t * Sums * stride;
                for (int i = first; i < last; i++)
                {
                    double sig = basis.Variance[i];
                    var vSig = new Vector<double>(sig);
                    var vMult = new Vector<double>(basis.Multiplicity[i]);
                    var vOverlap = new Vector<double>(basis.OverlapSigma[i] + basis.MeanCoordinateSquared[i]);
                    var decay = lanes.AnyDecay ? _shared.DecayBase(_shared.Curvature(sig, _a[t], _s[t])) : default;
                    Vector<double> epsScale = default, dataScale = default;
                    if (lanes.SharedRidge)
                    {
                        lanes.SharedScales(sig, _a[t], _s[t], out epsScale, out dataScale);
                    }

                    int state = (i - first) * blocks;
                    for (int b = 0; b < blocks; b++)
                    {
                        int lane = row + (b * width);
                        var q = lanes.Decay(decay, b);
                        var fresh = one - q;
                        if (!lanes.SharedRidge)
                        {
                            lanes.Scales(sig, _a[t], _s[t], b, out epsScale, out dataScale);
                        }

                        var w = epsScale * fresh;
                        var v = dataScale * fresh;
                        var rw = one - (st * w);
                        var rv = one - (at * v);
                        var a2w2 = at * at * w * w;
                        var s2v2 = st * st * v * v;
                        LaneSums.Add(acc, lane + (EpsTest * stride), (vMult * rw * rw) + (a2w2 * vOverlap));
                        LaneSums.Add(acc, lane + (EpsTrain * stride), vMult * ((rw * rw) + (a2w2 * vSig)));
                        LaneSums.Add(acc, lane + (DataTest * stride), (rv * rv * vOverlap) + (vMult * s2v2));
                        LaneSums.Add(acc, lane + (DataTrain * stride), vMult * ((rv * rv * vSig) + s2v2));

                        // Adding the zero of a lane with q = 0 leaves its (non-negative) sum's bits as skipping it would.
                        if (init2 > 0 && !Vector.EqualsAll(q, Vector<double>.Zero))
                        {
                            var q2 = init2v * q * q;
                            var extraTest = q2 * ((vMult * st * st) + (at * at * vOverlap));
                            var extraTrain = q2 * vMult * ((st * st) + (at * at * vSig));
                            LaneSums.Add(acc, lane + (EpsTest * stride), extraTest);
                            LaneSums.Add(acc, lane + (DataTest * stride), extraTest);
                            LaneSums.Add(acc, lane + (EpsTrain * stride), extraTrain);
                            LaneSums.Add(acc, lane + (DataTrain * stride), extraTrain);
                        }

                        var gain = (one - (betaOverS * w)) / sqrtAlpha;
                        var next = gain * gain * p[state + b];
                        p[state + b] = noise ? next + beta : next;
                        prodA[state + b] *= gain;
                    }
                }
            }

            double aLast = _a[steps - 1];
            Span<double> pLanes = stackalloc double[width];
            Span<double> prodLanes = stackalloc double[width];
            for (int i = first; i < last; i++)
            {
                for (int b = 0; b < blocks; b++)
                {
                    int state = ((i - first) * blocks) + b;
                    p[state].CopyTo(pLanes);
                    prodA[state].CopyTo(prodLanes);
                    for (int k = 0; k < width; k++)
                    {
                        var result = results[(b * width) + k];
                        result.Variance[i] = pLanes[k];
                        result.LogP[i] = Math.Log(pLanes[k]);
                        result.Shrink[i] = 1.0 - (aLast * prodLanes[k]);
                    }
                }
            }
        }
    }
}
