using SweepCluster.Model.Configuration;
using SweepCluster.Model.LinearAlgebra;
using SweepCluster.Model.Metrics;
using SweepCluster.Model.Simulation;
using SweepCluster.Model.Spectra;
using SweepCluster.Model.Training;

namespace SweepCluster.Model.Tests.Laws;

/// <summary>The qualitative claims of the paper (spec S-7), checked on simulated training sets.</summary>
public class PaperLawTests
{
    private static readonly ILinearAlgebra Algebra = LinearAlgebraBackends.Detect();

    private static double MeanOverSeeds(ModelConfig config, string metric)
    {
        var spectrum = Spectrum.PowerLaw(config.D, config.Spectrum.K);
        var runs = new CellSimulator(Algebra).RunAll(config, spectrum);
        return runs.Average(r => r.Metrics.Scalar(metric));
    }

    [Fact]
    public void KlPerDimensionApproachesDOver4NWhenNIsMuchLargerThanD()
    {
        var config = new ModelConfig { D = 100, N = 10_000, C = 0.0, Seeds = 5 };
        double kl = MeanOverSeeds(config, MetricNames.DklIdealFwd);
        double law = 100.0 / (4 * 10_000);
        Assert.True(Math.Abs(kl - law) / law < 0.03, $"KL/d = {kl}, d/(4N) = {law}");
    }

    [Fact]
    public void KlDoesNotDependOnTheSpectrumAtZeroRidgeAboveTheThreshold()
    {
        var values = new[] { 0.0, 1.0, 2.0 }
            .Select(k => MeanOverSeeds(new ModelConfig { D = 100, N = 1000, C = 0.0, Seeds = 10, Spectrum = SpectrumSpec.PowerLaw(k) }, MetricNames.DklIdealFwd))
            .ToArray();
        double spread = (values.Max() - values.Min()) / values.Average();
        Assert.True(spread < 0.05, $"KL/d for k = 0, 1, 2: {string.Join(", ", values)}");
    }

    [Fact]
    public void TheTrainTestGapBelowTheThresholdShrinksAsKGrows()
    {
        double Gap(double k)
        {
            var config = new ModelConfig { D = 100, N = 50, C = 1e-4, Seeds = 3, Spectrum = SpectrumSpec.PowerLaw(k) };
            return MeanOverSeeds(config, "eps_test_tavg") - MeanOverSeeds(config, "eps_train_tavg");
        }

        double g0 = Gap(0), g1 = Gap(1), g2 = Gap(2);
        Assert.True(g0 > g1 && g1 > g2 && g2 > 0, $"gaps {g0}, {g1}, {g2}");
    }

    [Fact]
    public void TheTrainTestGapBelowTheThresholdShrinksAsCGrows()
    {
        double Gap(double c)
        {
            var config = new ModelConfig { D = 100, N = 50, C = c, Seeds = 3 };
            return MeanOverSeeds(config, "eps_test_tavg") - MeanOverSeeds(config, "eps_train_tavg");
        }

        double[] gaps = [Gap(1e-4), Gap(1e-3), Gap(1e-2), Gap(1e-1)];
        for (int i = 1; i < gaps.Length; i++)
        {
            Assert.True(gaps[i] < gaps[i - 1], $"gaps {string.Join(", ", gaps)}");
        }
    }

    [Fact]
    public void AnOptimalStoppingTimeExistsAtNEqualsSixTenthsOfD()
    {
        var baseConfig = new ModelConfig { D = 1000, N = 600, C = 0.0, Spectrum = SpectrumSpec.PowerLaw(1.0), Seeds = 1 };
        var spectrum = Spectrum.PowerLaw(1000, 1.0);
        var basis = EmpiricalEigenbasis.Compute(TrainingSet.Generate(spectrum, 600, 0), spectrum, baseConfig.BiasMode, Algebra);
        var schedule = baseConfig.CreateSchedule();
        var taus = Enumerable.Range(0, 13).Select(i => Math.Round(Math.Pow(10, 1 + (0.5 * i)))).ToArray();
        var loss = taus.Select(tau => TrainingSetMetrics.Compute(baseConfig with { Tau = tau }, spectrum, schedule, basis).Scalar("eps_test_tavg")).ToArray();
        int best = Array.IndexOf(loss, loss.Min());
        Assert.True(best > 0 && best < taus.Length - 1, $"test loss over tau {string.Join(", ", taus)}: {string.Join(", ", loss)}");
        double converged = TrainingSetMetrics.Compute(baseConfig, spectrum, schedule, basis).Scalar("eps_test_tavg");
        Assert.True(loss[best] < 0.9 * converged, $"optimum {loss[best]} vs converged {converged}");
    }
}
