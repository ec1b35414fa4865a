using SweepCluster.Model.Configuration;
using SweepCluster.Model.Diffusion;
using SweepCluster.Model.Generalisation.Reproducibility;
using SweepCluster.Model.LinearAlgebra;
using SweepCluster.Model.Spectra;
using SweepCluster.Model.Training;

namespace SweepCluster.Model.Tests.Generalisation;

/// <summary>The sampler as a linear map (S-12.2), its Monte Carlo (S-12.3) and the edge cases of S-12.6.</summary>
public class ReproducibilityUnitTests
{
    private static readonly ILinearAlgebra Algebra = LinearAlgebraBackends.Detect();

    public static TheoryData<double, BiasMode, bool, Dynamics> Models() => new()
    {
        { double.PositiveInfinity, BiasMode.Mean, true, Dynamics.GradientDescent },
        { 300, BiasMode.Mean, true, Dynamics.GradientDescent },
        { 75.5, BiasMode.Mean, false, Dynamics.GradientFlow },
        { double.PositiveInfinity, BiasMode.None, false, Dynamics.GradientDescent },
    };

    /// <summary>x = m + U sum_j g_j o (U^T xi_j) is the S-4 sampler run literally in the data basis.</summary>
    [Theory]
    [MemberData(nameof(Models))]
    public void LinearMapEqualsTheLiteralDdpmSampler(double tau, BiasMode bias, bool lastNoise, Dynamics dynamics)
    {
        var config = new ModelConfig { D = 7, N = 4, T = 60, C = 1e-3, Tau = tau, Eta = 1.0, Dynamics = dynamics, BiasMode = bias, SamplerLastNoise = lastNoise, Spectrum = SpectrumSpec.PowerLaw(1) };
        var spectrum = Spectrum.PowerLaw(config.D, 1);
        var schedule = config.CreateSchedule();
        var model = SampledLinearModel.Train(config, spectrum, schedule, Sampler.Ddpm, 3, Algebra);
        int d = config.D, blocks = config.T + 1, draws = 3;
        var noise = new double[draws * blocks * d];
        NoiseBlocks.Fill(NoiseBlocks.NoiseSeed, 0, draws, blocks, d, noise);
        var fast = new double[draws * d];
        model.Sample(noise, draws, fast, Algebra);

        var basis = EmpiricalEigenbasis.Compute(TrainingSet.Generate(spectrum, config.N, 3), spectrum, bias, Algebra, useGramRoute: false);
        var denoiser = new TrainedDenoiser(config.C, config.EffectiveLearningRate, config.EffectiveTau, config.Dynamics);
        for (int b = 0; b < draws; b++)
        {
            var u = noise.AsSpan(b * blocks * d, d).ToArray();
            for (int t = config.T - 1; t >= 0; t--)
            {
                double a = schedule.SignalScale[t], s = schedule.NoiseScale[t], beta = schedule.Beta[t];
                var v = new double[d];
                for (int k = 0; k < d; k++)
                {
                    v[k] = u[k] - (a * basis.Mean[k]);
                }

                // eps = W_t v with W_t = U diag(w_t) U^T.
                var eps = new double[d];
                for (int i = 0; i < d; i++)
                {
                    var ui = basis.Eigenvectors.Slice(i * d, d);
                    double h = denoiser.Curvature(basis.Variance[i], a, s);
                    double w = s / h * (1.0 - denoiser.Decay(denoiser.DecayBase(h)));
                    double proj = 0;
                    for (int k = 0; k < d; k++)
                    {
                        proj += ui[k] * v[k];
                    }

                    for (int k = 0; k < d; k++)
                    {
                        eps[k] += w * proj * ui[k];
                    }
                }

                var z = noise.AsSpan(((b * blocks) + (config.T - t)) * d, d);
                for (int k = 0; k < d; k++)
                {
                    u[k] = ((u[k] - (beta / s * eps[k])) / Math.Sqrt(1.0 - beta)) + (t > 0 || lastNoise ? Math.Sqrt(beta) * z[k] : 0.0);
                }
            }

            for (int k = 0; k < d; k++)
            {
                Assert.True(Math.Abs(u[k] - fast[(b * d) + k]) <= 1e-12 * (1 + Math.Abs(u[k])), $"draw {b}, coordinate {k}: literal {u[k]:R}, map {fast[(b * d) + k]:R}");
            }
        }
    }

    /// <summary>sum_j g_j^2 is the P of the S-4 recursion P &lt;- A^2 P + beta.</summary>
    [Fact]
    public void SquaredGainsSumToTheGeneratedVariance()
    {
        var schedule = new NoiseSchedule(1000, 1e-4, 1e-2);
        var denoiser = new TrainedDenoiser(1e-4, 0.01, 500, Dynamics.GradientDescent);
        double[] sig = [0.0, 1e-6, 0.3, 2.5];
        var gains = SamplerGains.Ddpm(sig, schedule, denoiser, lastNoise: true);
        for (int i = 0; i < sig.Length; i++)
        {
            double p = 1.0;
            for (int t = schedule.Steps - 1; t >= 0; t--)
            {
                double a = schedule.SignalScale[t], s = schedule.NoiseScale[t], beta = schedule.Beta[t];
                double h = denoiser.Curvature(sig[i], a, s);
                double w = s / h * (1.0 - denoiser.Decay(denoiser.DecayBase(h)));
                double gain = (1.0 - (beta / s * w)) / Math.Sqrt(1.0 - beta);
                p = (gain * gain * p) + beta;
            }

            Assert.True(Math.Abs(gains.Variance[i] - p) <= 1e-13 * p, $"sig = {sig[i]}: {gains.Variance[i]:R} vs {p:R}");
        }
    }

    [Fact]
    public void AModelPairedWithItselfIsIdentical()
    {
        var config = new ModelConfig { D = 30, N = 12, C = 1e-4 };
        var spectrum = Spectrum.PowerLaw(30, 0);
        var model = SampledLinearModel.Train(config, spectrum, config.CreateSchedule(), Sampler.Ddpm, 5, Algebra);
        var moments = ExactPairMoments.Compute(model, model, Algebra);
        Assert.True(Math.Abs(moments.Nmsd) < 1e-12, $"NMSD {moments.Nmsd}");
        Assert.True(Math.Abs(moments.CosConc - 1) < 1e-12, $"cos_conc {moments.CosConc}");
    }

    /// <summary>S-12.3 check: the Monte-Carlo averages of x.x'/d and ||x||^2/d reproduce the exact moments.</summary>
    [Theory]
    [InlineData(Sampler.Ddpm)]
    [InlineData(Sampler.Ode)]
    public void MonteCarloAveragesReproduceTheExactMoments(Sampler sampler)
    {
        var config = new ModelConfig { D = 40, N = 20, C = 1e-4, T = 200 };
        var spectrum = Spectrum.PowerLaw(40, 1);
        var schedule = config.CreateSchedule();
        var first = SampledLinearModel.Train(config, spectrum, schedule, sampler, 0, Algebra);
        var second = SampledLinearModel.Train(config, spectrum, schedule, sampler, 1, Algebra);
        var exact = ExactPairMoments.Compute(first, second, Algebra);
        int d = config.D, draws = 2000, blocks = first.Gains.Blocks;
        var noise = new double[draws * blocks * d];
        NoiseBlocks.Fill(NoiseBlocks.NoiseSeed, 0, draws, blocks, d, noise);
        var x = new double[draws * d];
        var y = new double[draws * d];
        first.Sample(noise, draws, x, Algebra);
        second.Sample(noise, draws, y, Algebra);
        var xx = new double[draws];
        var xy = new double[draws];
        for (int b = 0; b < draws; b++)
        {
            for (int k = 0; k < d; k++)
            {
                xx[b] += x[(b * d) + k] * x[(b * d) + k] / d;
                xy[b] += x[(b * d) + k] * y[(b * d) + k] / d;
            }
        }

        AssertWithinFourSe(exact.Ex2First, xx, "Ex2_1_per_d");
        AssertWithinFourSe(exact.Exx, xy, "Exx_per_d");
    }

    [Fact]
    public void OdeWithFiniteTauIsRejected()
    {
        var config = new ReproducibilityConfig { Model = new ModelConfig { D = 10, N = 5, Tau = 100 }, Sampler = Sampler.Ode };
        var e = Assert.Throws<ArgumentException>(() => ReproducibilityExperiment.Run(config, Spectrum.PowerLaw(10, 0), Algebra));
        Assert.Equal(nameof(ReproducibilityConfig.Sampler), e.ParamName);
        Assert.Contains("converged", e.Message, StringComparison.Ordinal);
        var gains = Assert.Throws<ArgumentException>(() => SamplerGains.Ode([1.0], new TrainedDenoiser(0, 0.01, 100, Dynamics.GradientDescent)));
        Assert.Equal("denoiser", gains.ParamName);
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(1, -1)]
    public void PairsAndDrawsAreChecked(int pairs, int draws)
    {
        var config = new ReproducibilityConfig { Model = new ModelConfig { D = 10, N = 5 }, Pairs = pairs, Draws = draws };
        var e = Assert.Throws<ArgumentException>(() => ReproducibilityExperiment.Run(config, Spectrum.PowerLaw(10, 0), Algebra));
        Assert.Equal(pairs < 1 ? nameof(ReproducibilityConfig.Pairs) : nameof(ReproducibilityConfig.Draws), e.ParamName);
    }

    /// <summary>S-12.6: N = 1 (every mode a null mode) is allowed, with theory (a unit atom at 0).</summary>
    [Theory]
    [InlineData(Sampler.Ddpm)]
    [InlineData(Sampler.Ode)]
    public void SingleTrainingPointIsAllowed(Sampler sampler)
    {
        var config = new ReproducibilityConfig { Model = new ModelConfig { D = 12, N = 1, T = 100, C = 1e-2 }, Sampler = sampler, Draws = 20 };
        var result = ReproducibilityExperiment.Run(config, Spectrum.PowerLaw(12, 1), Algebra);
        var values = result.ToValues();
        foreach (var (key, v) in values.Scalars)
        {
            Assert.True(double.IsFinite(v), $"{key} = {v}");
        }

        Assert.Equal(1.0, result.Theory!.MassMin);
        Assert.Equal(1.0, result.Theory.MassMax);
        Assert.InRange(result.Pairs[0].Exact.Nmsd, 0.0, 4.0);
    }

    /// <summary>S-12.6: c = 0 with N &lt;= d is allowed for DDPM (the null modes keep a finite P).</summary>
    [Fact]
    public void ZeroRidgeBelowTheDimensionIsFiniteForDdpm()
    {
        var config = new ReproducibilityConfig { Model = new ModelConfig { D = 20, N = 10, C = 0 }, Draws = 10 };
        var values = ReproducibilityExperiment.Run(config, Spectrum.PowerLaw(20, 1), Algebra).ToValues();
        foreach (var (key, v) in values.Scalars)
        {
            Assert.True(double.IsFinite(v), $"{key} = {v}");
        }

        Assert.InRange(values.Scalars["pair0.exact.nmsd"], 0.0, 4.0);
    }

    [Fact]
    public void CosineStatisticsUseAStrictThresholdAndAFlooredError()
    {
        var stats = PairCosineStatistics.From([0.6, 0.61, 0.2, 0.9]);
        Assert.Equal(0.5, stats.Rp);
        Assert.Equal(Math.Sqrt(0.25 / 4), stats.RpSe, 15);
        Assert.Equal(0.5775, stats.CosMean, 14);
        var none = PairCosineStatistics.From([0.1, 0.2]);
        Assert.Equal(0.0, none.Rp);
        Assert.Equal(Math.Sqrt(0.5 / 2), none.RpSe, 15);
        Assert.True(double.IsNaN(PairCosineStatistics.From([0.7]).CosMeanSe));
    }

    private static void AssertWithinFourSe(double exact, double[] samples, string what)
    {
        double mean = samples.Average();
        double se = Math.Sqrt(samples.Sum(v => (v - mean) * (v - mean)) / (samples.Length - 1) / samples.Length);
        Assert.True(Math.Abs(mean - exact) <= 4 * se, $"{what}: exact {exact:R}, Monte Carlo {mean:R} ± {se:R}");
    }
}
