using System.Numerics;
using System.Runtime.CompilerServices;
using SweepCluster.Model.Configuration;
using SweepCluster.Model.Diffusion;
using SweepCluster.Model.Metrics;
using SweepCluster.Model.Simulation;
using SweepCluster.Model.Spectra;
using SweepCluster.Model.Training;

namespace SweepCluster.Model.Theory;

/// <summary>
/// The S-6 theory: losses at any training time tau and the KL of the DDPM sampler, as integrals of the
/// per-mode expressions of spec S-3/S-4 over the limiting spectral measures of S' (empirical eigenvalue
/// sig = rho x). Valid for converged and finite tau alike.
/// </summary>
public static class SpectralTheory
{
    // Per-t accumulators of one node chunk.
    private const int EpsResidual = 0;      // int (1 - s w)^2 dmu_I
    private const int EpsWeightS = 1;       // int w^2 dmu_S
    private const int EpsWeightSig = 2;     // int w^2 sig dmu_I
    private const int DataResidualS = 3;    // int (1 - a v)^2 dmu_S
    private const int DataWeightI = 4;      // int v^2 dmu_I
    private const int DataResidualSig = 5;  // int (1 - a v)^2 sig dmu_I
    private const int InitI = 6;            // int Q^2 dmu_I
    private const int InitS = 7;            // int Q^2 dmu_S
    private const int InitSig = 8;          // int Q^2 sig dmu_I
    private const int PerStepTerms = 9;

    // Sums of the DDPM KL of one chunk.
    private const int LogP = 0;             // int ln P dmu_I
    private const int PSinv = 1;            // int P dmu_Sinv
    private const int MeanShrinkI = 2;      // int h^2 dmu_I
    private const int InverseP = 3;         // int 1/P dmu_S
    private const int MeanShrinkOverP = 4;  // int h^2/P dmu_S
    private const int KlTerms = 5;

    // Enough chunks to balance a few cores; a fixed chunking (merged in order) keeps results independent of
    // the thread count.
    private const int NodesPerChunk = 512;

    public static CellMetrics Compute(ModelConfig config, Spectrum spectrum, NoiseSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(spectrum);
        var scaling = TheoryScaling.For(config);
        return Compute(config, spectrum, schedule, SpectralMeasure.Create(spectrum, scaling.N, config.SpectralGrid));
    }

    public static CellMetrics Compute(ModelConfig config, Spectrum spectrum, NoiseSchedule schedule, SpectralMeasure measure)
    {
        ArgumentNullException.ThrowIfNull(config);
        return ComputeAll([config], spectrum, schedule, measure)[0];
    }

    /// <summary>
    /// The theory of several cells that differ only in tau, in one pass over the nodes: the tau-independent
    /// quantities of every (node, step) are computed once. Each result has the bits of a pass of its own.
    /// </summary>
    public static CellMetrics[] ComputeAll(IReadOnlyList<ModelConfig> configs, Spectrum spectrum, NoiseSchedule schedule, SpectralMeasure measure, PopulationOptimum? optimum = null)
    {
        var pass = Pass(configs, spectrum, schedule, measure, lossSums: true);
        optimum ??= PopulationOptimum.Compute(spectrum, schedule);
        var results = new CellMetrics[configs.Count];
        for (int k = 0; k < results.Length; k++)
        {
            results[k] = Report(configs[k], spectrum, schedule, pass.Scaling, pass.PerStep[k], pass.Kl[k], optimum);
        }

        return results;
    }

    /// <summary>
    /// Only the DDPM KL (forward, reverse) of S-6: what the converged theory takes from here, its losses coming
    /// from the closed forms. Skipping the per-step loss sums leaves the KL's bits unchanged.
    /// </summary>
    public static (double Fwd, double Rev)[] DdpmKl(IReadOnlyList<ModelConfig> configs, Spectrum spectrum, NoiseSchedule schedule, SpectralMeasure measure)
    {
        var pass = Pass(configs, spectrum, schedule, measure, lossSums: false);
        return [.. pass.Kl.Select(kl => DdpmKl(spectrum, pass.Scaling, kl))];
    }

    private static PassSums Pass(IReadOnlyList<ModelConfig> configs, Spectrum spectrum, NoiseSchedule schedule, SpectralMeasure measure, bool lossSums)
    {
        PassKey.ThrowIfMixed(configs);
        ArgumentNullException.ThrowIfNull(spectrum);
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(measure);

        var config = configs[0];
        var scaling = TheoryScaling.For(config);
        if (measure.SampleCount != scaling.N || measure.Dimension != spectrum.Dimension)
        {
            throw new ArgumentException($"the measure was built for n = {measure.SampleCount}, d = {measure.Dimension}; the config needs n = {scaling.N}, d = {spectrum.Dimension}", nameof(measure));
        }

        foreach (var other in configs)
        {
            foreach (int t in other.ReportedSteps)
            {
                if (t < 0 || t >= schedule.Steps)
                {
                    throw new ArgumentOutOfRangeException(nameof(configs), t, $"reported step outside 0..{schedule.Steps - 1}");
                }
            }
        }

        var nodes = Nodes.From(measure, scaling.Rho);
        var lanes = new TauLanes([.. configs.Select(c => new TrainedDenoiser(c.C, c.EffectiveLearningRate, c.EffectiveTau, c.Dynamics))]);
        var steps = StepConstants.From(schedule);
        int perStepLength = lossSums ? steps.Count * PerStepTerms : 0;
        int chunks = Math.Max(1, (nodes.Count + NodesPerChunk - 1) / NodesPerChunk);
        var perStep = new double[chunks][];
        var kl = new double[chunks][];
        Parallel.For(0, chunks, chunk =>
        {
            int start = chunk * NodesPerChunk;
            int end = Math.Min(nodes.Count, start + NodesPerChunk);
            perStep[chunk] = new double[perStepLength * lanes.Stride];
            kl[chunk] = new double[KlTerms * lanes.Stride];
            Accumulate(nodes, start, end, lanes, steps, config.SamplerLastNoise, perStep[chunk], kl[chunk]);
        });

        return new PassSums(scaling, LaneSums.InChunkOrder(perStep, lanes, perStepLength), LaneSums.InChunkOrder(kl, lanes, KlTerms));
    }

    /// <summary>
    /// Runs the sampler recursion t = T-1..0 for every node of [start, end) and every tau and, at the same time,
    /// adds each node's share of every per-t loss when asked (acc not empty): both need w_t(sig) at every t. The
    /// taus are vector lanes (acc holds term i of lane k at i * stride + k); every lane sums the nodes in order, as
    /// a pass of its tau alone would. t is the outer loop so that one step's sums stay in cache while the nodes
    /// run (node-outer streams every step's sums of every tau once per node, and memory then sets the pace).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Accumulate(Nodes nodes, int start, int end, TauLanes lanes, StepConstants steps, bool lastNoise, double[] acc, double[] kl)
    {
        int count = steps.Count, stride = lanes.Stride, width = Vector<double>.Count, blocks = lanes.Blocks;
        bool lossSums = acc.Length > 0;
        var one = Vector<double>.One;

        // Any unconverged denoiser computes the decay bases the others need (they share c; the converged ones ignore them).
        var shared = lanes.Denoisers.FirstOrDefault(d => !d.IsConverged, lanes.Denoisers[0]);

        // The sampler state of every (node, lane) while t runs down.
        var p = new Vector<double>[(end - start) * blocks];
        var prodA = new Vector<double>[p.Length];
        Array.Fill(p, one);
        Array.Fill(prodA, one);
        for (int t = count - 1; t >= 0; t--)
        {
            double a = steps.A[t], s = steps.S[t];
            var vA = new Vector<double>(a);
            var vS = new Vector<double>(s);
            var betaOverS = new Vector<double>(steps.BetaOverS[t]);
            var invSqrtAlpha = new Vector<double>(steps.InvSqrtAlpha[t]);
            var noise = new Vector<double>(t > 0 || lastNoise ? steps.Beta[t] : 0.0);
            int o = t * PerStepTerms * stride;
            for (int j = start; j < end; j++)
            {
                double sig = nodes.Sig[j], wI = nodes.WeightI[j];
                var vI = new Vector<double>(wI);
                var vWS = new Vector<double>(nodes.WeightS[j]);
                var vIsig = new Vector<double>(wI * sig);
                var decay = lanes.AnyDecay ? shared.DecayBase(shared.Curvature(sig, a, s)) : default;
                Vector<double> epsScale = default, dataScale = default;
                if (lanes.SharedRidge)
                {
                    lanes.SharedScales(sig, a, s, out epsScale, out dataScale);
                }

                int state = (j - start) * blocks;
                for (int b = 0; b < blocks; b++)
                {
                    var q = lanes.Decay(decay, b);
                    var fresh = one - q;
                    if (!lanes.SharedRidge)
                    {
                        lanes.Scales(sig, a, s, b, out epsScale, out dataScale);
                    }

                    var w = epsScale * fresh;
                    if (lossSums)
                    {
                        int lane = o + (b * width);
                        var v = dataScale * fresh;
                        var epsResidual = one - (vS * w);
                        var dataResidual = one - (vA * v);
                        var w2 = w * w;
                        var d2 = dataResidual * dataResidual;
                        LaneSums.Add(acc, lane + (EpsResidual * stride), vI * epsResidual * epsResidual);
                        LaneSums.Add(acc, lane + (EpsWeightS * stride), vWS * w2);
                        LaneSums.Add(acc, lane + (EpsWeightSig * stride), vIsig * w2);
                        LaneSums.Add(acc, lane + (DataResidualS * stride), vWS * d2);
                        LaneSums.Add(acc, lane + (DataWeightI * stride), vI * v * v);
                        LaneSums.Add(acc, lane + (DataResidualSig * stride), vIsig * d2);

                        // Adding the zero of a lane with q = 0 leaves its (non-negative) sum's bits as skipping it would.
                        if (!Vector.EqualsAll(q, Vector<double>.Zero))
                        {
                            var q2 = q * q;
                            LaneSums.Add(acc, lane + (InitI * stride), vI * q2);
                            LaneSums.Add(acc, lane + (InitS * stride), vWS * q2);
                            LaneSums.Add(acc, lane + (InitSig * stride), vIsig * q2);
                        }
                    }

                    var gain = (one - (betaOverS * w)) * invSqrtAlpha;
                    p[state + b] = (gain * gain * p[state + b]) + noise;
                    prodA[state + b] *= gain;
                }
            }
        }

        Span<double> pLanes = stackalloc double[width];
        Span<double> shrinkLanes = stackalloc double[width];
        var aLast = new Vector<double>(steps.A[count - 1]);
        for (int j = start; j < end; j++)
        {
            double wI = nodes.WeightI[j], wS = nodes.WeightS[j], wSinv = nodes.WeightSinv[j];
            for (int b = 0; b < blocks; b++)
            {
                int state = ((j - start) * blocks) + b, lane = b * width;
                p[state].CopyTo(pLanes);
                (one - (aLast * prodA[state])).CopyTo(shrinkLanes);
                for (int i = 0; i < width; i++)
                {
                    double pi = pLanes[i], shrink2 = shrinkLanes[i] * shrinkLanes[i];
                    kl[(LogP * stride) + lane + i] += wI * Math.Log(pi);
                    kl[(PSinv * stride) + lane + i] += wSinv * pi;
                    kl[(MeanShrinkI * stride) + lane + i] += wI * shrink2;
                    kl[(InverseP * stride) + lane + i] += wS / pi;
                    kl[(MeanShrinkOverP * stride) + lane + i] += wS * shrink2 / pi;
                }
            }
        }
    }

    private static CellMetrics Report(ModelConfig config, Spectrum spectrum, NoiseSchedule schedule, TheoryScaling scaling, double[] total, double[] kl, PopulationOptimum optimum)
    {
        int count = schedule.Steps;
        double mf = scaling.MeanFactor, init2 = config.InitStd * config.InitStd;
        var epsTest = new double[count];
        var epsTrain = new double[count];
        var dataTest = new double[count];
        var dataTrain = new double[count];
        for (int t = 0; t < count; t++)
        {
            double a2 = schedule.AlphaBar[t];
            double s2 = schedule.NoiseScale[t] * schedule.NoiseScale[t];
            int o = t * PerStepTerms;

            // W_0 averaged out (spec S-3): the same extra terms for both models.
            double initTest = init2 * ((s2 * total[o + InitI]) + (a2 * (1.0 + mf) * total[o + InitS]));
            double initTrain = init2 * ((s2 * total[o + InitI]) + (a2 * total[o + InitSig]));
            epsTest[t] = total[o + EpsResidual] + (a2 * (1.0 + mf) * total[o + EpsWeightS]) + initTest;
            epsTrain[t] = total[o + EpsResidual] + (a2 * total[o + EpsWeightSig]) + initTrain;
            dataTest[t] = ((1.0 + mf) * total[o + DataResidualS]) + (s2 * total[o + DataWeightI]) + initTest;
            dataTrain[t] = total[o + DataResidualSig] + (s2 * total[o + DataWeightI]) + initTrain;

            // Modes that GD cannot hold (eta_eff h > 2) blow up: the loss is infinite, not inf - inf.
            epsTest[t] = Finite(epsTest[t]);
            epsTrain[t] = Finite(epsTrain[t]);
            dataTest[t] = Finite(dataTest[t]);
            dataTrain[t] = Finite(dataTrain[t]);
        }

        var metrics = new CellMetrics();
        LossReport.Add(metrics, config.ReportedSteps, MetricNames.EpsTest, epsTest);
        LossReport.Add(metrics, config.ReportedSteps, MetricNames.EpsTrain, epsTrain);
        LossReport.Add(metrics, config.ReportedSteps, MetricNames.DataTest, dataTest);
        LossReport.Add(metrics, config.ReportedSteps, MetricNames.DataTrain, dataTrain);

        metrics.SetScalar(MetricNames.Averaged(MetricNames.EpsExcess), metrics.Scalar(MetricNames.Averaged(MetricNames.EpsTest)) - optimum.Eps.Average());
        metrics.SetScalar(MetricNames.Averaged(MetricNames.DataExcess), metrics.Scalar(MetricNames.Averaged(MetricNames.DataTest)) - optimum.Data.Average());

        var (fwd, rev) = DdpmKl(spectrum, scaling, kl);
        metrics.SetScalar(MetricNames.DklDdpmFwd, fwd);
        metrics.SetScalar(MetricNames.DklDdpmRev, rev);
        return metrics;
    }

    /// <summary>
    /// Spec S-4 per dimension; the atom at 0 is one more mode. The forward mean term uses Tr[h^2] for
    /// Tr[h Sigma h Sigma^-1] as the reference does (spec S-6).
    /// </summary>
    private static (double Fwd, double Rev) DdpmKl(Spectrum spectrum, TheoryScaling scaling, double[] kl)
    {
        double mf = scaling.MeanFactor, meanLog = spectrum.MeanLog;
        double fwd = 0.5 * (meanLog - kl[LogP] - 1.0 + kl[PSinv] + (mf * kl[MeanShrinkI]));
        double rev = 0.5 * (kl[LogP] - meanLog - 1.0 + kl[InverseP] + (mf * kl[MeanShrinkOverP]));
        return (Finite(fwd), Finite(rev));
    }

    /// <summary>A degenerate generated covariance (ln 0, 1/0) or a diverging mode makes the value infinite, never NaN.</summary>
    private static double Finite(double value) => double.IsFinite(value) ? value : double.PositiveInfinity;

    /// <summary>The merged sums of one pass: per tau, the per-step loss terms (empty when not asked for) and the KL terms.</summary>
    private sealed record PassSums(TheoryScaling Scaling, double[][] PerStep, double[][] Kl);

    /// <summary>The quadrature nodes in sig = rho x, the atom at 0 first.</summary>
    private sealed class Nodes
    {
        private Nodes(double[] sig, double[] weightI, double[] weightS, double[] weightSinv)
        {
            Sig = sig;
            WeightI = weightI;
            WeightS = weightS;
            WeightSinv = weightSinv;
        }

        public double[] Sig { get; }

        public double[] WeightI { get; }

        public double[] WeightS { get; }

        public double[] WeightSinv { get; }

        public int Count => Sig.Length;

        public static Nodes From(SpectralMeasure measure, double rho)
        {
            bool atom = measure.AtomI > 0;
            int offset = atom ? 1 : 0;
            int count = measure.Points.Length + offset;
            var sig = new double[count];
            var wI = new double[count];
            var wS = new double[count];
            var wSinv = new double[count];
            if (atom)
            {
                wI[0] = measure.AtomI;
                wS[0] = measure.AtomS;
                wSinv[0] = measure.AtomSinv;
            }

            for (int j = 0; j < measure.Points.Length; j++)
            {
                sig[j + offset] = rho * measure.Points[j];
                wI[j + offset] = measure.WeightsI[j];
                wS[j + offset] = measure.WeightsS[j];
                wSinv[j + offset] = measure.WeightsSinv[j];
            }

            return new Nodes(sig, wI, wS, wSinv);
        }
    }

    /// <summary>The schedule quantities the sampler recursion needs at every t.</summary>
    private sealed class StepConstants
    {
        private StepConstants(double[] a, double[] s, double[] beta, double[] betaOverS, double[] invSqrtAlpha)
        {
            A = a;
            S = s;
            Beta = beta;
            BetaOverS = betaOverS;
            InvSqrtAlpha = invSqrtAlpha;
        }

        public int Count => A.Length;

        public double[] A { get; }

        public double[] S { get; }

        public double[] Beta { get; }

        public double[] BetaOverS { get; }

        public double[] InvSqrtAlpha { get; }

        public static StepConstants From(NoiseSchedule schedule)
        {
            int count = schedule.Steps;
            var betaOverS = new double[count];
            var invSqrtAlpha = new double[count];
            for (int t = 0; t < count; t++)
            {
                betaOverS[t] = schedule.Beta[t] / schedule.NoiseScale[t];
                invSqrtAlpha[t] = 1.0 / Math.Sqrt(1.0 - schedule.Beta[t]);
            }

            return new StepConstants(schedule.SignalScale.ToArray(), schedule.NoiseScale.ToArray(), schedule.Beta.ToArray(), betaOverS, invSqrtAlpha);
        }
    }
}
