using SweepCluster.Model.Generalisation.Reproducibility;

namespace SweepCluster.Model.Generalisation.Memorisation;

/// <summary>
/// The generalisation scores of one generator over n draws (spec S-13.1/S-13.2). The ratio values are null when
/// the training set has a single point (N = 1).
/// </summary>
/// <param name="Draws">n.</param>
/// <param name="GlCos">1 - (1/n) #{r : c_max(x_r) &gt; 0.6}.</param>
/// <param name="GlCosSe">sqrt(max(p (1 - p), 1/n) / n) with p = 1 - GL_cos.</param>
/// <param name="GlRatio">1 - (1/n) #{r : ratio(x_r) &lt; 1/3}.</param>
/// <param name="GlRatioSe">As <paramref name="GlCosSe"/> for the ratio test.</param>
/// <param name="CmaxMean">The mean of c_max.</param>
/// <param name="RatioMedian">The median of the ratios (mean of the two middle ones for even n).</param>
public sealed record GlScore(int Draws, double GlCos, double GlCosSe, double? GlRatio, double? GlRatioSe, double CmaxMean, double? RatioMedian)
{
    /// <param name="cmax">c_max of every draw.</param>
    /// <param name="ratios">The ratio of every draw, or empty when N = 1.</param>
    public static GlScore From(ReadOnlySpan<double> cmax, ReadOnlySpan<double> ratios)
    {
        int n = cmax.Length;
        if (n < 1)
        {
            throw new ArgumentException("need at least one draw", nameof(cmax));
        }

        if (ratios.Length != 0 && ratios.Length != n)
        {
            throw new ArgumentException($"need one ratio per draw ({n}) or none, got {ratios.Length}", nameof(ratios));
        }

        int memorisedCos = 0;
        double sum = 0;
        foreach (double c in cmax)
        {
            sum += c;
            memorisedCos += c > ThresholdRate.CosineThreshold ? 1 : 0;
        }

        double pCos = (double)memorisedCos / n;
        if (ratios.Length == 0)
        {
            return new GlScore(n, 1.0 - pCos, ThresholdRate.StandardError(pCos, n), null, null, sum / n, null);
        }

        int memorisedRatio = 0;
        foreach (double r in ratios)
        {
            memorisedRatio += r < MemorisationScores.RatioThreshold ? 1 : 0;
        }

        double pRatio = (double)memorisedRatio / n;
        return new GlScore(n, 1.0 - pCos, ThresholdRate.StandardError(pCos, n), 1.0 - pRatio, ThresholdRate.StandardError(pRatio, n), sum / n, Median(ratios));
    }

    private static double Median(ReadOnlySpan<double> values)
    {
        var sorted = values.ToArray();
        Array.Sort(sorted);
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : 0.5 * (sorted[mid - 1] + sorted[mid]);
    }
}
