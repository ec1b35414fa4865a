using SweepCluster.Model.LinearAlgebra;
using SweepCluster.Model.Random;

namespace SweepCluster.Model.Generalisation.MoLrg;

/// <summary>
/// K-subspaces clustering with random orthonormal restarts (spec S-15.3): the learned MoLRG denoiser is the
/// S-15.2 posterior with these bases, so fitting it is this alternating maximisation of J.
/// </summary>
public static class KSubspaces
{
    /// <summary>A later restart replaces the best only if it beats it by this relative margin, so rounding never decides.</summary>
    public const double ImprovementMargin = 1e-12;

    /// <param name="data">The training set.</param>
    /// <param name="components">K.</param>
    /// <param name="rank">r.</param>
    /// <param name="seed">The trial seed; starts come from the stream seed + 4 2^32.</param>
    /// <param name="restarts">R.</param>
    /// <param name="maxIterations">Iterations per restart.</param>
    /// <param name="algebra">For the top-r eigenvectors of each cluster's scatter matrix.</param>
    public static KSubspacesResult Fit(MolrgData data, int components, int rank, ulong seed, int restarts, int maxIterations, ILinearAlgebra algebra)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(algebra);
        int d = data.Dimension, n = data.Count;
        if (components < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(components), components, "K must be at least 1");
        }

        if (rank < 1 || rank > d)
        {
            throw new ArgumentOutOfRangeException(nameof(rank), rank, $"r must be in 1..d = {d}");
        }

        if (restarts < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(restarts), restarts, "R must be at least 1");
        }

        if (maxIterations < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxIterations), maxIterations, "max_iter must be at least 1");
        }

        KSubspacesResult? best = null;
        ulong stream = MolrgStreams.For(seed, MolrgStreams.Init);
        for (int rho = 0; rho < restarts; rho++)
        {
            var bases = new double[components][];
            for (int k = 0; k < components; k++)
            {
                var g = new double[d * rank];
                PortableNormals.Fill(stream, ((long)rho * components + k) * d * rank, g);
                bases[k] = Orthonormal.Columns(g, d, rank);
            }

            var current = new SubspaceBases(d, rank, bases);
            int[]? labels = null;
            for (int it = 0; it < maxIterations; it++)
            {
                var next = Assign(data, current);
                if (labels is not null && next.AsSpan().SequenceEqual(labels))
                {
                    break;
                }

                labels = next;
                current = Update(data, current, labels, algebra);
            }

            double j = Objective(data, current);
            if (best is null || j > best.Objective * (1.0 + ImprovementMargin))
            {
                best = new KSubspacesResult(current, labels!, j, rho);
            }
        }

        return best!;
    }

    /// <summary>J = (1/N) sum_i max_k ||U_k^T x_i||^2.</summary>
    public static double Objective(MolrgData data, SubspaceBases bases)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(bases);
        double sum = 0;
        for (int i = 0; i < data.Count; i++)
        {
            var x = data.Samples.AsSpan(i * data.Dimension, data.Dimension);
            double max = double.NegativeInfinity;
            for (int k = 0; k < bases.Count; k++)
            {
                max = Math.Max(max, bases.ProjectedNorm2(k, x));
            }

            sum += max;
        }

        return sum / data.Count;
    }

    /// <summary>argmax_k ||U_k^T x_i||^2, the lowest k on ties.</summary>
    private static int[] Assign(MolrgData data, SubspaceBases bases)
    {
        var labels = new int[data.Count];
        for (int i = 0; i < data.Count; i++)
        {
            var x = data.Samples.AsSpan(i * data.Dimension, data.Dimension);
            double best = double.NegativeInfinity;
            for (int k = 0; k < bases.Count; k++)
            {
                double score = bases.ProjectedNorm2(k, x);
                if (score > best)
                {
                    best = score;
                    labels[i] = k;
                }
            }
        }

        return labels;
    }

    /// <summary>Each non-empty cluster's basis becomes the top-r eigenvectors of its scatter matrix; an empty one keeps its basis.</summary>
    private static SubspaceBases Update(MolrgData data, SubspaceBases bases, int[] labels, ILinearAlgebra algebra)
    {
        int d = data.Dimension, r = bases.Rank;
        var updated = new double[bases.Count][];
        var scatter = new double[d * d];
        var eigenvalues = new double[d];
        var rows = new double[data.Count * d];
        for (int k = 0; k < bases.Count; k++)
        {
            int members = 0;
            for (int i = 0; i < data.Count; i++)
            {
                if (labels[i] == k)
                {
                    data.Samples.AsSpan(i * d, d).CopyTo(rows.AsSpan(members * d, d));
                    members++;
                }
            }

            if (members == 0)
            {
                updated[k] = bases.Bases[k];
                continue;
            }

            algebra.CrossProduct(rows.AsSpan(0, members * d), members, d, 1.0, scatter);

            // Ascending eigenvalues with eigenvectors in rows: the top r are the last r rows, taken largest first.
            algebra.SymmetricEigen(scatter, d, eigenvalues);
            var u = new double[d * r];
            for (int j = 0; j < r; j++)
            {
                var v = scatter.AsSpan((d - 1 - j) * d, d);
                for (int i = 0; i < d; i++)
                {
                    u[(i * r) + j] = v[i];
                }
            }

            updated[k] = u;
        }

        return new SubspaceBases(d, r, updated);
    }
}
