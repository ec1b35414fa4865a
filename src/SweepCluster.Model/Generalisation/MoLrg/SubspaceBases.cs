namespace SweepCluster.Model.Generalisation.MoLrg;

/// <summary>K orthonormal d x r bases U_k, each row-major (element [i, j] at i r + j).</summary>
public sealed record SubspaceBases
{
    public SubspaceBases(int dimension, int rank, IReadOnlyList<double[]> bases)
    {
        ArgumentNullException.ThrowIfNull(bases);
        if (bases.Count == 0)
        {
            throw new ArgumentException("need at least one basis", nameof(bases));
        }

        foreach (var u in bases)
        {
            if (u.Length != dimension * rank)
            {
                throw new ArgumentException($"every basis must be d x r = {dimension} x {rank}", nameof(bases));
            }
        }

        Dimension = dimension;
        Rank = rank;
        Bases = bases;
    }

    /// <summary>d.</summary>
    public int Dimension { get; }

    /// <summary>r, shared by all components.</summary>
    public int Rank { get; }

    public IReadOnlyList<double[]> Bases { get; }

    /// <summary>K.</summary>
    public int Count => Bases.Count;

    /// <summary>||U_k^T x||^2.</summary>
    public double ProjectedNorm2(int k, ReadOnlySpan<double> x)
    {
        var u = Bases[k];
        int d = Dimension, r = Rank;
        Span<double> c = r <= 64 ? stackalloc double[r] : new double[r];
        c.Clear();
        for (int i = 0; i < d; i++)
        {
            double xi = x[i];
            var row = u.AsSpan(i * r, r);
            for (int j = 0; j < r; j++)
            {
                c[j] += row[j] * xi;
            }
        }

        double sum = 0;
        for (int j = 0; j < r; j++)
        {
            sum += c[j] * c[j];
        }

        return sum;
    }

    /// <summary>U_k U_k^T as a d x d row-major matrix.</summary>
    public double[] Projector(int k)
    {
        var u = Bases[k];
        int d = Dimension, r = Rank;
        var p = new double[d * d];
        for (int i = 0; i < d; i++)
        {
            for (int l = 0; l < d; l++)
            {
                double sum = 0;
                for (int j = 0; j < r; j++)
                {
                    sum += u[(i * r) + j] * u[(l * r) + j];
                }

                p[(i * d) + l] = sum;
            }
        }

        return p;
    }
}
