using SweepCluster.Model.Configuration;
using SweepCluster.Model.Generalisation.MoLrg;
using SweepCluster.Sweeps.Cells;

namespace SweepCluster.Sweeps.Families;

/// <summary>
/// Every setting of the generalisation families beyond the linear model's, with the family that takes it. The
/// defaults are the spec's (docs/generalisation.md) and live with the experiments; a cell stores only what its
/// grid gave, so a default that changes in a new model version comes with a new version, not a silent change.
/// </summary>
public static class FamilyKeys
{
    public const string Family = "family";
    public const string Sampler = "sampler";
    public const string Pairs = "pairs";
    public const string Draws = "draws";
    public const string NoiseSeed = "noise_seed";
    public const string FreshSeed = "fresh_seed";
    public const string LogStep = "log_step";
    public const string K = "K";
    public const string R = "r";
    public const string Nk = "Nk";
    public const string Delta = "delta";
    public const string Orthogonal = "orthogonal";
    public const string Trials = "trials";
    public const string Restarts = "restarts";
    public const string MaxIter = "max_iter";
    public const string Threshold = "threshold";

    /// <summary>The largest seed a stream takes (as for seeds: 2^53, exact in a double).</summary>
    private const double MaxSeed = 9007199254740992;

    private static readonly CellKind[] s_repro = [CellKind.Repro];
    private static readonly CellKind[] s_reproGl = [CellKind.Repro, CellKind.Gl];
    private static readonly CellKind[] s_molrg = [CellKind.Molrg];

    public static IReadOnlyList<FamilyKey> All { get; } =
    [
        new(Sampler, s_repro, FamilyValueType.Name, _ => true, "ddpm or ode", "the sampler of both models: ddpm, or ode (the probability-flow map of a converged model)", ["ddpm", "ode"]),
        new(Pairs, s_repro, FamilyValueType.WholeNumber, v => v >= 1 && v <= 10_000, "an integer from 1 to 10000", "pairs of disjoint training sets; pair p trains on seeds seed0 + 2p and seed0 + 2p + 1"),
        new(Draws, s_reproGl, FamilyValueType.WholeNumber, v => v >= 0 && v <= 1_000_000, "an integer from 0 to 1000000 (repro: 0 skips the Monte Carlo; gl needs at least 1)", "Monte-Carlo draws per pair (repro) or per generator (gl)"),
        new(NoiseSeed, s_reproGl, FamilyValueType.WholeNumber, v => v >= 0 && v <= MaxSeed, "an integer from 0 to 2^53", "the seed of the shared noise stream"),
        new(FreshSeed, [CellKind.Gl], FamilyValueType.WholeNumber, v => v >= 0 && v <= MaxSeed, "an integer from 0 to 2^53", "the seed of the fresh population samples"),
        new(LogStep, [CellKind.Bound], FamilyValueType.RealNumber, v => v > 0 && v <= 0.1, "a number in (0, 0.1]", "the step of the uniform ln-sigma quadrature grid"),
        new(K, s_molrg, FamilyValueType.WholeNumber, v => v >= 1 && v <= SubspaceRecovery.MaxComponents, $"an integer from 1 to {SubspaceRecovery.MaxComponents} (the permutation search tries K! matchings)", "components of the mixture; K = 1 runs the linear model on the rank-r spectrum with its floor"),
        new(R, s_molrg, FamilyValueType.WholeNumber, v => v >= 1, "an integer >= 1 (at most d, and K r <= d for orthogonal bases)", "the rank of every component"),
        new(Nk, s_molrg, FamilyValueType.WholeNumber, v => v >= 1 && v <= 1_000_000, "an integer from 1 to 1000000", "training samples per component (N = K Nk); K >= 2"),
        new(Delta, s_molrg, FamilyValueType.RealNumber, v => v >= 0 && double.IsFinite(v), "a finite number >= 0 (K = 1 needs delta > 0)", "the isotropic floor of every component"),
        new(Orthogonal, s_molrg, FamilyValueType.Flag, _ => true, "true or false", "one random orthogonal matrix cut into K bases (true), or each basis drawn alone"),
        new(Trials, s_molrg, FamilyValueType.WholeNumber, v => v >= 1 && v <= 100_000, "an integer from 1 to 100000", "trials per cell; trial q uses seed seed0 + q"),
        new(Restarts, s_molrg, FamilyValueType.WholeNumber, v => v >= 1 && v <= 10_000, "an integer from 1 to 10000", "random restarts of K-subspaces"),
        new(MaxIter, s_molrg, FamilyValueType.WholeNumber, v => v >= 1 && v <= 100_000, "an integer from 1 to 100000", "iterations of K-subspaces per restart"),
        new(Threshold, s_molrg, FamilyValueType.RealNumber, v => v > 0 && v <= 1, "a number in (0, 1]", "success means the recovery distance D is at most this"),
    ];

    public static FamilyKey? Find(string name) => All.FirstOrDefault(k => k.Name == name);

    /// <summary>The keys a family takes, in the order of <see cref="All"/>.</summary>
    public static IEnumerable<FamilyKey> Of(CellKind family) => All.Where(k => k.Families.Contains(family));

    /// <summary>Whether the cell is MoLRG with K >= 2 components (K-subspaces, N = K Nk), rather than the linear model.</summary>
    public static bool IsSubspaces(CellKind family, FamilySettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return family == CellKind.Molrg && settings.Get(K, 2) >= 2;
    }

    /// <summary>The model settings a cell of the family runs with: K-subspaces draws N = K Nk samples, the others N.</summary>
    public static ModelConfig CellModel(CellKind family, ModelConfig model, FamilySettings settings)
    {
        ArgumentNullException.ThrowIfNull(model);
        return IsSubspaces(family, settings) ? model with { N = settings.Get(K, 2) * settings.Get(Nk, 1) } : model;
    }

    /// <summary>
    /// Whether a cell of the family is one training-set draw: then the grid's seeds give one cell each, as for the
    /// paper's simulation cells (gl; bound; molrg with K = 1). A repro cell holds its pairs and a MoLRG cell with
    /// K >= 2 its trials, both seeded from seed0.
    /// </summary>
    public static bool IsPerSeed(CellKind family, FamilySettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return family switch
        {
            CellKind.Gl or CellKind.Bound => true,
            CellKind.Molrg => !IsSubspaces(family, settings),
            _ => false,
        };
    }
}
