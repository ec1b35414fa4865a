using SweepCluster.Model.Diffusion;

namespace SweepCluster.Model.Configuration;

/// <summary>Checks a configuration before any work; the stability of eta is checked again on the actual data.</summary>
public static class ModelConfigValidator
{
    /// <summary>
    /// The largest d: a d x d matrix of doubles is one array, and an array holds fewer than 2^31 elements
    /// (46340^2 &lt; 2^31 &lt; 46341^2). A larger d overflowed the size computations instead of being refused.
    /// </summary>
    public const int MaxDimension = 46_340;

    /// <summary>The largest number of diffusion steps T: ample for any sampler, small enough that a cell's arrays stay megabytes.</summary>
    public const int MaxT = 1_000_000;

    public static IReadOnlyList<ConfigError> Validate(ModelConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var errors = new List<ConfigError>();
        void Fail(string field, string message) => errors.Add(new ConfigError(field, message));

        if (config.D < 1)
        {
            Fail("d", $"must be a positive integer, got {config.D}");
        }
        else if (config.D > MaxDimension)
        {
            Fail("d", $"must be at most {MaxDimension} (a d x d matrix must fit in one array), got {config.D}");
        }

        if (config.N < 2)
        {
            Fail("N", $"must be at least 2 (an empirical covariance needs two samples), got {config.N}");
        }
        else if (config.D is >= 1 and <= MaxDimension && (long)config.N * config.D > int.MaxValue)
        {
            // The training set is one N x d array; past 2^31 - 1 entries its size overflowed instead of being refused.
            Fail("N", $"N x d must be at most {int.MaxValue} (the training set is one array), got {(long)config.N * config.D}");
        }

        if (!(config.C >= 0) || double.IsInfinity(config.C))
        {
            Fail("c", $"must be a finite number >= 0, got {config.C}");
        }

        if (config.T is < 2 or > MaxT)
        {
            // The sampler and the DDPM theory hold a few arrays of T values and loop over every step: a mistyped
            // 1e8 took gigabytes and minutes per cell before failing. The paper's T is 1000.
            Fail("T", $"must be an integer from 2 to {MaxT}, got {config.T}");
        }

        if (!(config.BetaMin > 0) || !(config.BetaMin < 1))
        {
            Fail("beta-min", $"must lie in (0, 1), got {config.BetaMin}");
        }

        if (!(config.BetaMax >= config.BetaMin) || !(config.BetaMax < 1))
        {
            Fail("beta-max", $"must lie in [beta-min, 1), got {config.BetaMax}");
        }

        foreach (int t in config.ReportedSteps)
        {
            if (t < 0 || t >= config.T)
            {
                Fail("t", $"reported time steps must lie in 0..T-1 = 0..{config.T - 1}, got {t}");
            }
        }

        if (!(config.Tau >= 0))
        {
            Fail("tau", $"must be >= 0 or inf, got {config.Tau}");
        }

        if (!(config.Eta > 0) || double.IsInfinity(config.Eta))
        {
            Fail("eta", $"must be a finite number > 0, got {config.Eta}");
        }

        if (!(config.InitStd >= 0) || double.IsInfinity(config.InitStd))
        {
            Fail("init-std", $"must be a finite number >= 0, got {config.InitStd}");
        }

        if (config.Seeds < 1)
        {
            Fail("seeds", $"must be at least 1, got {config.Seeds}");
        }

        if (config.Seed0 < 0)
        {
            Fail("seed0", $"must be >= 0, got {config.Seed0}");
        }

        if (config.SpectralGrid < 100)
        {
            Fail("spectral-grid", $"must be at least 100 points per decade, got {config.SpectralGrid}");
        }

        if (config.Spectrum.Kind == SpectrumKind.File && string.IsNullOrWhiteSpace(config.Spectrum.File))
        {
            Fail("spectrum-file", "a file spectrum needs a file name");
        }

        if (config.Spectrum.Kind == SpectrumKind.PowerLaw && (double.IsNaN(config.Spectrum.K) || double.IsInfinity(config.Spectrum.K)))
        {
            Fail("k", $"must be a finite number, got {config.Spectrum.K}");
        }

        return errors;
    }

    public static void ThrowIfInvalid(ModelConfig config)
    {
        var errors = Validate(config);
        if (errors.Count > 0)
        {
            throw new InvalidConfigException(errors);
        }
    }

    /// <summary>
    /// Gradient descent is stable when eta_eff * h_max &lt; 2 (spec S-3); h_max is the largest curvature
    /// over all t for the largest empirical eigenvalue. Returns the largest stable eta.
    /// </summary>
    public static double LargestStableEta(ModelConfig config, NoiseSchedule schedule, double largestEmpiricalEigenvalue)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(schedule);
        double hMax = 0;
        var a = schedule.SignalScale;
        var s = schedule.NoiseScale;
        for (int t = 0; t < schedule.Steps; t++)
        {
            double h = (a[t] * a[t] * (largestEmpiricalEigenvalue + config.C)) + (s[t] * s[t]);
            hMax = Math.Max(hMax, h);
        }

        // 2 eta / d * hMax < 2  <=>  eta < d / hMax
        return config.D / hMax;
    }

    /// <summary>Throws when the dynamics would diverge on data whose largest empirical eigenvalue is given.</summary>
    public static void ThrowIfUnstable(ModelConfig config, NoiseSchedule schedule, double largestEmpiricalEigenvalue)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.IsConverged || config.Dynamics != Dynamics.GradientDescent)
        {
            return;
        }

        double etaMax = LargestStableEta(config, schedule, largestEmpiricalEigenvalue);
        if (!(config.Eta < etaMax))
        {
            throw new InvalidConfigException("eta", $"gradient descent is unstable at eta = {config.Eta:g6}: it needs 2 eta/d * h_max < 2, i.e. eta < {etaMax:g6} for this data (largest empirical eigenvalue {largestEmpiricalEigenvalue:g6})");
        }
    }
}
