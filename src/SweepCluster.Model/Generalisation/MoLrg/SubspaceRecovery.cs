namespace SweepCluster.Model.Generalisation.MoLrg;

/// <summary>
/// The recovery distance of spec S-15.4: D = min over permutations pi of max_k ||P_k - P*_{pi(k)}||_F / sqrt(2 r),
/// the RMS sine of the principal angles of the worst-matched component, from the projector difference itself
/// (the form sqrt(2r - 2||Uhat^T U*||_F^2) loses 8 digits at exact recovery).
/// </summary>
public static class SubspaceRecovery
{
    /// <summary>K! permutations are tried; more than this many components is refused.</summary>
    public const int MaxComponents = 5;

    /// <summary>The spec's default success threshold.</summary>
    public const double DefaultThreshold = 0.1;

    public static double Distance(SubspaceBases estimated, SubspaceBases truth)
    {
        ArgumentNullException.ThrowIfNull(estimated);
        ArgumentNullException.ThrowIfNull(truth);
        if (estimated.Count != truth.Count || estimated.Dimension != truth.Dimension || estimated.Rank != truth.Rank)
        {
            throw new ArgumentException($"need bases of the same K, d and r: got ({estimated.Count}, {estimated.Dimension}, {estimated.Rank}) and ({truth.Count}, {truth.Dimension}, {truth.Rank})", nameof(estimated));
        }

        int components = truth.Count;
        if (components > MaxComponents)
        {
            throw new ArgumentException($"K = {components}: the permutation search allows K <= {MaxComponents}", nameof(truth));
        }

        // The pairwise distances once; each permutation only looks them up.
        var pair = new double[components, components];
        var est = Enumerable.Range(0, components).Select(estimated.Projector).ToArray();
        var tru = Enumerable.Range(0, components).Select(truth.Projector).ToArray();
        double norm = Math.Sqrt(2.0 * truth.Rank);
        for (int k = 0; k < components; k++)
        {
            for (int l = 0; l < components; l++)
            {
                double sum = 0;
                for (int i = 0; i < est[k].Length; i++)
                {
                    double diff = est[k][i] - tru[l][i];
                    sum += diff * diff;
                }

                pair[k, l] = Math.Sqrt(sum) / norm;
            }
        }

        double best = double.PositiveInfinity;
        foreach (var perm in Permutations(components))
        {
            double worst = 0;
            for (int k = 0; k < components; k++)
            {
                worst = Math.Max(worst, pair[k, perm[k]]);
            }

            best = Math.Min(best, worst);
        }

        return best;
    }

    private static IEnumerable<int[]> Permutations(int n)
    {
        var a = Enumerable.Range(0, n).ToArray();
        return Permute(a, 0);
    }

    private static IEnumerable<int[]> Permute(int[] a, int first)
    {
        if (first == a.Length)
        {
            yield return (int[])a.Clone();
            yield break;
        }

        for (int i = first; i < a.Length; i++)
        {
            (a[first], a[i]) = (a[i], a[first]);
            foreach (var p in Permute(a, first + 1))
            {
                yield return p;
            }

            (a[first], a[i]) = (a[i], a[first]);
        }
    }
}
