using SweepCluster.Model.Configuration;
using SweepCluster.Model.Generalisation.Reproducibility;
using SweepCluster.Model.LinearAlgebra;
using SweepCluster.Model.Spectra;
using Xunit.Abstractions;

namespace SweepCluster.Model.Tests.Generalisation;

/// <summary>
/// The S-12.5 validation tables, which the reference implementation computed with the same portable streams (pair p
/// on seeds 2p, 2p + 1, c = 1e-4): simulation means and theory agree with the printed digits. These rows cover the
/// ode sampler, N &gt; d and the multi-pair means that the public reference file does not.
/// </summary>
public class ReproducibilityValidationTests(ITestOutputHelper output)
{
    private static readonly ILinearAlgebra Algebra = LinearAlgebraBackends.Detect();

    [Theory]
    [InlineData(200, 100, 1.0, Sampler.Ode, 10, 0.5891, 0.0039, 0.5785)]
    [InlineData(200, 400, 0.0, Sampler.Ddpm, 10, 0.3388, 0.0013, 0.3377)]
    [InlineData(500, 250, 1.0, Sampler.Ode, 4, 0.4985, 0.0024, 0.4983)]
    public void ExactNmsdOverPairsAndTheoryMatchTheTable(int d, int n, double k, Sampler sampler, int pairs, double nmsd, double se, double theory)
    {
        var result = Run(d, n, k, sampler, pairs, draws: 0);
        var values = result.ToValues().Scalars;
        output.WriteLine($"nmsd {values["mean.exact.nmsd"]:R} ± {values["se.exact.nmsd"]:R}, theory {values["theory.nmsd"]:R}");
        AssertPrinted(nmsd, values["mean.exact.nmsd"], "mean.exact.nmsd");
        Assert.InRange(values["se.exact.nmsd"], 0.95 * se, 1.05 * se); // printed with two digits
        AssertPrinted(theory, values["theory.nmsd"], "theory.nmsd");
        Assert.InRange(values["theory.mass_min"], 0.999, 1.001);
        Assert.InRange(values["theory.mass_max"], 0.999, 1.001);
    }

    /// <summary>S-12.5: with the ode sampler E||x||^2/d = rho &lt;lambda&gt; + c + &lt;lambda&gt;/N = 1 + c; the theory gives 1.000089.</summary>
    [Fact]
    public void OdeTheorySecondMomentIsOnePlusC()
    {
        var result = Run(200, 100, 1.0, Sampler.Ode, 1, draws: 0);
        Assert.InRange(result.Theory!.Ex2, 1.0001 - 2e-4, 1.0001 + 2e-4);
        AssertPrinted(1.000089, result.Theory.Ex2, "theory.Ex2_per_d");
    }

    /// <summary>The RP table of S-12.5 (d = 100, DDPM, 3 pairs x 300 draws): NMSD, theory, cos_conc, MC mean cosine and RP.</summary>
    [Fact]
    public void RpRowMatchesTheTable()
    {
        var values = Run(100, 25, 1.0, Sampler.Ddpm, 3, draws: 300).ToValues().Scalars;
        AssertPrinted(1.06, values["mean.exact.nmsd"], "mean.exact.nmsd");
        AssertPrinted(1.04, values["theory.nmsd"], "theory.nmsd");
        AssertPrinted(0.478, values["theory.cos_conc"], "theory.cos_conc");
        AssertPrinted(0.447, values["mean.mc.cos_mean"], "mean.mc.cos_mean");
        AssertPrinted(0.171, values["mean.mc.rp"], "mean.mc.rp");
    }

    private static ReproducibilityResult Run(int d, int n, double k, Sampler sampler, int pairs, int draws) =>
        ReproducibilityExperiment.Run(
            new ReproducibilityConfig { Model = new ModelConfig { D = d, N = n, Spectrum = SpectrumSpec.PowerLaw(k), C = 1e-4 }, Sampler = sampler, Pairs = pairs, Draws = draws },
            Spectrum.PowerLaw(d, k),
            Algebra);

    /// <summary>Within half a unit of the last printed digit (plus rounding slack).</summary>
    private static void AssertPrinted(double printed, double actual, string what)
    {
        string text = printed.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        int decimals = text.Contains('.', StringComparison.Ordinal) ? text.Length - text.IndexOf('.', StringComparison.Ordinal) - 1 : 0;
        double halfUnit = 0.5 * Math.Pow(10, -decimals) * (1 + 1e-9);
        Assert.True(Math.Abs(actual - printed) <= halfUnit, $"{what}: printed {printed}, got {actual:R}");
    }
}
