using SweepCluster.Model.Configuration;

namespace SweepCluster.Model.Generalisation.Reproducibility;

/// <summary>
/// One S-12 configuration: the linear model of both training sets (<see cref="Model"/>: d, N, spectrum, c, T, betas,
/// tau, eta, dynamics, bias mode, last-step noise, seed0, and Theory/SpectralGrid for S-12.4) and the experiment.
/// Pair p uses the data seeds (seed0 + 2p, seed0 + 2p + 1).
/// </summary>
public sealed record ReproducibilityConfig
{
    public ModelConfig Model { get; init; } = new();

    public Sampler Sampler { get; init; } = Sampler.Ddpm;

    /// <summary>Number of pairs of disjoint training sets.</summary>
    public int Pairs { get; init; } = 1;

    /// <summary>Monte-Carlo draws per pair; 0 skips the Monte Carlo.</summary>
    public int Draws { get; init; } = 500;

    /// <summary>The seed of the shared noise stream (NOISE_SEED).</summary>
    public ulong NoiseSeed { get; init; } = NoiseBlocks.NoiseSeed;

    /// <summary>The data seeds of pair p.</summary>
    public (ulong First, ulong Second) SeedsOfPair(int pair) => ((ulong)(Model.Seed0 + (2L * pair)), (ulong)(Model.Seed0 + (2L * pair) + 1));

    /// <summary>Throws an <see cref="ArgumentException"/> naming what is wrong (spec S-12.6).</summary>
    public void Validate()
    {
        if (Model is null)
        {
            throw new ArgumentException("the model settings are missing", nameof(Model));
        }

        if (Model.D < 1 || Model.N < 1)
        {
            throw new ArgumentException($"need d >= 1 and N >= 1, got d = {Model.D}, N = {Model.N}", nameof(Model));
        }

        if (Pairs < 1)
        {
            throw new ArgumentException($"need at least one pair, got {Pairs}", nameof(Pairs));
        }

        if (Draws < 0)
        {
            throw new ArgumentException($"draws must be >= 0, got {Draws}", nameof(Draws));
        }

        if (Sampler == Sampler.Ode && !Model.IsConverged)
        {
            throw new ArgumentException($"the ode sampler is defined only for converged models (tau = infinity), got tau = {Model.Tau}", nameof(Sampler));
        }

        if (Model.InitStd != 0)
        {
            throw new ArgumentException($"a sampled model needs a definite W_0; init_std must be 0, got {Model.InitStd}", nameof(Model));
        }
    }
}
