using SweepCluster.Model.Configuration;
using SweepCluster.Model.Generalisation.Memorisation;
using SweepCluster.Model.LinearAlgebra;
using SweepCluster.Model.Spectra;

namespace SweepCluster.Model.Tests.Generalisation;

/// <summary>
/// Rows of the S-13.4 table (d = 64, k = 0, c = 1e-4, 200 draws, same portable streams): the printed digits of every
/// generator, including the edge N = 1 (no ratio score; both models return the training point) and N = 2.
/// </summary>
public class MemorisationValidationTests
{
    private static readonly ILinearAlgebra Algebra = LinearAlgebraBackends.Detect();

    [Fact]
    public void SingleTrainingPointIsMemorisedByBothModels()
    {
        var r = Run(1);
        Assert.Null(r.Linear.Scores.GlRatio);
        Assert.Null(r.Empirical.Scores.GlRatio);
        Assert.Null(r.Population.Scores.RatioMedian);
        Assert.True(double.IsNaN(r.ToValues().Scalars["linear.gl_ratio"]));
        Assert.Equal(0.0, r.Linear.Scores.GlCos);
        Assert.Equal(0.0, r.Empirical.Scores.GlCos);
        Assert.Equal(1.0, r.Population.Scores.GlCos);
        Assert.True(r.Empirical.Scores.CmaxMean > 0.9999, $"empirical c_max {r.Empirical.Scores.CmaxMean}");
        Printed(1.000, r.Linear.Scores.CmaxMean);
        Printed(0.008, r.Population.Scores.CmaxMean);
        Assert.Equal(0.0, r.Linear.Pair!.Rp);
        Assert.Equal(0.0, r.Empirical.Pair!.Rp);
    }

    [Theory]
    [InlineData(2, 0.000, 0.475, 0.921, 0.00, 0.070)]
    [InlineData(64, 0.990, 1.000, 0.403, 0.77, 0.297)]
    public void RowMatchesTheTable(int n, double linCos, double linRatio, double linCmax, double linRp, double popCmax)
    {
        var r = Run(n);
        Printed(linCos, r.Linear.Scores.GlCos);
        Printed(linRatio, r.Linear.Scores.GlRatio!.Value);
        Printed(linCmax, r.Linear.Scores.CmaxMean);
        Printed(linRp, r.Linear.Pair!.Rp, decimals: 2);
        Assert.Equal(0.0, r.Empirical.Scores.GlCos);
        Assert.Equal(0.0, r.Empirical.Scores.GlRatio);
        Printed(1.000, r.Empirical.Scores.CmaxMean);
        Assert.Equal(0.0, r.Empirical.Pair!.Rp);
        Assert.Equal(1.0, r.Population.Scores.GlCos);
        Printed(popCmax, r.Population.Scores.CmaxMean);
    }

    private static MemorisationResult Run(int n) => MemorisationExperiment.Run(
        new MemorisationConfig { Model = new ModelConfig { D = 64, N = n, Spectrum = SpectrumSpec.PowerLaw(0), C = 1e-4, Seed0 = 0 }, Draws = 200 },
        Spectrum.PowerLaw(64, 0),
        Algebra);

    /// <summary>Within half a unit of the last printed decimal (the table prints 3, the rp column 2).</summary>
    private static void Printed(double printed, double actual, int decimals = 3)
    {
        double half = 0.5 * Math.Pow(10, -decimals);
        Assert.True(Math.Abs(actual - printed) <= half + 1e-12, $"printed {printed} ({decimals} decimals), got {actual:R}");
    }
}
