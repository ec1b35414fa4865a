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

            // The logits reach ~1e6 at t = 0 (s_0^2 = 1e-4): subtract each row's maximum before exponentiating.
            // Sequential on purpose: a parallel loop per step costs a thread hand-off 1000 times per chunk, more
            // than the O(draws N) work it would split.
            for (int b = 0; b < draws; b++)
            {
                var row = logits.AsSpan(b * n, n);
                double max = double.NegativeInfinity;
                for (int i = 0; i < n; i++)
                {
                    row[i] = ((a * row[i]) - (a2half * norms[i])) / s2;
                    max = Math.Max(max, row[i]);
                }

                // Below -746 the exponential is exactly 0: skip the call (at small t, for nearly every training point).
                double sum = 0;
                for (int i = 0; i < n; i++)
                {
                    double shifted = row[i] - max;
                    row[i] = shifted < -746.0 ? 0.0 : Math.Exp(shifted);
                    sum += row[i];
                }

                for (int i = 0; i < n; i++)
                {
                    row[i] /= sum;
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
