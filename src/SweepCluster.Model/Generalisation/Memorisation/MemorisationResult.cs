using SweepCluster.Model.Generalisation.Reproducibility;

namespace SweepCluster.Model.Generalisation.Memorisation;

/// <summary>The first draw of a generator, as test vectors: the sample and its two scores (ratio null for N = 1).</summary>
public sealed record FirstDraw(double[] Sample, double Cmax, double? Ratio);

/// <summary>One generator of spec S-13.3: its scores, the cross-set pair (none for the population) and draw 0.</summary>
public sealed record GeneratorResult(GlScore Scores, PairCosineStatistics? Pair, FirstDraw Draw0);

/// <summary>Every output of spec S-13 for the three generators.</summary>
/// <param name="Linear">(a) the linear model sampled with DDPM.</param>
/// <param name="Empirical">(b) the optimal empirical denoiser through the same DDPM sampler.</param>
/// <param name="Population">(c) fresh population samples, what a perfect generator scores.</param>
public sealed record MemorisationResult(MemorisationConfig Config, GeneratorResult Linear, GeneratorResult Empirical, GeneratorResult Population)
{
    /// <summary>
    /// The flat layout of generalisation-public.json: {linear, empirical, population}.{gl_cos, gl_cos_se, gl_ratio,
    /// gl_ratio_se, cmax_mean, ratio_median}, {linear, empirical}.pair.{cos_mean, cos_mean_se, rp, rp_se} and
    /// draw0.{linear, empirical, population}.{x_first4, cmax, ratio}. Null ratio values (N = 1) are NaN.
    /// </summary>
    public GeneralisationValues ToValues()
    {
        var values = new GeneralisationValues();
        Add(values, "linear", Linear);
        Add(values, "empirical", Empirical);
        Add(values, "population", Population);
        return values;
    }

    private static void Add(GeneralisationValues values, string name, GeneratorResult generator)
    {
        var s = generator.Scores;
        values.Add(name + ".gl_cos", s.GlCos);
        values.Add(name + ".gl_cos_se", s.GlCosSe);
        values.Add(name + ".gl_ratio", s.GlRatio ?? double.NaN);
        values.Add(name + ".gl_ratio_se", s.GlRatioSe ?? double.NaN);
        values.Add(name + ".cmax_mean", s.CmaxMean);
        values.Add(name + ".ratio_median", s.RatioMedian ?? double.NaN);
        if (generator.Pair is { } pair)
        {
            values.Add(name + ".pair.cos_mean", pair.CosMean);
            values.Add(name + ".pair.cos_mean_se", pair.CosMeanSe);
            values.Add(name + ".pair.rp", pair.Rp);
            values.Add(name + ".pair.rp_se", pair.RpSe);
        }

        values.Add("draw0." + name + ".x_first4", ReproducibilityResult.First4(generator.Draw0.Sample));
        values.Add("draw0." + name + ".cmax", generator.Draw0.Cmax);
        values.Add("draw0." + name + ".ratio", generator.Draw0.Ratio ?? double.NaN);
    }
}
