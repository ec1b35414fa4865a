namespace SweepCluster.Model.Generalisation.MoLrg;

/// <summary>
/// The closed-form posterior mean of a MoLRG (spec S-15.2) for x_t = a x0 + s eps with s^2 = 1 - a^2 and
/// components N(0, U_k U_k^T + delta I): a softmax over the components of the per-component Wiener filters.
/// </summary>
public sealed class MolrgDenoiser
{
    private readonly SubspaceBases _bases;
    private readonly double[] _logWeight;
    private readonly double _delta;

    /// <param name="bases">U_k (the true bases, or the learned Uhat_k).</param>
    /// <param name="weights">pi_k, positive and summing to 1 (null: balanced).</param>
    /// <param name="delta">The isotropic floor (0 for the learned model).</param>
    public MolrgDenoiser(SubspaceBases bases, IReadOnlyList<double>? weights, double delta)
    {
        ArgumentNullException.ThrowIfNull(bases);
        if (!(delta >= 0) || double.IsInfinity(delta))
        {
            throw new ArgumentOutOfRangeException(nameof(delta), delta, "delta must be finite and >= 0");
        }

        int k = bases.Count;
        weights ??= [.. Enumerable.Repeat(1.0 / k, k)];
        if (weights.Count != k)
        {
            throw new ArgumentException($"need one weight per component ({k}), got {weights.Count}", nameof(weights));
        }

        if (weights.Any(w => !(w > 0) || double.IsInfinity(w)) || Math.Abs(weights.Sum() - 1.0) > 1e-9)
        {
            throw new ArgumentException("weights pi_k must be positive and sum to 1", nameof(weights));
        }

        _bases = bases;
        _logWeight = [.. weights.Select(w => Math.Log(w))];
        _delta = delta;
    }

    /// <summary>xhat0 = E[x0 | x_t] for one noisy vector at signal scale a in (0, 1].</summary>
    public double[] Denoise(ReadOnlySpan<double> xt, double a)
    {
        int d = _bases.Dimension, r = _bases.Rank, components = _bases.Count;
        if (!(a > 0) || a > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(a), a, "the signal scale a must be in (0, 1]");
        }

        if (xt.Length != d)
        {
            throw new ArgumentException($"x_t must have d = {d} entries, got {xt.Length}", nameof(xt));
        }

        double a2 = a * a, s2 = 1.0 - a2;
        double v = (a2 * _delta) + s2;
        if (!(v > 0))
        {
            throw new ArgumentException("a = 1 with delta = 0 has no noise: the posterior is undefined", nameof(a));
        }

        // The k-independent terms of the log-likelihood cancel in the softmax; the max is subtracted for range.
        var logit = new double[components];
        var coef = new double[components][];
        for (int k = 0; k < components; k++)
        {
            var u = _bases.Bases[k];
            var c = new double[r];
            for (int i = 0; i < d; i++)
            {
                for (int j = 0; j < r; j++)
                {
                    c[j] += u[(i * r) + j] * xt[i];
                }
            }

            double proj2 = 0;
            foreach (double cj in c)
            {
                proj2 += cj * cj;
            }

            coef[k] = c;
            logit[k] = _logWeight[k] - (0.5 * r * Math.Log(a2 + v)) + (a2 * proj2 / (2.0 * v * (a2 + v)));
        }

        double max = logit.Max(), norm = 0;
        var w = new double[components];
        for (int k = 0; k < components; k++)
        {
            w[k] = Math.Exp(logit[k] - max);
            norm += w[k];
        }

        var x0 = new double[d];
        double shrink = s2 / (a2 + v);
        for (int k = 0; k < components; k++)
        {
            double wk = w[k] / norm;
            var u = _bases.Bases[k];
            var c = coef[k];
            for (int i = 0; i < d; i++)
            {
                double proj = 0;
                for (int j = 0; j < r; j++)
                {
                    proj += u[(i * r) + j] * c[j];
                }

                x0[i] += wk * (a / v) * ((_delta * xt[i]) + (shrink * proj));
            }
        }

        return x0;
    }
}
