using System.Text.Json;

namespace SweepCluster.Sweeps.Exports;

/// <summary>
/// The parameter columns of the tables, read from a cell's canonical parameters rather than its
/// configuration: the canonical form is what the cell id hashes, with settings that do not matter
/// already normalised (eta, dynamics and init_std at tau = inf), so equal cells get equal rows.
/// </summary>
internal static class ParameterColumns
{
    /// <summary>The settings that define a grid point.</summary>
    public static readonly IReadOnlyList<string> GridPoint =
    [
        "d", "N", "spectrum", "k", "spectrum_sha256", "spectrum_normalize", "c", "T", "beta_min", "beta_max",
        "tau", "eta", "dynamics", "init_std", "bias_mode", "sampler_last_noise",
    ];

    /// <summary>What tells cells of one grid point apart: the seed of a simulation, the variant of a theory.</summary>
    public static readonly IReadOnlyList<string> CellOnly = ["seed", "asymptotic_theory", "spectral_grid"];

    /// <summary>Keys of the canonical JSON that the JSON exports leave out of a grid point's "params".</summary>
    public static readonly IReadOnlySet<string> NotGridPoint = new HashSet<string>(StringComparer.Ordinal) { "kind", "seed", "asymptotic_theory", "spectral_grid" };

    /// <summary>Keys of the canonical JSON that the JSON exports leave out of a cell's "params" (it has its own "kind").</summary>
    public static readonly IReadOnlySet<string> NotCell = new HashSet<string>(StringComparer.Ordinal) { "kind" };

    public static IEnumerable<string> GridPointValues(JsonElement canonical)
    {
        var spectrum = Property(canonical, "spectrum");
        yield return Text(Property(canonical, "d"));
        yield return Text(Property(canonical, "N"));
        yield return Text(Property(spectrum, "kind"));
        yield return Text(Property(spectrum, "k"));
        yield return Text(Property(spectrum, "sha256"));
        yield return Text(Property(spectrum, "normalize"));
        foreach (string name in new[] { "c", "T", "beta_min", "beta_max", "tau", "eta", "dynamics", "init_std", "bias_mode", "sampler_last_noise" })
        {
            yield return Text(Property(canonical, name));
        }
    }

    public static IEnumerable<string> CellOnlyValues(JsonElement canonical) => CellOnly.Select(name => Text(Property(canonical, name)));

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

    // A missing key (another model version, or a setting that does not apply) is an empty field, not an error.
    private static JsonElement? Property(JsonElement? element, string name) =>
        element is { ValueKind: JsonValueKind.Object } e && e.TryGetProperty(name, out var value) ? value : null;

    private static string Text(JsonElement? element) => element switch
    {
        null => string.Empty,
        { ValueKind: JsonValueKind.Number } e => e.TryGetInt64(out long l) ? ExportText.Integer(l) : ExportText.Number(e.GetDouble()),
        { ValueKind: JsonValueKind.String } e => e.GetString() ?? string.Empty,
        { ValueKind: JsonValueKind.True } => "true",
        { ValueKind: JsonValueKind.False } => "false",
        _ => string.Empty,
    };
}
