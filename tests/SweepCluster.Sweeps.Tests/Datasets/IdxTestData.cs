using System.Buffers.Binary;
using System.IO.Compression;

namespace SweepCluster.Sweeps.Tests.Datasets;

/// <summary>Small IDX files made byte by byte, and a naive covariance spectrum to check the real one against.</summary>
internal static class IdxTestData
{
    /// <summary>n images of rows x cols pseudo-random pixels, with some structure (a shared brightness) so the spectrum is not flat.</summary>
    public static byte[] Pixels(int n, int rows, int cols, int seed)
    {
        var random = new Random(seed);
        int d = rows * cols;
        var pixels = new byte[n * d];
        for (int i = 0; i < n; i++)
        {
            int brightness = random.Next(0, 128);
            for (int j = 0; j < d; j++)
            {
                pixels[(i * d) + j] = (byte)Math.Min(255, brightness + random.Next(0, 128 - (4 * j % 64)));
            }
        }

        return pixels;
    }

    /// <summary>An IDX file: magic, the sizes (big-endian), then the data as it is.</summary>
    public static byte[] Encode(uint magic, uint[] sizes, byte[] data)
    {
        var bytes = new byte[4 + (4 * sizes.Length) + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, magic);
        for (int k = 0; k < sizes.Length; k++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4 + (4 * k)), sizes[k]);
        }

        data.CopyTo(bytes, 4 + (4 * sizes.Length));
        return bytes;
    }

    public static byte[] Images(int n, int rows, int cols, byte[] pixels) =>
        Encode(0x00000803, [(uint)n, (uint)rows, (uint)cols], pixels);

    public static byte[] Gzip(byte[] data)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return buffer.ToArray();
    }

    /// <summary>The covariance by its definition, with two passes and no blocking: (1/(n-1)) sum_i (x_i - mean)(x_i - mean)^T.</summary>
    public static double[,] NaiveCovariance(byte[] pixels, int n, int d)
    {
        var mean = new double[d];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < d; j++)
            {
                mean[j] += pixels[(i * d) + j] / 255.0 / n;
            }
        }

        var cov = new double[d, d];
        for (int i = 0; i < n; i++)
        {
            for (int a = 0; a < d; a++)
            {
                for (int b = 0; b < d; b++)
                {
                    cov[a, b] += ((pixels[(i * d) + a] / 255.0) - mean[a]) * ((pixels[(i * d) + b] / 255.0) - mean[b]) / (n - 1);
                }
            }
        }

        return cov;
    }

    /// <summary>Eigenvalues of a small symmetric matrix by cyclic Jacobi rotations, descending: slow but independent of the project's backends.</summary>
    public static double[] JacobiEigenvalues(double[,] matrix)
    {
        int n = matrix.GetLength(0);
        var a = (double[,])matrix.Clone();
        for (int sweep = 0; sweep < 100; sweep++)
        {
            double off = 0;
            for (int p = 0; p < n; p++)
            {
                for (int q = p + 1; q < n; q++)
                {
                    off += a[p, q] * a[p, q];
                }
            }

            if (off < 1e-30)
            {
                break;
            }

            for (int p = 0; p < n; p++)
            {
                for (int q = p + 1; q < n; q++)
                {
                    if (a[p, q] == 0)
                    {
                        continue;
                    }

                    double theta = (a[q, q] - a[p, p]) / (2 * a[p, q]);
                    double t = Math.Sign(theta == 0 ? 1 : theta) / (Math.Abs(theta) + Math.Sqrt((theta * theta) + 1));
                    double c = 1 / Math.Sqrt((t * t) + 1);
                    double s = t * c;
                    for (int k = 0; k < n; k++)
                    {
                        double akp = a[k, p];
                        double akq = a[k, q];
                        a[k, p] = (c * akp) - (s * akq);
                        a[k, q] = (s * akp) + (c * akq);
                    }

                    for (int k = 0; k < n; k++)
                    {
                        double apk = a[p, k];
                        double aqk = a[q, k];
                        a[p, k] = (c * apk) - (s * aqk);
                        a[q, k] = (s * apk) + (c * aqk);
                    }
                }
            }
        }

        var values = new double[n];
        for (int i = 0; i < n; i++)
        {
            values[i] = a[i, i];
        }

        Array.Sort(values);
        Array.Reverse(values);
        return values;
    }
}
