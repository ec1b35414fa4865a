namespace SweepCluster.Model.Diffusion;

/// <summary>
/// The DDPM variance-preserving schedule of spec S-1, 0-based as in the authors' code:
/// beta_t = beta_min + (beta_max - beta_min) t / (T - 1), abar_t = prod_{s &lt;= t} (1 - beta_s).
/// </summary>
public sealed class NoiseSchedule
{
    private readonly double[] _beta;
    private readonly double[] _abar;
    private readonly double[] _a;
    private readonly double[] _s;

    public NoiseSchedule(int steps, double betaMin, double betaMax)
    {
        if (steps < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(steps), steps, "T must be at least 2");
        }

        if (!(betaMin > 0) || !(betaMax >= betaMin) || !(betaMax < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(betaMax), $"need 0 < beta_min <= beta_max < 1, got beta_min = {betaMin}, beta_max = {betaMax}");
        }

        Steps = steps;
        BetaMin = betaMin;
        BetaMax = betaMax;
        _beta = new double[steps];
        _abar = new double[steps];
        _a = new double[steps];
        _s = new double[steps];
        double prod = 1.0;
        for (int t = 0; t < steps; t++)
        {
            _beta[t] = betaMin + ((betaMax - betaMin) * t / (steps - 1));
            prod *= 1.0 - _beta[t];
            _abar[t] = prod;
            _a[t] = Math.Sqrt(prod);
            _s[t] = Math.Sqrt(1.0 - prod);
        }
    }

    /// <summary>T, the number of time steps.</summary>
    public int Steps { get; }

    public double BetaMin { get; }

    public double BetaMax { get; }

    public ReadOnlySpan<double> Beta => _beta;

    public ReadOnlySpan<double> AlphaBar => _abar;

    /// <summary>a_t = sqrt(abar_t), the signal scale.</summary>
    public ReadOnlySpan<double> SignalScale => _a;

    /// <summary>s_t = sqrt(1 - abar_t), the noise scale.</summary>
    public ReadOnlySpan<double> NoiseScale => _s;
}
