using SweepCluster.Model.LinearAlgebra;

namespace SweepCluster.Model.Generalisation.Reproducibility;

/// <summary>
/// Monte Carlo of a pair of models fed the same noise (spec S-12.3): mean cosine and RP score, plus the
/// samples of draw 0 as test vectors.
/// </summary>
/// <param name="Statistics">Cosine statistics over the draws.</param>
/// <param name="FirstDraw0">x of draw 0 (model 1).</param>
/// <param name="SecondDraw0">x' of draw 0 (model 2).</param>
/// <param name="Draw0Cosine">cos(x, x') of draw 0.</param>
public sealed record PairMonteCarlo(PairCosineStatistics Statistics, double[] FirstDraw0, double[] SecondDraw0, double Draw0Cosine)
{
    public static PairMonteCarlo Run(SampledLinearModel first, SampledLinearModel second, int draws, ulong noiseSeed, ILinearAlgebra algebra)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (draws < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(draws), draws, "the Monte Carlo needs at least one draw");
        }

        int d = first.Dimension;
        var cosines = new double[draws];
        var x0 = new double[d];
        var y0 = new double[d];
        DrawChunks.ForEach(noiseSeed, draws, first.Gains.Blocks, d, (start, count, noise) =>
        {
            var x = new double[count * d];
            var y = new double[count * d];
            first.Sample(noise, count, x, algebra);
            second.Sample(noise, count, y, algebra);
            for (int b = 0; b < count; b++)
            {
                cosines[start + b] = PairCosineStatistics.Cosine(x.AsSpan(b * d, d), y.AsSpan(b * d, d));
            }

            if (start == 0)
            {
                x.AsSpan(0, d).CopyTo(x0);
                y.AsSpan(0, d).CopyTo(y0);
            }
        });

        return new PairMonteCarlo(PairCosineStatistics.From(cosines), x0, y0, cosines[0]);
    }
}
