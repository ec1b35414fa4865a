using SweepCluster.Model.LinearAlgebra;

namespace SweepCluster.Model.Generalisation.Reproducibility;

/// <summary>
/// Exact second moments of a pair of samples x (model 1) and x' (model 2) driven by the same noise (spec S-12.2),
/// per dimension.
/// </summary>
/// <param name="Ex2First">E||x||^2 / d.</param>
/// <param name="Ex2Second">E||x'||^2 / d.</param>
/// <param name="Exx">E[x . x'] / d.</param>
/// <param name="Nmsd">E||x - x'||^2 over the symmetric denominator (E||x||^2 + E||x'||^2)/2; in [0, 4], 2 for uncorrelated samples.</param>
/// <param name="CosConc">E[x . x'] / sqrt(E||x||^2 E||x'||^2), where the cosine concentrates at large effective dimension.</param>
public sealed record ExactPairMoments(double Ex2First, double Ex2Second, double Exx, double Nmsd, double CosConc)
{
    /// <summary>
    /// E[x . x'] = sum_{i,k} (u_i . u'_k)^2 sum_j g_j(sig_i) g_j(sig'_k) + m . m', with O = (U^T U')o(U^T U') and
    /// K = G^T G': O(d^3 + J d^2).
    /// </summary>
    public static ExactPairMoments Compute(SampledLinearModel first, SampledLinearModel second, ILinearAlgebra algebra)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        ArgumentNullException.ThrowIfNull(algebra);
        int d = first.Dimension, blocks = first.Gains.Blocks;
        if (second.Dimension != d || second.Gains.Blocks != blocks)
        {
            throw new ArgumentException("the two models must have the same dimension and sampler", nameof(second));
        }

        var overlap = new double[d * d];
        algebra.Multiply(false, true, d, d, d, 1.0, first.Eigenvectors, second.Eigenvectors, overlap);
        var kernel = new double[d * d];
        algebra.Multiply(false, true, d, d, blocks, 1.0, first.Gains.Gains, second.Gains.Gains, kernel);
        double cross = 0;
        for (int k = 0; k < overlap.Length; k++)
        {
            cross += overlap[k] * overlap[k] * kernel[k];
        }

        for (int k = 0; k < d; k++)
        {
            cross += first.Mean[k] * second.Mean[k];
        }

        return FromMoments(first.SecondMoment / d, second.SecondMoment / d, cross / d);
    }

    /// <summary>NMSD and the concentration cosine from the three per-dimension moments.</summary>
    public static ExactPairMoments FromMoments(double ex2First, double ex2Second, double exx)
    {
        double msd = ex2First + ex2Second - (2.0 * exx);
        double nmsd = msd / (0.5 * (ex2First + ex2Second));
        double cos = exx / Math.Sqrt(ex2First * ex2Second);
        return new ExactPairMoments(ex2First, ex2Second, exx, nmsd, cos);
    }
}
