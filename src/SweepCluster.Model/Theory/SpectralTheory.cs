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
    public static (double Fwd, double Rev) DdpmKl(ModelConfig config, Spectrum spectrum, NoiseSchedule schedule, SpectralMeasure measure)
    {
        ArgumentNullException.ThrowIfNull(config);
        var pass = Pass([config], spectrum, schedule, measure, lossSums: false);
        return DdpmKl(spectrum, pass.Scaling, pass.Kl[0]);
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
        var denoisers = configs.Select(c => new TrainedDenoiser(c.C, c.EffectiveLearningRate, c.EffectiveTau, c.Dynamics)).ToArray();
        var steps = StepConstants.From(schedule);
        int taus = denoisers.Length;
        int perStepLength = lossSums ? steps.Count * PerStepTerms : 0;
        int chunks = Math.Max(1, (nodes.Count + NodesPerChunk - 1) / NodesPerChunk);
        var perStep = new double[chunks][][];
        var kl = new double[chunks][][];
        Parallel.For(0, chunks, chunk =>
        {
            int start = chunk * NodesPerChunk;
            int end = Math.Min(nodes.Count, start + NodesPerChunk);
            perStep[chunk] = NewRows(taus, perStepLength);
            kl[chunk] = NewRows(taus, KlTerms);
            Accumulate(nodes, start, end, denoisers, steps, config.SamplerLastNoise, perStep[chunk], kl[chunk]);
        });

        return new PassSums(scaling, SumInChunkOrder(perStep, taus, perStepLength), SumInChunkOrder(kl, taus, KlTerms));
    }

    private static double[][] NewRows(int rows, int length)
    {
        var result = new double[rows][];
        for (int k = 0; k < rows; k++)
        {
            result[k] = new double[length];
        }

        return result;
    }

    /// <summary>Fixed chunks merged in chunk order keep results independent of the thread count.</summary>
    private static double[][] SumInChunkOrder(double[][][] chunks, int rows, int length)
    {
        var total = NewRows(rows, length);
        foreach (var chunk in chunks)
        {
            for (int k = 0; k < rows; k++)
            {
                for (int i = 0; i < length; i++)
                {
                    total[k][i] += chunk[k][i];
                }
            }
        }

        return total;
    }

    /// <summary>
    /// Runs the sampler recursion t = T-1..0 for every node of [start, end) and every tau and, at the same time,
    /// adds each node's share of every per-t loss when asked (acc rows not empty): both need w_t(sig) at every t.
    /// Nodes are summed in order for every tau, as a pass of one tau would.
    /// </summary>
    private static void Accumulate(Nodes nodes, int start, int end, TrainedDenoiser[] denoisers, StepConstants steps, bool lastNoise, double[][] acc, double[][] kl)
    {
        int count = steps.Count;
        var modeSteps = new ModeStep[count];

        // Any unconverged denoiser computes the decay bases the others need (the converged ones ignore them).
        var shared = denoisers.FirstOrDefault(d => !d.IsConverged, denoisers[0]);
        for (int j = start; j < end; j++)
        {
            double sig = nodes.Sig[j], wI = nodes.WeightI[j], wS = nodes.WeightS[j], wSinv = nodes.WeightSinv[j];
            double wIsig = wI * sig;
            for (int t = 0; t < count; t++)
            {
                modeSteps[t] = shared.AtStep(sig, steps.A[t], steps.S[t]);
            }

            for (int k = 0; k < denoisers.Length; k++)
            {
                var denoiser = denoisers[k];
                var sums = acc[k];
                bool lossSums = sums.Length > 0;
                double p = 1.0, prodA = 1.0;
                for (int t = count - 1; t >= 0; t--)
                {
                    var step = modeSteps[t];
                    double q = denoiser.Decay(step.Decay);
                    double w = step.EpsWeight(q);
                    if (lossSums)
                    {
                        double a = steps.A[t], s = steps.S[t];
                        double v = step.DataWeight(q);
                        double epsResidual = 1.0 - (s * w);
                        double dataResidual = 1.0 - (a * v);
                        double w2 = w * w, d2 = dataResidual * dataResidual;
                        int o = t * PerStepTerms;
                        sums[o + EpsResidual] += wI * epsResidual * epsResidual;
                        sums[o + EpsWeightS] += wS * w2;
                        sums[o + EpsWeightSig] += wIsig * w2;
                        sums[o + DataResidualS] += wS * d2;
                        sums[o + DataWeightI] += wI * v * v;
                        sums[o + DataResidualSig] += wIsig * d2;
                        if (q != 0)
                        {
                            double q2 = q * q;
                            sums[o + InitI] += wI * q2;
                            sums[o + InitS] += wS * q2;
                            sums[o + InitSig] += wIsig * q2;
                        }
                    }

                    double gain = (1.0 - (steps.BetaOverS[t] * w)) * steps.InvSqrtAlpha[t];
                    p = (gain * gain * p) + (t > 0 || lastNoise ? steps.Beta[t] : 0.0);
                    prodA *= gain;
                }

                double shrink = 1.0 - (steps.A[count - 1] * prodA);
                double shrink2 = shrink * shrink;
                var klSums = kl[k];
                klSums[LogP] += wI * Math.Log(p);
                klSums[PSinv] += wSinv * p;
                klSums[MeanShrinkI] += wI * shrink2;
                klSums[InverseP] += wS / p;
                klSums[MeanShrinkOverP] += wS * shrink2 / p;
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
