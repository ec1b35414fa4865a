namespace SweepCluster.Model.Generalisation.Reproducibility;

/// <summary>The fraction of draws above a threshold and its standard error (spec S-12.3, S-13.1).</summary>
public static class ThresholdRate
{
    /// <summary>The threshold of the RP and GL scores; the comparison is strict (cos &gt; 0.6).</summary>
    public const double CosineThreshold = 0.6;

    /// <summary>sqrt(max(p (1 - p), 1/n) / n): the 1/n floor keeps the error positive when p is 0 or 1.</summary>
    public static double StandardError(double p, int n)
    {
        if (n < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(n), n, "need at least one draw");
        }

        return Math.Sqrt(Math.Max(p * (1.0 - p), 1.0 / n) / n);
    }
}
