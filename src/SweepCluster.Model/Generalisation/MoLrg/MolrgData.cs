using SweepCluster.Model.Random;

namespace SweepCluster.Model.Generalisation.MoLrg;

/// <summary>A MoLRG training set (spec S-15.1): samples row-major N x d and the component of each sample.</summary>
public sealed record MolrgData(double[] Samples, int Count, int Dimension, int[] Labels)
{
    /// <summary>
    /// The true bases of a trial: G[i, j] = Z[i K r + j] (d x K r) from the stream seed + 2^32, then either one
    /// orth(G) cut into K column blocks (orthogonal) or orth of each block (independent).
    /// </summary>
    public static SubspaceBases DrawBases(int d, int components, int rank, ulong seed, bool orthogonal = true)
    {
        if (d < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(d), d, "d must be at least 1");
        }

        if (components < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(components), components, "K must be at least 1");
        }

        if (rank < 1 || rank > d)
        {
            throw new ArgumentOutOfRangeException(nameof(rank), rank, $"r must be in 1..d = {d}");
        }

        int width = components * rank;
        if (orthogonal && width > d)
        {
            throw new ArgumentException($"orthogonal bases need K r <= d, got K r = {width} > d = {d}; use independent bases", nameof(orthogonal));
        }

        var g = new double[d * width];
        PortableNormals.Fill(MolrgStreams.For(seed, MolrgStreams.Basis), 0, g);
        var bases = new double[components][];
        if (orthogonal)
        {
            var q = Orthonormal.Columns(g, d, width);
            for (int k = 0; k < components; k++)
            {
                bases[k] = Block(q, d, width, k * rank, rank);
            }
        }
        else
        {
            for (int k = 0; k < components; k++)
            {
                bases[k] = Orthonormal.Columns(Block(g, d, width, k * rank, rank), d, rank);
            }
        }

        return new SubspaceBases(d, rank, bases);
    }

    /// <summary>
    /// N samples x_i = U_{k_i} a_i + sqrt(delta) n_i with balanced class-major labels k_i = floor(i K / N);
    /// a_i from the stream seed + 2 2^32 (r per sample), n_i from seed + 3 2^32 (d per sample, read only when delta &gt; 0).
    /// </summary>
    public static MolrgData Draw(SubspaceBases bases, int count, double delta, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(bases);
        if (count < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "N must be at least 1");
        }

        if (!(delta >= 0) || double.IsInfinity(delta))
        {
            throw new ArgumentOutOfRangeException(nameof(delta), delta, "delta must be finite and >= 0");
        }

        int d = bases.Dimension, r = bases.Rank, components = bases.Count;
        var latent = new double[count * r];
        PortableNormals.Fill(MolrgStreams.For(seed, MolrgStreams.Latent), 0, latent);
        var x = new double[count * d];
        if (delta > 0)
        {
            PortableNormals.Fill(MolrgStreams.For(seed, MolrgStreams.Floor), 0, x);
            double scale = Math.Sqrt(delta);
            for (int j = 0; j < x.Length; j++)
            {
                x[j] *= scale;
            }
        }

        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            int k = (int)((long)i * components / count);
            labels[i] = k;
            var u = bases.Bases[k];
            var a = latent.AsSpan(i * r, r);
            var row = x.AsSpan(i * d, d);
            for (int l = 0; l < d; l++)
            {
                double sum = 0;
                for (int j = 0; j < r; j++)
                {
                    sum += u[(l * r) + j] * a[j];
                }

                row[l] += sum;
            }
        }

        return new MolrgData(x, count, d, labels);
    }

    private static double[] Block(double[] m, int rows, int cols, int first, int width)
    {
        var b = new double[rows * width];
        for (int i = 0; i < rows; i++)
        {
            Array.Copy(m, (i * cols) + first, b, i * width, width);
        }

        return b;
    }
}
