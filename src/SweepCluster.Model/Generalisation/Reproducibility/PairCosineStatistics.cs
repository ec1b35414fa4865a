namespace SweepCluster.Model.Generalisation.Reproducibility;

/// <summary>
/// Monte-Carlo statistics of the cosines cos(x_r, x'_r) of paired samples (spec S-12.3).
/// </summary>
/// <param name="Draws">n, the number of draws.</param>
/// <param name="CosMean">mean_r cos_r.</param>
/// <param name="CosMeanSe">std(cos, ddof = 1) / sqrt(n); NaN for a single draw.</param>
/// <param name="Rp">The RP score, #{r : cos_r &gt; 0.6} / n.</param>
/// <param name="RpSe">sqrt(max(RP (1 - RP), 1/n) / n).</param>
public sealed record PairCosineStatistics(int Draws, double CosMean, double CosMeanSe, double Rp, double RpSe)
{
    public static PairCosineStatistics From(ReadOnlySpan<double> cosines)
    {
        int n = cosines.Length;
        if (n < 1)
        {
            throw new ArgumentException("need at least one draw", nameof(cosines));
        }

        double sum = 0;
        int above = 0;
        foreach (double c in cosines)
        {
            sum += c;
            above += c > ThresholdRate.CosineThreshold ? 1 : 0;
        }

        double mean = sum / n;
        double squares = 0;
        foreach (double c in cosines)
        {
            squares += (c - mean) * (c - mean);
        }

        double se = n > 1 ? Math.Sqrt(squares / (n - 1)) / Math.Sqrt(n) : double.NaN;
        double rp = (double)above / n;
        return new PairCosineStatistics(n, mean, se, rp, ThresholdRate.StandardError(rp, n));
    }

    /// <summary>The raw-vector cosine x . y / (||x|| ||y||), without centring (spec S-12.3).</summary>
    public static double Cosine(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        double xy = 0, xx = 0, yy = 0;
        for (int k = 0; k < x.Length; k++)
        {
            xy += x[k] * y[k];
            xx += x[k] * x[k];
            yy += y[k] * y[k];
        }

        return xy / (Math.Sqrt(xx) * Math.Sqrt(yy));
    }
}
