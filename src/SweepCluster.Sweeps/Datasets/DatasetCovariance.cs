using SweepCluster.Model.LinearAlgebra;

namespace SweepCluster.Sweeps.Datasets;

/// <summary>
/// The pixel covariance of an image dataset and its eigenvalues (docs/model.md S-7.1: only the eigenvalues of a
/// dataset's covariance enter the model). Pixels are scaled to [0, 1] (byte / 255), each image is
/// flattened row by row, the mean image is subtracted, and the covariance is normalised by 1/(n-1).
/// </summary>
public static class DatasetCovariance
{
    /// <summary>Byte values map to [0, 1] by this divisor, the usual scaling of MNIST-like data.</summary>
    public const double PixelScale = 255.0;

    /// <summary>
    /// Rows per block of the accumulated cross product: the centred images are converted to doubles a block
    /// at a time, so memory stays at a few d x d matrices instead of an n x d double copy of the data
    /// (376 MB for Fashion-MNIST's 60000 x 784).
    /// </summary>
    public const int DefaultBlockRows = 2048;

    /// <summary>The mean image, in [0, 1] units (length d).</summary>
    public static double[] Mean(IdxImages images)
    {
        ArgumentNullException.ThrowIfNull(images);
        int n = images.Count;
        int d = images.Dimension;
        if (n < 1)
        {
            throw new ArgumentException("the mean of no images is undefined", nameof(images));
        }

        // Integer sums are exact (n * 255 fits a long), so the mean does not depend on the image order.
        var sums = new long[d];
        ReadOnlySpan<byte> pixels = images.Pixels.Span;
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<byte> image = pixels.Slice(i * d, d);
            for (int j = 0; j < d; j++)
            {
                sums[j] += image[j];
            }
        }

        var mean = new double[d];
        for (int j = 0; j < d; j++)
        {
            mean[j] = sums[j] / (PixelScale * n);
        }

        return mean;
    }

    /// <summary>
    /// The d x d covariance (row-major, full symmetric) of the centred, [0, 1]-scaled images, normalised by
    /// 1/(n-1). <paramref name="blockRows"/> only changes memory use and rounding, not the result's meaning.
    /// </summary>
    public static double[] Covariance(IdxImages images, ILinearAlgebra algebra, int blockRows = DefaultBlockRows)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(algebra);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blockRows);
        int n = images.Count;
        int d = images.Dimension;
        if (n < 2)
        {
            throw new ArgumentException($"a covariance normalised by 1/(n-1) needs at least 2 images; there are {n}", nameof(images));
        }

        double[] mean = Mean(images);
        double alpha = 1.0 / (n - 1);
        var covariance = new double[(long)d * d];
        var block = new double[(long)Math.Min(blockRows, n) * d];
        double[]? partial = n > blockRows ? new double[(long)d * d] : null;
        ReadOnlySpan<byte> pixels = images.Pixels.Span;
        for (int first = 0; first < n; first += blockRows)
        {
            int rows = Math.Min(blockRows, n - first);

            // Centring before the product avoids the cancellation of E[x x^T] - mu mu^T for pixels with a
            // large mean and a small variance (the mostly-black borders of MNIST-like images).
            Span<double> x = block.AsSpan(0, rows * d);
            ReadOnlySpan<byte> source = pixels.Slice(first * d, rows * d);
            for (int i = 0; i < rows; i++)
            {
                int offset = i * d;
                for (int j = 0; j < d; j++)
                {
                    x[offset + j] = (source[offset + j] / PixelScale) - mean[j];
                }
            }

            if (partial is null)
            {
                algebra.CrossProduct(x, rows, d, alpha, covariance);
            }
            else
            {
                algebra.CrossProduct(x, rows, d, alpha, partial);
                for (int k = 0; k < covariance.Length; k++)
                {
                    covariance[k] += partial[k];
                }
            }
        }

        return covariance;
    }

    /// <summary>
    /// The d eigenvalues of <see cref="Covariance"/>, in descending order. Rounding can leave eigenvalues of
    /// a rank-deficient covariance slightly negative; they are returned as computed (an eigenvalue file
    /// drops them when it is read, docs/model.md S-7.1).
    /// </summary>
    public static double[] Eigenvalues(IdxImages images, ILinearAlgebra algebra, int blockRows = DefaultBlockRows)
    {
        ArgumentNullException.ThrowIfNull(algebra);
        double[] covariance = Covariance(images, algebra, blockRows);
        return EigenvaluesOf(covariance, images.Dimension, algebra);
    }

    /// <summary>The eigenvalues of the symmetric n x n <paramref name="matrix"/> (destroyed), descending.</summary>
    public static double[] EigenvaluesOf(double[] matrix, int n, ILinearAlgebra algebra)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        ArgumentNullException.ThrowIfNull(algebra);
        var values = new double[n];
        algebra.SymmetricEigen(matrix, n, values);
        Array.Reverse(values);
        return values;
    }
}
