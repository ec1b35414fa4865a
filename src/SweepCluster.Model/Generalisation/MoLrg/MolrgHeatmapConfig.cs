namespace SweepCluster.Model.Generalisation.MoLrg;

/// <summary>
/// A MoLRG recovery experiment (spec S-15.4): rows r in <see cref="RankList"/>, columns n_k in
/// <see cref="SamplesPerComponentList"/> (N = K n_k), <see cref="Trials"/> trials per cell with seeds seed0 + q.
/// Defaults are the spec's (K = 2, delta = 0, orthogonal bases, R = 10, max_iter = 100, D &lt;= 0.1).
/// </summary>
public sealed record MolrgHeatmapConfig
{
    public int D { get; init; } = 30;

    /// <summary>K, the number of components.</summary>
    public int K { get; init; } = 2;

    public IReadOnlyList<int> RankList { get; init; } = [1, 2, 3, 4];

    /// <summary>n_k, samples per component.</summary>
    public IReadOnlyList<int> SamplesPerComponentList { get; init; } = [1, 2, 3, 4, 5, 6, 8];

    /// <summary>The isotropic floor delta.</summary>
    public double Delta { get; init; }

    /// <summary>One random orthogonal matrix cut into K blocks (true), or each basis orthonormalised alone.</summary>
    public bool Orthogonal { get; init; } = true;

    public int Trials { get; init; } = 20;

    public int Restarts { get; init; } = 10;

    public int MaxIterations { get; init; } = 100;

    /// <summary>Success means D &lt;= threshold.</summary>
    public double Threshold { get; init; } = SubspaceRecovery.DefaultThreshold;

    public long Seed0 { get; init; }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        if (D < 1)
        {
            throw new ArgumentException($"d must be at least 1, got {D}", nameof(D));
        }

        if (K < 1 || K > SubspaceRecovery.MaxComponents)
        {
            throw new ArgumentException($"K must be in 1..{SubspaceRecovery.MaxComponents}, got {K}", nameof(K));
        }

        if (RankList is null || RankList.Count == 0 || RankList.Any(r => r < 1 || r > D || (Orthogonal && K * r > D)))
        {
            throw new ArgumentException($"r_list must be non-empty with 1 <= r <= d{(Orthogonal ? " and K r <= d (orthogonal bases)" : string.Empty)}", nameof(RankList));
        }

        if (SamplesPerComponentList is null || SamplesPerComponentList.Count == 0 || SamplesPerComponentList.Any(n => n < 1))
        {
            throw new ArgumentException("Nk_list must be non-empty with every n_k >= 1", nameof(SamplesPerComponentList));
        }

        if (!(Delta >= 0) || double.IsInfinity(Delta))
        {
            throw new ArgumentException($"delta must be finite and >= 0, got {Delta}", nameof(Delta));
        }

        if (Trials < 1)
        {
            throw new ArgumentException($"trials must be at least 1, got {Trials}", nameof(Trials));
        }

        if (Restarts < 1)
        {
            throw new ArgumentException($"restarts must be at least 1, got {Restarts}", nameof(Restarts));
        }

        if (MaxIterations < 1)
        {
            throw new ArgumentException($"max_iter must be at least 1, got {MaxIterations}", nameof(MaxIterations));
        }

        if (!(Threshold >= 0) || !(Threshold <= 1))
        {
            throw new ArgumentException($"threshold must be in [0, 1] (D is), got {Threshold}", nameof(Threshold));
        }

        if (Seed0 < 0)
        {
            throw new ArgumentException($"seed0 must be non-negative, got {Seed0}", nameof(Seed0));
        }
    }
}
