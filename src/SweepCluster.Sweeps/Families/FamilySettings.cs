using System.Globalization;
using System.Text.Json;

namespace SweepCluster.Sweeps.Families;

/// <summary>
/// The settings of a generalisation-family cell beyond the linear model's (the sampler of a repro pair, the draws of
/// gl, the rank of a MoLRG cell...), by the names of <see cref="FamilyKeys"/>. Values are integers, reals, names or
/// booleans; they are kept sorted by name, so equal settings write equal JSON and give equal cell ids.
/// </summary>
public sealed class FamilySettings
{
    private readonly SortedDictionary<string, object> _values;

    public FamilySettings(IEnumerable<KeyValuePair<string, object>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        _values = new SortedDictionary<string, object>(StringComparer.Ordinal);
        foreach (var (key, value) in values)
        {
            _values[key] = value switch
            {
                int i => (long)i,
                long or double or string or bool => value,
                _ => throw new ArgumentException($"family setting {key}: {value?.GetType().Name ?? "null"} is not an integer, real, name or boolean", nameof(values)),
            };
        }
    }

    public static FamilySettings Empty { get; } = new([]);

    public IReadOnlyDictionary<string, object> Values => _values;

    /// <summary>These settings with one more (or one replaced).</summary>
    public FamilySettings With(string key, object value) => new(_values.Append(new(key, value)));

    public bool Has(string key) => _values.ContainsKey(key);

    public long Get(string key, long fallback) => _values.TryGetValue(key, out var v) ? Convert.ToInt64(v, CultureInfo.InvariantCulture) : fallback;

    public int Get(string key, int fallback) => checked((int)Get(key, (long)fallback));

    public double Get(string key, double fallback) => _values.TryGetValue(key, out var v) ? Convert.ToDouble(v, CultureInfo.InvariantCulture) : fallback;

    public string? Name(string key) => _values.TryGetValue(key, out var v) ? v as string ?? Convert.ToString(v, CultureInfo.InvariantCulture) : null;

    public bool Get(string key, bool fallback) => _values.TryGetValue(key, out var v) ? v is bool b ? b : throw new FormatException($"family setting {key} is not true or false") : fallback;

    /// <summary>Writes the settings as one JSON object, keys in order, reals in round-trip form.</summary>
    public void Write(Utf8JsonWriter writer, string name)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject(name);
        foreach (var (key, value) in _values)
        {
            switch (value)
            {
                case long l:
                    writer.WriteNumber(key, l);
                    break;
                case double d:
                    writer.WriteNumber(key, d);
                    break;
                case bool b:
                    writer.WriteBoolean(key, b);
                    break;
                default:
                    writer.WriteString(key, (string)value);
                    break;
            }
        }

        writer.WriteEndObject();
    }

    /// <summary>Reads an object written by <see cref="Write"/>: a number without a fraction or exponent is an integer.</summary>
    public static FamilySettings Read(JsonElement element)
    {
        var values = new List<KeyValuePair<string, object>>();
        foreach (var p in element.EnumerateObject())
        {
            object value = p.Value.ValueKind switch
            {
                JsonValueKind.Number when p.Value.TryGetInt64(out long l) && !p.Value.GetRawText().AsSpan().ContainsAny(".eE") => l,
                JsonValueKind.Number => p.Value.GetDouble(),
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                JsonValueKind.String => p.Value.GetString()!,
                _ => throw new FormatException($"family setting {p.Name}: {p.Value.ValueKind} is not an integer, real, name or boolean"),
            };
            values.Add(new(p.Name, value));
        }

        return new FamilySettings(values);
    }
}
