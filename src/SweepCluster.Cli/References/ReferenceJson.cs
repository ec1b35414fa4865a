using System.Text.Json;

namespace SweepCluster.Cli.References;

/// <summary>
/// Fields of a reference configuration (generalisation-public.json's <c>config</c> and <c>params</c>), each
/// optional: an absent or null field takes the spec's default (S-10), a field of the wrong type is a
/// <see cref="ReferenceFormatException"/> that names it.
/// </summary>
internal readonly struct ReferenceJson(JsonElement element, string where)
{
    public static ReferenceJson Of(JsonElement parent, string name, string where) =>
        new(parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var e) ? e : default, $"{where}.{name}");

    public bool Has(string name) => TryGet(name, out _);

    public int Int(string name, int fallback) => TryGet(name, out var e) ? Read(name, e, () => e.GetInt32()) : fallback;

    public long Long(string name, long fallback) => TryGet(name, out var e) ? Read(name, e, () => e.GetInt64()) : fallback;

    public ulong ULong(string name, ulong fallback) => TryGet(name, out var e) ? Read(name, e, () => e.GetUInt64()) : fallback;

    public double Double(string name, double fallback) => TryGet(name, out var e) ? Read(name, e, () => e.GetDouble()) : fallback;

    public bool Bool(string name, bool fallback) => TryGet(name, out var e) ? Read(name, e, () => e.GetBoolean()) : fallback;

    public string? Text(string name) => TryGet(name, out var e) ? Read(name, e, () => e.GetString()) : null;

    public int[]? Ints(string name) =>
        TryGet(name, out var e) ? Read(name, e, () => e.EnumerateArray().Select(x => x.GetInt32()).ToArray()) : null;

    private bool TryGet(string name, out JsonElement value)
    {
        value = default;
        return element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;
    }

    private T Read<T>(string name, JsonElement e, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception x) when (x is InvalidOperationException or FormatException)
        {
            throw new ReferenceFormatException($"{where}.{name}: {e.GetRawText()} is not a valid {typeof(T).Name.ToLowerInvariant()}");
        }
    }
}

/// <summary>A reference file that is not in the format of generalisation-public.json; the message names the field.</summary>
public sealed class ReferenceFormatException(string message) : Exception(message);
