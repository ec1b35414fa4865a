namespace SweepCluster.Sweeps.Cells;

/// <summary>What a cell computes. Stored as text (see <see cref="CellKindNames"/>).</summary>
public enum CellKind
{
    /// <summary>One training-set draw (one seed) of one grid point.</summary>
    Simulation = 1,

    /// <summary>The replica prediction of one grid point; it does not depend on the seed.</summary>
    Theory = 2,

    /// <summary>S-12: a pair of models on disjoint training sets, their NMSD, RP score and the deterministic-equivalent prediction.</summary>
    Repro = 3,

    /// <summary>S-13: GL memorisation scores of the linear model, the optimal empirical denoiser and population samples.</summary>
    Gl = 4,

    /// <summary>S-14: the KL bound by the excess denoising error, the reverse-SDE KL it bounds, and the DDPM KL.</summary>
    Bound = 5,

    /// <summary>S-15: mixtures of low-rank Gaussians, K-subspaces recovery (K >= 2) or the linear model (K = 1).</summary>
    Molrg = 6,
}
