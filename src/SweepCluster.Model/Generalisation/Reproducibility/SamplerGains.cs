using SweepCluster.Model.Diffusion;
using SweepCluster.Model.Training;

namespace SweepCluster.Model.Generalisation.Reproducibility;

/// <summary>
/// The sampler as a linear map, mode by mode (spec S-12.2): a mode with empirical variance sig passes noise block j
/// with gain g_j(sig) and shrinks the mean with h_mean(sig), so x = m + sum_j U diag(g_j) U^T xi_j. Block 0 is the
/// initial noise u; block j &gt;= 1 is the sampler noise z_{T-j}. Gains are stored mode-major (mode i at i * J) so that
/// one mode's J gains are contiguous for the products that follow.
/// </summary>
public sealed class SamplerGains
{
    private SamplerGains(int modes, int blocks, double[] gains, double[] meanShrink)
    {
        Modes = modes;
        Blocks = blocks;
        Gains = gains;
        MeanShrink = meanShrink;
        Variance = new double[modes];
        for (int i = 0; i < modes; i++)
        {
            double p = 0;
            var row = gains.AsSpan(i * blocks, blocks);
            foreach (double g in row)
            {
                p += g * g;
            }

            Variance[i] = p;
        }
    }

    /// <summary>Number of modes (variances) the gains were computed for.</summary>
    public int Modes { get; }

    /// <summary>J, the number of noise blocks: T + 1 for DDPM, 1 for the ODE.</summary>
    public int Blocks { get; }

    /// <summary>g_j(sig_i) at i * J + j.</summary>
    public double[] Gains { get; }

    /// <summary>h_mean(sig_i) = 1 - a_{T-1} g_0(sig_i) for DDPM, 1 for the ODE.</summary>
    public double[] MeanShrink { get; }

    /// <summary>P_i = sum_j g_j(sig_i)^2, the generated variance of the mode (spec S-4).</summary>
    public double[] Variance { get; }

    public ReadOnlySpan<double> Row(int mode) => Gains.AsSpan(mode * Blocks, Blocks);

    /// <summary>Gains of the sampler <paramref name="sampler"/> for a model trained as <paramref name="denoiser"/>.</summary>
    public static SamplerGains For(Sampler sampler, ReadOnlySpan<double> variances, NoiseSchedule schedule, TrainedDenoiser denoiser, bool lastNoise) => sampler switch
    {
        Sampler.Ddpm => Ddpm(variances, schedule, denoiser, lastNoise),
        Sampler.Ode => Ode(variances, denoiser),
        _ => throw new ArgumentOutOfRangeException(nameof(sampler), sampler, "unknown sampler"),
    };

    /// <summary>
    /// DDPM: A_t(sig) = (1 - (beta_t/s_t) w_t(sig)) / sqrt(alpha_t), g_0 = prod_t A_t and
    /// g_j = sqrt(beta_t) prod_{t' &lt; t} A_t' with t = T - j (g_T = 0 without last-step noise).
    /// </summary>
    public static SamplerGains Ddpm(ReadOnlySpan<double> variances, NoiseSchedule schedule, TrainedDenoiser denoiser, bool lastNoise)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        int steps = schedule.Steps, blocks = steps + 1, modes = variances.Length;
        var a = schedule.SignalScale.ToArray();
        var s = schedule.NoiseScale.ToArray();
        var sqrtBeta = new double[steps];
        var betaOverS = new double[steps];
        var sqrtAlpha = new double[steps];
        for (int t = 0; t < steps; t++)
        {
            double beta = schedule.Beta[t];
            sqrtBeta[t] = Math.Sqrt(beta);
            betaOverS[t] = beta / s[t];
            sqrtAlpha[t] = Math.Sqrt(1.0 - beta);
        }

        var gains = new double[(long)modes * blocks];
        var shrink = new double[modes];
        var sig = variances.ToArray();
        double aLast = a[steps - 1];

        // Modes are independent; a fixed split keeps every mode's bits independent of the thread count.
        Parallel.For(0, (modes + 63) / 64, chunk =>
        {
            int end = Math.Min(modes, (chunk + 1) * 64);
            for (int i = chunk * 64; i < end; i++)
            {
                var row = gains.AsSpan(i * blocks, blocks);

                // Forward in t: the prefix product prod_{t' < t} A_t' is the gain of z_t.
                double prefix = 1.0;
                for (int t = 0; t < steps; t++)
                {
                    row[steps - t] = t == 0 && !lastNoise ? 0.0 : sqrtBeta[t] * prefix;
                    double h = denoiser.Curvature(sig[i], a[t], s[t]);
                    double q = denoiser.IsConverged ? 0.0 : denoiser.Decay(denoiser.DecayBase(h));
                    double w = s[t] / h * (1.0 - q);
                    prefix *= (1.0 - (betaOverS[t] * w)) / sqrtAlpha[t];
                }

                row[0] = prefix;
                shrink[i] = 1.0 - (aLast * prefix);
            }
        });

        return new SamplerGains(modes, blocks, gains, shrink);
    }

    /// <summary>ODE: one block with g_0 = sqrt(sig + c) and no mean shrink; the model must be converged.</summary>
    public static SamplerGains Ode(ReadOnlySpan<double> variances, TrainedDenoiser denoiser)
    {
        if (!denoiser.IsConverged)
        {
            throw new ArgumentException($"the ode sampler is defined only for a converged model (tau = infinity), got tau = {denoiser.Tau}", nameof(denoiser));
        }

        int modes = variances.Length;
        var gains = new double[modes];
        var shrink = new double[modes];
        for (int i = 0; i < modes; i++)
        {
            gains[i] = Math.Sqrt(variances[i] + denoiser.Ridge);
            shrink[i] = 1.0;
        }

        return new SamplerGains(modes, 1, gains, shrink);
    }
}
