using System.Runtime.Intrinsics;
using SweepCluster.Model.Diffusion;
using SweepCluster.Model.LinearAlgebra;

namespace SweepCluster.Model.Generalisation.Memorisation;

/// <summary>
/// The optimal empirical denoiser of spec S-13.3(b): the exact minimiser of the training loss over all functions,
/// i.e. the posterior mean of x0 under the empirical distribution of the training points, run through the S-4 DDPM
/// sampler with the shared noise blocks. xhat0(u, t) = sum_i w_i y_i with
/// w = softmax_i((a_t u.y_i - a_t^2 ||y_i||^2 / 2) / s_t^2); no bias, ridge or mean subtraction.
/// </summary>
public sealed class EmpiricalDenoiserSampler(TrainingPoints training, NoiseSchedule schedule, bool lastNoise)
{
    // Weights of one step above this many (draws x N) are computed on every core.
    private const long ParallelWork = 1 << 16;

    private readonly TrainingPoints _training = training ?? throw new ArgumentNullException(nameof(training));
    private readonly NoiseSchedule _schedule = schedule ?? throw new ArgumentNullException(nameof(schedule));

    public TrainingPoints Training => _training;

    /// <summary>
    /// Runs <paramref name="draws"/> draws side by side: their noise holds J = T + 1 blocks of d normals per draw
    /// (block 0 = u, block T - t = z_t); row b of <paramref name="samples"/> gets the sample of draw b.
    /// </summary>
    public void Sample(ReadOnlySpan<double> noise, int draws, Span<double> samples, ILinearAlgebra algebra)
    {
        ArgumentNullException.ThrowIfNull(algebra);
        int d = _training.Dimension, n = _training.Count, steps = _schedule.Steps, blocks = steps + 1;
        if (noise.Length != (long)draws * blocks * d || samples.Length != draws * d)
        {
            throw new ArgumentException($"need {draws * blocks * d} normals and room for {draws * d} values", nameof(noise));
        }

        var u = new double[draws * d];
        for (int b = 0; b < draws; b++)
        {
            noise.Slice(b * blocks * d, d).CopyTo(u.AsSpan(b * d, d));
        }

        var logits = new double[draws * n];
        var xhat = new double[draws * d];
        var norms = _training.SquaredNorms;
        for (int t = steps - 1; t >= 0; t--)
        {
            double a = _schedule.SignalScale[t], s = _schedule.NoiseScale[t], beta = _schedule.Beta[t];
            double s2 = s * s, a2half = a * a / 2.0;
            algebra.Multiply(false, true, draws, n, d, 1.0, u, _training.Points, logits);

            // The logits reach ~1e6 at t = 0 (s_0^2 = 1e-4): each row's maximum is subtracted before exponentiating.
            // Rows are independent, so large steps split them over the cores; small ones stay on this thread, where a
            // hand-off would cost more than the O(draws N) work.
            var weights = new SoftmaxStep(logits, norms, n, a, a2half, s2);
            if ((long)draws * n >= ParallelWork)
            {
                Parallel.For(0, draws, weights.Row);
            }
            else
            {
                for (int b = 0; b < draws; b++)
                {
                    weights.Row(b);
                }
            }

            algebra.Multiply(false, false, draws, d, n, 1.0, logits, _training.Points, xhat);
            double invSqrtAlpha = 1.0 / Math.Sqrt(1.0 - beta), betaOverS = beta / s, sqrtBeta = Math.Sqrt(beta);
            bool addNoise = t > 0 || lastNoise;
            for (int b = 0; b < draws; b++)
            {
                var state = u.AsSpan(b * d, d);
                var mean = xhat.AsSpan(b * d, d);
                var z = noise.Slice(((b * blocks) + (steps - t)) * d, d);
                for (int k = 0; k < d; k++)
                {
                    double eps = (state[k] - (a * mean[k])) / s;
                    double next = (state[k] - (betaOverS * eps)) * invSqrtAlpha;
                    state[k] = addNoise ? next + (sqrtBeta * z[k]) : next;
                }
            }
        }

        u.CopyTo(samples);
    }
}

/// <summary>
/// The softmax weights of one sampler step, one row (draw) at a time: logits (a u.y_i - a^2 ||y_i||^2 / 2) / s^2, shifted
/// by the row's maximum, exponentiated and normalised. The element-wise parts run in 256-bit vectors with exactly the
/// scalar operations (no fused multiply-add), and the sum runs in index order, so the weights have the same bits on
/// every machine, whatever its vector width.
/// </summary>
internal readonly struct SoftmaxStep(double[] logits, double[] norms, int n, double a, double a2half, double s2)
{
    public void Row(int b)
    {
        var row = logits.AsSpan(b * n, n);
        int vectorEnd = Vector256.IsHardwareAccelerated ? n - (n % Vector256<double>.Count) : 0;
        var va = Vector256.Create(a);
        var vh = Vector256.Create(a2half);
        var vs = Vector256.Create(s2);
        var vmax = Vector256.Create(double.NegativeInfinity);
        int i = 0;
        for (; i < vectorEnd; i += Vector256<double>.Count)
        {
            var v = ((va * Vector256.Create(row.Slice(i, Vector256<double>.Count))) - (vh * Vector256.Create(norms.AsSpan(i, Vector256<double>.Count)))) / vs;
            v.CopyTo(row.Slice(i, Vector256<double>.Count));
            vmax = Vector256.Max(vmax, v);
        }

        double max = double.NegativeInfinity;
        for (int k = 0; k < Vector256<double>.Count && vectorEnd > 0; k++)
        {
            max = Math.Max(max, vmax[k]);
        }

        for (; i < n; i++)
        {
            row[i] = ((a * row[i]) - (a2half * norms[i])) / s2;
            max = Math.Max(max, row[i]);
        }

        // Below -746 the exponential is exactly 0: skip the call (at small t, for nearly every training point).
        double sum = 0;
        for (i = 0; i < n; i++)
        {
            double shifted = row[i] - max;
            row[i] = shifted < -746.0 ? 0.0 : Math.Exp(shifted);
            sum += row[i];
        }

        var vsum = Vector256.Create(sum);
        for (i = 0; i < vectorEnd; i += Vector256<double>.Count)
        {
            (Vector256.Create(row.Slice(i, Vector256<double>.Count)) / vsum).CopyTo(row.Slice(i, Vector256<double>.Count));
        }

        for (; i < n; i++)
        {
            row[i] /= sum;
        }
    }
}
