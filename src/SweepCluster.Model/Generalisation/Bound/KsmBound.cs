using SweepCluster.Model.Configuration;
using SweepCluster.Model.Diffusion;
using SweepCluster.Model.LinearAlgebra;
using SweepCluster.Model.Metrics;
using SweepCluster.Model.Simulation;
using SweepCluster.Model.Spectra;
using SweepCluster.Model.Training;

namespace SweepCluster.Model.Generalisation.Bound;

/// <summary>
/// The Kadkhodaie-Simoncelli-Mallat bound for the linear Gaussian model (spec S-14): per training set, the
/// bound at infinite and finite horizon, the reverse-SDE KL it bounds, the DDPM KL with its floor, and the
/// grid-only diagnostic.
/// </summary>
public static class KsmBound
{
    /// <summary>sigma_lo^2 is this fraction of the smallest variance scale, sigma_hi^2 this multiple of the largest.</summary>
    public const double RangeFactor = 1e12;

    public static BoundResult Run(BoundConfig config, Spectrum spectrum, ILinearAlgebra algebra)
    {
        ExperimentArguments.Check(config, spectrum, algebra, () => config.Model.D);
        config.Validate();
        var model = config.Model;

        var schedule = model.CreateSchedule();
        double floor = DdpmFloor(model, spectrum, schedule);
        var seeds = new BoundSeedResult[model.Seeds];
        for (int r = 0; r < model.Seeds; r++)
        {
            var set = TrainingSet.Generate(spectrum, model.N, (ulong)(model.Seed0 + r));
            var basis = EmpiricalEigenbasis.Compute(set, spectrum, model.BiasMode, algebra, centreInPlace: true);
            seeds[r] = ForBasis(config, spectrum, schedule, basis, floor) with { Replicate = r };
        }

        return new BoundResult(config, seeds);
    }

    /// <summary>The S-14.6 outputs of one training set already in its eigenbasis (replicate 0).</summary>
    public static BoundSeedResult ForBasis(BoundConfig config, Spectrum spectrum, NoiseSchedule schedule, EmpiricalEigenbasis basis, double ddpmFloor)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(spectrum);
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(basis);
        var model = config.Model;
        var denoiser = new TrainedDenoiser(model.C, model.EffectiveLearningRate, model.EffectiveTau, model.Dynamics);
        var metrics = TrainingSetMetrics.Compute(model, spectrum, schedule, basis);
        double klDdpm = metrics.Scalar(MetricNames.DklDdpmRev);
        double klIdeal = model.IsConverged ? metrics.Scalar(MetricNames.DklIdealRev) : double.NaN;

        int last = schedule.Steps - 1;
        double sigmaMax = schedule.NoiseScale[last] / schedule.SignalScale[last];
        double tm = sigmaMax * sigmaMax;
        double prior = PriorKl(spectrum, tm);
        var excess = new ExcessLoss(spectrum, basis, denoiser);
        double bGrid = GridIntegral(schedule, excess);

        // A converged mode with sig + c = 0 has an excess ~ 1/sigma^2 at small sigma and a singular generated law.
        bool singular = model.IsConverged && Enumerable.Range(0, basis.ModeCount).Any(i => basis.Multiplicity[i] > 0 && !(basis.Variance[i] + model.C > 0));
        if (singular)
        {
            double inf = double.PositiveInfinity;
            return new BoundSeedResult(0, inf, inf, prior, inf, inf, double.NaN, klDdpm, klDdpm / inf, bGrid, sigmaMax, ddpmFloor, klIdeal);
        }

        double sigmaLo = Math.Sqrt(SmallestScale(spectrum, basis, model) / RangeFactor);
        var finite = new LogSigmaGrid(sigmaLo, sigmaMax, config.LogStep);
        double bT = prior + Integral(finite, excess);
        double klSdeT = ReverseSde.RevKl(spectrum, basis, denoiser, finite);

        double bInf, klSdeInf;
        if (model.IsConverged)
        {
            double sigmaHi = Math.Sqrt(RangeFactor * Math.Max(Math.Max(spectrum.Max, basis.MaxVariance + model.C), 1.0));
            bInf = Integral(new LogSigmaGrid(sigmaLo, sigmaHi, config.LogStep), excess);
            klSdeInf = klIdeal;
        }
        else
        {
            // At large sigma eps_excess tends to a positive constant (Q -> (1 - eta_eff)^tau), so the integral diverges.
            bInf = double.PositiveInfinity;
            klSdeInf = InfiniteHorizonSdeKl(spectrum, basis, denoiser, model, sigmaLo, config.LogStep);
        }

        return new BoundSeedResult(0, bInf, klSdeInf, prior, bT, klSdeT, klSdeT / bT, klDdpm, klDdpm / bT, bGrid, sigmaMax, ddpmFloor, klIdeal);
    }

    /// <summary>
    /// rev KL of the DDPM sampler run with the population-optimal denoiser (sig = lambda, c = 0, mu0 = 0, spec S-14.5):
    /// the population eigenbasis is the identity, and the existing S-4 propagation does the rest.
    /// </summary>
    public static double DdpmFloor(ModelConfig model, Spectrum spectrum, NoiseSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(spectrum);
        int d = spectrum.Dimension;
        var lambda = spectrum.Eigenvalues.ToArray();
        var identity = new double[d * d];
        for (int i = 0; i < d; i++)
        {
            identity[(i * d) + i] = 1.0;
        }

        var population = new EmpiricalEigenbasis(
            d,
            lambda,
            [.. Enumerable.Repeat(1.0, d)],
            [.. lambda],
            [.. lambda.Select(l => 1.0 / l)],
            new double[d],
            new double[d],
            identity,
            null,
            new double[d],
            "population");
        var optimal = model with { C = 0.0, Tau = double.PositiveInfinity, InitStd = 0.0 };
        return TrainingSetMetrics.Compute(optimal, spectrum, schedule, population).Scalar(MetricNames.DklDdpmRev);
    }

    /// <summary>KL(N(0, Sigma + tm I) || N(0, (1 + tm) I)) per dimension, the price of starting from the DDPM prior.</summary>
    public static double PriorKl(Spectrum spectrum, double tm)
    {
        ArgumentNullException.ThrowIfNull(spectrum);
        double sum = 0;
        foreach (double l in spectrum.Eigenvalues)
        {
            // q - 1 - ln q with q = 1 + x: log1p keeps the digits when lambda is close to 1.
            double x = (l - 1.0) / (1.0 + tm);
            sum += x - Math.Log(1.0 + x);
        }

        return 0.5 * sum / spectrum.Dimension;
    }

    private static double Integral(LogSigmaGrid grid, ExcessLoss excess)
    {
        var f = new double[grid.Count];
        Parallel.For(0, grid.Count, j => f[j] = excess.AtSigma(grid.Sigma[j]));
        return grid.Trapezoid(f);
    }

    /// <summary>B_grid: the trapezoid of eps_excess_t over ln sigma_t on the schedule's steps only.</summary>
    private static double GridIntegral(NoiseSchedule schedule, ExcessLoss excess)
    {
        double sum = 0, previousU = 0, previousF = 0;
        for (int t = 0; t < schedule.Steps; t++)
        {
            double a = schedule.SignalScale[t], s = schedule.NoiseScale[t];
            double u = Math.Log(s / a), f = excess.At(a, s);
            if (t > 0)
            {
                sum += 0.5 * (u - previousU) * (f + previousF);
            }

            previousU = u;
            previousF = f;
        }

        return sum;
    }

    /// <summary>min(lambda_min, min positive (sig_i + c), 1/(eta_eff tau)): below 1e-12 of it the integrands have died out.</summary>
    private static double SmallestScale(Spectrum spectrum, EmpiricalEigenbasis basis, ModelConfig model)
    {
        double smallest = spectrum.Eigenvalues[^1];
        for (int i = 0; i < basis.ModeCount; i++)
        {
            double v = basis.Variance[i] + model.C;
            if (v > 0)
            {
                smallest = Math.Min(smallest, v);
            }
        }

        if (!model.IsConverged && model.EffectiveTau > 0)
        {
            smallest = Math.Min(smallest, 1.0 / (model.EffectiveLearningRate * model.EffectiveTau));
        }

        return smallest;
    }

    /// <summary>
    /// KL_sde_inf of a finite-tau model (the spec gives only the converged closed form): the finite-horizon SDE KL
    /// at tm = sigma_hi^2, where the start no longer matters. Per mode e^{-2K} ~ tau^{-2(1 - Q_inf)} at large tau,
    /// Q_inf = Q(h = 1), so the generated variance diverges, and the KL is +infinity, once Q_inf &gt;= 1/2.
    /// </summary>
    private static double InfiniteHorizonSdeKl(Spectrum spectrum, EmpiricalEigenbasis basis, TrainedDenoiser denoiser, ModelConfig model, double sigmaLo, double step)
    {
        if (denoiser.Decay(denoiser.DecayBase(1.0)) >= 0.5)
        {
            return double.PositiveInfinity;
        }

        double sigmaHi = Math.Sqrt(RangeFactor * Math.Max(Math.Max(spectrum.Max, basis.MaxVariance + model.C), 1.0));
        return ReverseSde.RevKl(spectrum, basis, denoiser, new LogSigmaGrid(sigmaLo, sigmaHi, step));
    }
}
