using SweepCluster.Model.Configuration;
using SweepCluster.Model.Generalisation.Reproducibility;

namespace SweepCluster.Model.Generalisation.Memorisation;

/// <summary>
/// One S-13 configuration: the linear model (<see cref="Model"/>; its training set is the one of seed0, the
/// cross-set pair uses seeds seed0 and seed0 + 1) and the draws. Every generator reads the NOISE_SEED stream with
/// the DDPM layout (J = T + 1); the population baseline reads FRESH_SEED.
/// </summary>
public sealed record MemorisationConfig
{
    public ModelConfig Model { get; init; } = new();

    /// <summary>Draws per generator.</summary>
    public int Draws { get; init; } = 200;

    public ulong NoiseSeed { get; init; } = NoiseBlocks.NoiseSeed;

    public ulong FreshSeed { get; init; } = NoiseBlocks.FreshSeed;

    /// <summary>The training set of the scored models.</summary>
    public ulong TrainingSeed => (ulong)Model.Seed0;

    /// <summary>The second model of the cross-set pair.</summary>
    public ulong PairSeed => (ulong)(Model.Seed0 + 1);

    /// <summary>Throws an <see cref="ArgumentException"/> naming what is wrong.</summary>
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

        if (Draws < 1)
        {
            throw new ArgumentException($"the scores need at least one draw, got {Draws}", nameof(Draws));
        }

        if (Model.InitStd != 0)
        {
            throw new ArgumentException($"a sampled model needs a definite W_0; init_std must be 0, got {Model.InitStd}", nameof(Model));
        }
    }
}
