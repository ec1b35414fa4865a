using SweepCluster.Sweeps.Families;

namespace SweepCluster.Sweeps.Reports;

/// <summary>
/// The grid axes a report can put on x, split into series or facet, under the names grid files use
/// (docs/grid-format.md), plus the derived <c>n_over_d</c> = N/d. <c>k</c> is the power-law exponent (0 for the
/// identity spectrum, which is the same spectrum); a file spectrum has no k and is told apart by <c>spectrum</c>.
/// </summary>
public static class ReportAxes
{
    /// <summary>Every axis, in the order the parameter table lists them; the generalisation families' settings last.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        "d", "N", "n_over_d", "spectrum", "k", "c", "T", "beta_min", "beta_max", "tau", "eta", "dynamics", "init_std", "bias_mode", "sampler_last_noise",
        .. FamilyKeys.All.Select(k => k.Name),
    ];

    /// <summary>Axes with numeric values: the ones that can be the x of a plot.</summary>
    public static IReadOnlyList<string> Numeric { get; } =
    [
        "d", "N", "n_over_d", "k", "c", "T", "beta_min", "beta_max", "tau", "eta", "init_std",
        .. FamilyKeys.All.Where(k => k.Type is FamilyValueType.WholeNumber or FamilyValueType.RealNumber).Select(k => k.Name),
    ];

    /// <summary>The candidates for the default x, in order of preference on a tie.</summary>
    public static IReadOnlyList<string> DefaultX { get; } = ["N", "c", "tau"];

    /// <summary>The candidates for the default series (the first varying one that is not x wins).</summary>
    public static IReadOnlyList<string> DefaultSeries { get; } =
        [
            "k", "spectrum", FamilyKeys.Sampler, FamilyKeys.R, "c", "d", "N", "n_over_d", "tau", "eta", "dynamics", "init_std", "bias_mode", "T", "beta_min", "beta_max",
            "sampler_last_noise", FamilyKeys.K, FamilyKeys.Delta, FamilyKeys.Nk,
        ];

    /// <summary>Whether a name is a report axis.</summary>
    public static bool IsAxis(string name) => All.Contains(name, StringComparer.Ordinal);

    /// <summary>An axis label: the name with what it means.</summary>
    public static string Label(string axis) => axis switch
    {
        "d" => "d (dimension)",
        "N" => "N (training samples)",
        "n_over_d" => "N/d (samples per dimension)",
        "k" => "k (power-law exponent)",
        "c" => "c (ridge)",
        "T" => "T (diffusion steps)",
        "tau" => "τ (training time)",
        "eta" => "η (learning rate)",
        "init_std" => "init_std (initial weight scale)",
        "beta_min" => "β_min (noise schedule, first step)",
        "beta_max" => "β_max (noise schedule, last step)",
        FamilyKeys.Nk => "n_k (training samples per component)",
        FamilyKeys.R => "r (rank of each component)",
        FamilyKeys.K => "K (mixture components)",
        FamilyKeys.Delta => "δ (isotropic floor)",
        FamilyKeys.Pairs => "pairs of disjoint training sets",
        FamilyKeys.Draws => "draws per model",
        _ => axis,
    };
}
