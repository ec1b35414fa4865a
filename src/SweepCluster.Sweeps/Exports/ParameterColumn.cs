using System.Text.Json;

namespace SweepCluster.Sweeps.Exports;

/// <summary>The type a parameter column has in a typed export (Parquet); text formats spell every type as text.</summary>
internal enum ParameterType
{
    Integer,
    Real,
    Text,
    Boolean,
}

/// <summary>
/// One parameter column: its name in the tables, its type, and where its value sits in a cell's canonical
/// parameters (a key, or a member of the object under that key, as the spectrum's "kind").
/// A missing key (another model version, or a setting that does not apply) is an empty value, not an error.
/// </summary>
internal sealed record ParameterColumn(string Name, ParameterType Type, string Key, string? Member = null)
{
    public string Text(JsonElement canonical) => Read(canonical) switch
    {
        null => string.Empty,
        { ValueKind: JsonValueKind.Number } e => e.TryGetInt64(out long l) ? ExportText.Integer(l) : ExportText.Number(e.GetDouble()),
        { ValueKind: JsonValueKind.String } e => e.GetString() ?? string.Empty,
        { ValueKind: JsonValueKind.True } => "true",
        { ValueKind: JsonValueKind.False } => "false",
        _ => string.Empty,
    };

    public long? Integer(JsonElement canonical) => Read(canonical) is { ValueKind: JsonValueKind.Number } e && e.TryGetInt64(out long l) ? l : null;

    /// <summary>A number; the canonical form spells a non-finite one as a string ("inf", as tau = inf).</summary>
    public double? Real(JsonElement canonical) => Read(canonical) switch
    {
        { ValueKind: JsonValueKind.Number } e => e.GetDouble(),
        { ValueKind: JsonValueKind.String } e => e.GetString() switch
        {
            "inf" => double.PositiveInfinity,
            "-inf" => double.NegativeInfinity,
            _ => null,
        },
        _ => null,
    };

    public bool? Boolean(JsonElement canonical) => Read(canonical) switch
    {
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        _ => null,
    };

    private JsonElement? Read(JsonElement canonical)
    {
        var value = Property(canonical, Key);
        return Member is null ? value : Property(value, Member);
    }

    private static JsonElement? Property(JsonElement? element, string name) =>
        element is { ValueKind: JsonValueKind.Object } e && e.TryGetProperty(name, out var value) ? value : null;
}
