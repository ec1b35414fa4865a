using SweepCluster.Model.Configuration;
using SweepCluster.Model.Generalisation.Memorisation;
using SweepCluster.Model.Generalisation.Reproducibility;
using SweepCluster.Model.LinearAlgebra;
using SweepCluster.Model.Spectra;
using SweepCluster.Model.Training;

namespace SweepCluster.Model.Tests.Generalisation;

/// <summary>The scores of S-13.1/S-13.2 and their edge cases (S-13.5, S-16.2).</summary>
public class MemorisationUnitTests
{
    private static readonly ILinearAlgebra Algebra = LinearAlgebraBackends.Detect();

    [Fact]
    public void RatioNeedsTwoTrainingPoints()
    {
        var one = new TrainingPoints(TrainingSet.Generate(Spectrum.PowerLaw(5, 0), 1, 0));
        var e = Assert.Throws<ArgumentException>(() => MemorisationScores.Ratio(new double[5], one));
        Assert.Equal("training", e.ParamName);
        Assert.Contains("N >= 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ScoresOfKnownPoints()
    {
        // y_1 = (1, 0), y_2 = (0, 2), y_3 = (3, 3).
        var set = Points([1, 0, 0, 2, 3, 3], 2);
        Assert.Equal(0.0, MemorisationScores.Ratio([1, 0], set));
        Assert.Equal(1.0, MemorisationScores.MaxCosine([1, 0], set), 15);

        // x = (1, 0.1): nearest y_1 at 0.1, next y_2 at sqrt(1 + 1.9^2).
        Assert.Equal(0.1 / Math.Sqrt(1 + (1.9 * 1.9)), MemorisationScores.Ratio([1, 0.1], set), 14);
        Assert.Equal(Math.Max(1 / Math.Sqrt(1.01), 1.1 / (Math.Sqrt(1.01) * Math.Sqrt(18))), MemorisationScores.MaxCosine([1, 0.1], set), 14);

        var cmax = new double[2];
        var ratio = new double[2];
        MemorisationScores.Score([1, 0, 1, 0.1], 2, set, Algebra, cmax, ratio);
        Assert.Equal(0.0, ratio[0]);
        Assert.Equal(MemorisationScores.Ratio([1, 0.1], set), ratio[1], 14);
        Assert.Equal(1.0, cmax[0], 14);
    }

    [Fact]
    public void GlScoresUseStrictThresholds()
    {
        double third = 1.0 / 3.0;
        var score = GlScore.From([0.6, 0.7, 0.1, 0.65], [third, 0.1, 0.9, 0.0]);
        Assert.Equal(0.5, score.GlCos);
        Assert.Equal(0.5, score.GlRatio);
        Assert.Equal(Math.Sqrt(0.25 / 4), score.GlCosSe, 15);
        Assert.Equal(0.5125, score.CmaxMean, 14);
        Assert.Equal(0.5 * (0.1 + third), score.RatioMedian!.Value, 15);

        var perfect = GlScore.From([0.1, 0.2, 0.3], [0.9, 0.8, 0.7]);
        Assert.Equal(1.0, perfect.GlCos);
        Assert.Equal(Math.Sqrt(1.0 / 3 / 3), perfect.GlCosSe, 15);
        Assert.Equal(0.8, perfect.RatioMedian);

        var noRatio = GlScore.From([0.9], []);
        Assert.Null(noRatio.GlRatio);
        Assert.Null(noRatio.GlRatioSe);
        Assert.Null(noRatio.RatioMedian);
    }

    [Fact]
    public void DrawsAreChecked()
    {
        var config = new MemorisationConfig { Model = new ModelConfig { D = 8, N = 4 }, Draws = 0 };
        var e = Assert.Throws<ArgumentException>(() => MemorisationExperiment.Run(config, Spectrum.PowerLaw(8, 0), Algebra));
        Assert.Equal(nameof(MemorisationConfig.Draws), e.ParamName);
    }

    /// <summary>S-13.3: draw r of every generator starts from the same u; the linear model's samples are those of S-12.</summary>
    [Fact]
    public void LinearGeneratorIsTheFirstModelOfTheCrossSetPair()
    {
        var model = new ModelConfig { D = 16, N = 6, T = 100, C = 1e-3, Seed0 = 4 };
        var spectrum = Spectrum.PowerLaw(16, 1);
        var gl = MemorisationExperiment.Run(new MemorisationConfig { Model = model, Draws = 30 }, spectrum, Algebra);
        var repro = ReproducibilityExperiment.Run(new ReproducibilityConfig { Model = model with { Theory = false }, Draws = 30 }, spectrum, Algebra);
        Assert.Equal(repro.Pairs[0].MonteCarlo!.FirstDraw0, gl.Linear.Draw0.Sample);
        Assert.Equal(repro.Pairs[0].MonteCarlo!.Statistics, gl.Linear.Pair);
    }

    private static TrainingPoints Points(double[] rows, int d)
    {
        var spectrum = Spectrum.PowerLaw(d, 0);
        var set = TrainingSet.Generate(spectrum, rows.Length / d, 0);
        rows.CopyTo(set.Samples, 0);
        return new TrainingPoints(set);
    }
}
