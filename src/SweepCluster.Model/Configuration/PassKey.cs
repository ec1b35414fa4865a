using SweepCluster.Model.Diffusion;

namespace SweepCluster.Model.Configuration;

/// <summary>
/// What a pass over the modes (or the theory's nodes) depends on apart from the training time and the reported
/// steps (and, for the converged model, the ridge): configs with equal keys can share one pass, one vector lane each.
/// </summary>
public readonly record struct PassKey(
    bool Converged,
    double C,
    double EffectiveLearningRate,
    Dynamics Dynamics,
    double InitStd,
    bool SamplerLastNoise,
    BiasMode BiasMode,
    bool AsymptoticTheory,
    int N,
    int T,
    double BetaMin,
    double BetaMax)
{
    public static PassKey Of(ModelConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        // Converged lanes need no decay base, the one quantity that lanes must share h for; their c is per lane.
        return new PassKey(config.IsConverged, config.IsConverged ? 0.0 : config.C, config.EffectiveLearningRate, config.Dynamics, config.InitStd, config.SamplerLastNoise, config.BiasMode, config.AsymptoticTheory, config.N, config.T, config.BetaMin, config.BetaMax);
    }

    /// <summary>Throws unless every config has the key of the first.</summary>
    public static void ThrowIfMixed(IReadOnlyList<ModelConfig> configs)
    {
        ArgumentNullException.ThrowIfNull(configs);
        if (configs.Count == 0)
        {
            throw new ArgumentException("a pass needs at least one config", nameof(configs));
        }

        var key = Of(configs[0]);
        if (configs.Any(c => Of(c) != key))
        {
            throw new ArgumentException("the configs of one pass may differ in tau and the reported steps only (converged ones also in c)", nameof(configs));
        }
    }
}
