using SweepCluster.Model.Configuration;
using SweepCluster.Model.Metrics;
using SweepCluster.Model.Spectra;
using SweepCluster.Model.Tests.Support;
using SweepCluster.Model.Theory;

namespace SweepCluster.Model.Tests.Theory;

public class ClosedFormTheoryTests
{
    public static TheoryData<string> ConvergedConfigs()
    {
        var data = new TheoryData<string>();
        foreach (var c in ReferenceData.Configs.Where(c => c.TryGetProperty("theory_closed_form", out _)))
        {
            data.Add(c.GetProperty("id").GetString()!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ConvergedConfigs))]
    public void ClosedFormsMatchTheReferenceToOneInTenToTheEight(string id)
    {
        var entry = ReferenceData.Config(id);
        var config = ReferenceData.ToModelConfig(entry);
        var spectrum = Spectrum.PowerLaw(config.D, config.Spectrum.K);
        var metrics = ClosedFormTheory.Compute(config, spectrum, config.CreateSchedule());
        int compared = Tolerance.AssertMetrics(entry.GetProperty("theory_closed_form"), metrics, 1e-8, id);
        Assert.True(compared >= 30, $"only {compared} values compared");
    }

    [Fact]
    public void IsotropicKappaIsTheMarchenkoPasturRoot()
    {
        var spectrum = Spectrum.Identity(200);
        foreach (double n in new[] { 100.0, 199.0, 400.0 })
        {
            var solver = new KappaSolver(spectrum, n);
            double q = 200 / n;
            foreach (double lambda in new[] { 1e-9, 1e-4, 0.3, 7.0 })
            {
                double b = 1 - q - lambda;
                double root = Math.Sqrt((b * b) + (4 * lambda));

                // The two algebraically equal forms avoid cancellation on either sign of b.
                double expected = b > 0 ? 2 * lambda / (b + root) : (root - b) / 2;
                Tolerance.AssertClose(expected, solver.Solve(lambda), 1e-10, $"kappa(n={n}, lambda={lambda})");
            }
        }
    }

    [Fact]
    public void KlFollowsTheUniversalLawAtZeroRidge()
    {
        // Spec S-5.5: at c = 0 and N > d, fwd/d = 1/2 [1 + ((1-q)/q) ln(1-q) - ln rho] whatever the spectrum.
        foreach (double k in new[] { 0.0, 1.0, 2.0 })
        {
            var config = new ModelConfig { D = 100, N = 400, C = 0.0, Spectrum = SpectrumSpec.PowerLaw(k) };
            var metrics = ClosedFormTheory.Compute(config, Spectrum.PowerLaw(100, k), config.CreateSchedule());
            double n = 399, q = 100 / n, rho = n / 400;
            double expected = 0.5 * (1 + ((1 - q) / q * Math.Log(1 - q)) - Math.Log(rho));
            Tolerance.AssertClose(expected, metrics.Scalar(MetricNames.DklIdealFwd), 1e-10, $"fwd k={k}");
        }
    }

    [Fact]
    public void KlIsInfiniteWithoutRidgeBelowTheInterpolationThreshold()
    {
        var config = new ModelConfig { D = 100, N = 100, C = 0.0 };
        var metrics = ClosedFormTheory.Compute(config, Spectrum.Identity(100), config.CreateSchedule());
        Assert.Equal(double.PositiveInfinity, metrics.Scalar(MetricNames.DklIdealFwd));
        Assert.Equal(double.PositiveInfinity, metrics.Scalar(MetricNames.DklIdealRev));
    }
}
