using System.Diagnostics;
using SweepCluster.Model.Configuration;
using SweepCluster.Model.Generalisation.MoLrg;
using SweepCluster.Model.LinearAlgebra;
using Xunit.Abstractions;

namespace SweepCluster.Model.Tests.Generalisation;

/// <summary>S-15.5: K = 1 through the linear model, against the validation table the spec prints (d = 100, r = 10, c = 1e-4).</summary>
public sealed class MolrgLinearTests(ITestOutputHelper output)
{
    private static readonly ILinearAlgebra Algebra = LinearAlgebraBackends.Detect();

    /// <summary>delta, N, then eps_test_tavg, dkl_ideal_fwd, dkl_ideal_rev: simulation means (10 seeds) and theory, as printed (theory to 2e-3 relative).</summary>
    [Theory]
    [InlineData(1e-3, 50, "0.06314 0.5573 2.513", "0.06307 0.5565 2.530")]
    [InlineData(1e-2, 200, "0.09775 0.1544 0.339", "0.09759 0.1525 0.332")]
    public void ReproducesTheSpecTable(double delta, int n, string simulation, string theory)
    {
        var clock = Stopwatch.StartNew();
        var config = new MolrgLinearConfig(new ModelConfig { D = 100, N = n, C = 1e-4, Seeds = 10, Seed0 = 0 }, 10, delta);
        var values = MolrgLinearModel.Run(config, Algebra).ToValues();
        output.WriteLine($"{clock.Elapsed.TotalSeconds:F2} s");
        string[] names = ["eps_test_tavg", "dkl_ideal_fwd", "dkl_ideal_rev"];
        var sim = simulation.Split(' ');
        var th = theory.Split(' ');
        for (int k = 0; k < names.Length; k++)
        {
            output.WriteLine($"{names[k]}: mean {values["mean." + names[k]][0]:R} (printed {sim[k]}), theory {values["theory." + names[k]][0]:R} (printed {th[k]})");
            AssertPrinted(sim[k], values["mean." + names[k]][0], "mean." + names[k]);
            double expectedTheory = double.Parse(th[k], System.Globalization.CultureInfo.InvariantCulture);
            double actualTheory = values["theory." + names[k]][0];
            Assert.True(Math.Abs(actualTheory - expectedTheory) <= TheoryTolerance * expectedTheory, $"theory.{names[k]}: printed {th[k]}, got {actualTheory:R}");
        }
    }

    [Fact]
    public void SpectrumHasTheRankAndFloor()
    {
        var s = MolrgLinearModel.Spectrum(100, 10, 1e-3);
        Assert.Equal(1.001, s[0]);
        Assert.Equal(1.001, s[9]);
        Assert.Equal(1e-3, s[10]);
        Assert.Equal(1e-3, s[99]);
        Assert.True(Math.Abs((s.Trace / 100) - (0.1 + 1e-3)) < 1e-15);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1e-3)]
    public void RefusesAMissingFloor(double delta)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => MolrgLinearModel.Spectrum(100, 10, delta));
        Assert.Equal("delta", e.ParamName);
        Assert.Contains("delta > 0", e.Message, StringComparison.Ordinal);
    }

    /// <summary>The relative tolerance of theory values in generalisation-public.json (grid differences).</summary>
    private const double TheoryTolerance = 2e-3;

    /// <summary>Within half a unit of the last printed digit: the simulation uses the same portable streams as the oracle.</summary>
    private static void AssertPrinted(string printed, double actual, string what)
    {
        double expected = double.Parse(printed, System.Globalization.CultureInfo.InvariantCulture);
        int decimals = printed.Length - printed.IndexOf('.', StringComparison.Ordinal) - 1;
        double allowed = 0.5 * Math.Pow(10, -decimals) * 1.000001;
        Assert.True(Math.Abs(actual - expected) <= allowed, $"{what}: printed {printed}, got {actual:R}");
    }
}
