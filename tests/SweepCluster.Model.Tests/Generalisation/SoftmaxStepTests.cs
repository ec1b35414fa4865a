using SweepCluster.Model.Generalisation.Memorisation;

namespace SweepCluster.Model.Tests.Generalisation;

/// <summary>The empirical denoiser's weights in vectors: bit for bit the scalar formula, tails and large logits included.</summary>
public class SoftmaxStepTests
{
    [Theory]
    [InlineData(1, 1.0, 1.0)]
    [InlineData(7, 0.3, 0.9)]
    [InlineData(64, 0.99, 0.01)]
    [InlineData(4099, 0.999, 0.0001)]
    public void VectorisedWeightsHaveTheBitsOfTheScalarFormula(int n, double a, double s2)
    {
        var random = new System.Random(n);
        double[] dots = [.. Enumerable.Range(0, 3 * n).Select(_ => (random.NextDouble() - 0.5) * 40)];
        double[] norms = [.. Enumerable.Range(0, n).Select(_ => random.NextDouble() * 100)];
        double[] logits = [.. dots];

        var step = new SoftmaxStep(logits, norms, n, a, a * a / 2, s2);
        for (int b = 0; b < 3; b++)
        {
            step.Row(b);
        }

        for (int b = 0; b < 3; b++)
        {
            double[] expected = Scalar(dots.AsSpan(b * n, n), norms, a, a * a / 2, s2);
            for (int i = 0; i < n; i++)
            {
                Assert.Equal(BitConverter.DoubleToInt64Bits(expected[i]), BitConverter.DoubleToInt64Bits(logits[(b * n) + i]));
            }
        }
    }

    // The formula as the spec states it, one element at a time.
    private static double[] Scalar(ReadOnlySpan<double> dots, double[] norms, double a, double a2half, double s2)
    {
        var row = new double[dots.Length];
        double max = double.NegativeInfinity;
        for (int i = 0; i < row.Length; i++)
        {
            row[i] = ((a * dots[i]) - (a2half * norms[i])) / s2;
            max = Math.Max(max, row[i]);
        }

        double sum = 0;
        for (int i = 0; i < row.Length; i++)
        {
            double shifted = row[i] - max;
            row[i] = shifted < -746.0 ? 0.0 : Math.Exp(shifted);
            sum += row[i];
        }

        for (int i = 0; i < row.Length; i++)
        {
            row[i] /= sum;
        }

        return row;
    }
}
