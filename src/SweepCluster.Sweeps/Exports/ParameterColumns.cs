using System.Text.Json;
using SweepCluster.Sweeps.Families;

namespace SweepCluster.Sweeps.Exports;

/// <summary>
/// The parameter columns of the tables, read from a cell's canonical parameters rather than its
/// configuration: the canonical form is what the cell id hashes, with settings that do not matter
/// already normalised (eta, dynamics and init_std at tau = inf), so equal cells get equal rows.
/// </summary>
internal static class ParameterColumns
{
    /// <summary>The settings that define a grid point.</summary>
    public static readonly IReadOnlyList<ParameterColumn> GridPoint =
    [
        new("d", ParameterType.Integer, "d"),
        new("N", ParameterType.Integer, "N"),
        new("spectrum", ParameterType.Text, "spectrum", "kind"),
        new("k", ParameterType.Real, "spectrum", "k"),
        new("spectrum_sha256", ParameterType.Text, "spectrum", "sha256"),
        new("spectrum_normalize", ParameterType.Boolean, "spectrum", "normalize"),
        new("c", ParameterType.Real, "c"),
        new("T", ParameterType.Integer, "T"),
        new("beta_min", ParameterType.Real, "beta_min"),
        new("beta_max", ParameterType.Real, "beta_max"),
        new("tau", ParameterType.Real, "tau"),
        new("eta", ParameterType.Real, "eta"),
        new("dynamics", ParameterType.Text, "dynamics"),
        new("init_std", ParameterType.Real, "init_std"),
        new("bias_mode", ParameterType.Text, "bias_mode"),
        new("sampler_last_noise", ParameterType.Boolean, "sampler_last_noise"),
    ];

    /// <summary>What tells cells of one grid point apart: the seed of a simulation, the variant of a theory.</summary>
    public static readonly IReadOnlyList<ParameterColumn> CellOnly =
    [
        new("seed", ParameterType.Integer, "seed"),
        new("asymptotic_theory", ParameterType.Boolean, "asymptotic_theory"),
        new("spectral_grid", ParameterType.Integer, "spectral_grid"),
    ];

    /// <summary>Keys of the canonical JSON that the JSON exports leave out of a grid point's "params".</summary>
    public static readonly IReadOnlySet<string> NotGridPoint = new HashSet<string>(StringComparer.Ordinal) { "kind", "seed", "asymptotic_theory", "spectral_grid" };

    /// <summary>Keys of the canonical JSON that the JSON exports leave out of a cell's "params" (it has its own "kind").</summary>
    public static readonly IReadOnlySet<string> NotCell = new HashSet<string>(StringComparer.Ordinal) { "kind" };

    public static IEnumerable<string> Values(IEnumerable<ParameterColumn> columns, JsonElement canonical) => columns.Select(c => c.Text(canonical));

    /// <summary>
    /// The grid-point columns of a sweep: <see cref="GridPoint"/>, then one column per family setting its cells use,
    /// in the order of <see cref="FamilyKeys.All"/> (a paper sweep has none, so its tables keep their columns).
    /// </summary>
    public static IReadOnlyList<ParameterColumn> GridPointWith(IReadOnlySet<string> familyKeys) =>
    [
        .. GridPoint,
        .. FamilyKeys.All.Where(k => familyKeys.Contains(k.Name)).Select(k => new ParameterColumn(k.Name, TypeOf(k.Type), FamilyKeys.Family, k.Name)),
    ];

    private static ParameterType TypeOf(FamilyValueType type) => type switch
    {
        FamilyValueType.WholeNumber => ParameterType.Integer,
        FamilyValueType.RealNumber => ParameterType.Real,
        FamilyValueType.Flag => ParameterType.Boolean,
        _ => ParameterType.Text,
    };


    /// <summary>Copies the canonical object without the given keys, keeping its order.</summary>
    public static void WriteObject(Utf8JsonWriter writer, string name, JsonElement canonical, IReadOnlySet<string> leaveOut)
    {
        writer.WriteStartObject(name);
        foreach (var property in canonical.EnumerateObject())
        {
            if (!leaveOut.Contains(property.Name))
            {
                property.WriteTo(writer);
            }
        }

        writer.WriteEndObject();
    }
}
