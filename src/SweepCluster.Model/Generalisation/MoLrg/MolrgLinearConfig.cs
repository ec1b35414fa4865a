using SweepCluster.Model.Configuration;

namespace SweepCluster.Model.Generalisation.MoLrg;

/// <summary>
/// K = 1 through the linear model (spec S-15.5): the population covariance U U^T + delta I has eigenvalues
/// 1 + delta (r times) and delta (d - r times), run through S-1..S-6 as an unnormalised spectrum.
/// <see cref="Model"/> supplies everything else (d, N, c, tau, schedule, seeds, theory); its spectrum field is
/// replaced by a description of this one.
/// </summary>
public sealed record MolrgLinearConfig(ModelConfig Model, int Rank, double Delta = MolrgLinearConfig.DefaultDelta)
{
    /// <summary>The spec's default floor for K = 1 runs; delta = 0 is not allowed.</summary>
    public const double DefaultDelta = 1e-3;
}
