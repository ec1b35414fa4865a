using SweepCluster.Model.LinearAlgebra;

namespace SweepCluster.Model.Generalisation.Memorisation;

/// <summary>
/// The two per-sample memorisation tests of spec S-13 against the training set of the generating model:
/// c_max(x) = max_i cos(x, y_i) (raw vectors), and the nearest-neighbour ratio d_(1)/d_(2) of the two smallest
/// Euclidean distances (0 when d_(1) = 0), with ||x - y||^2 = ||x||^2 - 2 x.y + ||y||^2 clipped at 0.
/// </summary>
public static class MemorisationScores
{
    /// <summary>A sample is memorised by the ratio test when d_(1)/d_(2) &lt; 1/3.</summary>
    public const double RatioThreshold = 1.0 / 3.0;

    /// <summary>c_max of one sample.</summary>
    public static double MaxCosine(ReadOnlySpan<double> x, TrainingPoints training)
    {
        var (cmax, _) = ScoreOne(x, training, ratio: false);
        return cmax;
    }

    /// <summary>The nearest-neighbour ratio of one sample; it needs two training points.</summary>
    /// <exception cref="ArgumentException">The training set has fewer than two points.</exception>
    public static double Ratio(ReadOnlySpan<double> x, TrainingPoints training)
    {
        ThrowIfNoRatio(training);
        var (_, r) = ScoreOne(x, training, ratio: true);
        return r;
    }

    /// <summary>
    /// c_max and, when N &gt;= 2, the ratio of <paramref name="count"/> samples (rows of <paramref name="samples"/>)
    /// with one matrix product; the ratios are NaN for N = 1 (the spec reports null there).
    /// </summary>
    public static void Score(ReadOnlySpan<double> samples, int count, TrainingPoints training, ILinearAlgebra algebra, Span<double> cmax, Span<double> ratio)
    {
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(algebra);
        int d = training.Dimension, n = training.Count;
        var dots = new double[count * n];
        algebra.Multiply(false, true, count, n, d, 1.0, samples, training.Points, dots);
        for (int b = 0; b < count; b++)
        {
            var x = samples.Slice(b * d, d);
            double x2 = 0;
            foreach (double v in x)
            {
                x2 += v * v;
            }

            (cmax[b], ratio[b]) = FromDots(dots.AsSpan(b * n, n), x2, training, n >= 2);
        }
    }

    private static (double Cmax, double Ratio) ScoreOne(ReadOnlySpan<double> x, TrainingPoints training, bool ratio)
    {
        ArgumentNullException.ThrowIfNull(training);
        int d = training.Dimension;
        if (x.Length != d)
        {
            throw new ArgumentException($"a sample has d = {d} coordinates, got {x.Length}", nameof(x));
        }

        var dots = new double[training.Count];
        double x2 = 0;
        for (int k = 0; k < d; k++)
        {
            x2 += x[k] * x[k];
        }

        for (int i = 0; i < training.Count; i++)
        {
            var y = training.Points.AsSpan(i * d, d);
            double dot = 0;
            for (int k = 0; k < d; k++)
            {
                dot += x[k] * y[k];
            }

            dots[i] = dot;
        }

        return FromDots(dots, x2, training, ratio);
    }

    private static (double Cmax, double Ratio) FromDots(ReadOnlySpan<double> dots, double x2, TrainingPoints training, bool ratio)
    {
        double normX = Math.Sqrt(x2);
        double cmax = double.NegativeInfinity, first = double.PositiveInfinity, second = double.PositiveInfinity;
        for (int i = 0; i < dots.Length; i++)
        {
            double y2 = training.SquaredNorms[i];
            cmax = Math.Max(cmax, dots[i] / (normX * Math.Sqrt(y2)));
            double dist2 = Math.Max(0.0, x2 - (2.0 * dots[i]) + y2);
            if (dist2 < first)
            {
                second = first;
                first = dist2;
            }
            else if (dist2 < second)
            {
                second = dist2;
            }
        }

        if (!ratio)
        {
            return (cmax, double.NaN);
        }

        return (cmax, first == 0 ? 0.0 : Math.Sqrt(first) / Math.Sqrt(second));
    }

    private static void ThrowIfNoRatio(TrainingPoints training)
    {
        ArgumentNullException.ThrowIfNull(training);
        if (training.Count < 2)
        {
            throw new ArgumentException($"the nearest-neighbour ratio needs at least two training points (N >= 2), got N = {training.Count}", nameof(training));
        }
    }
}
