using System.Globalization;
using System.Text.Json;

namespace SweepCluster.Sweeps.Reports;

/// <summary>
/// A grid point's axis values read from its canonical parameters (GridPointSummary.CanonicalParameters),
/// which is what the cell ids hash: settings that do not matter are already normalised there (eta at
/// tau = inf, power law k = 0 as the identity), so equal points have equal values.
/// </summary>
internal sealed class PointParameters
{
    private readonly Dictionary<string, ParameterValue> _values = new(StringComparer.Ordinal);

    private PointParameters()
    {
    }

    /// <summary>The model version the cell ids were made with.</summary>
    public string ModelVersion { get; private init; } = string.Empty;

    /// <summary>The reported steps t, as text (a setting of the sweep, not an axis).</summary>
    public string ReportedSteps { get; private init; } = string.Empty;

    /// <summary>Reads the axis values; texts that repeat across points are shared through <paramref name="pool"/> (a report holds every point).</summary>
    public static PointParameters Parse(string canonicalParameters, ReportPointPool pool)
    {
        ArgumentNullException.ThrowIfNull(canonicalParameters);
        ArgumentNullException.ThrowIfNull(pool);
        using var document = JsonDocument.Parse(canonicalParameters);
        var root = document.RootElement;
        var p = new PointParameters
        {
            ModelVersion = pool.Text(root.TryGetProperty("model", out var model) && model.ValueKind == JsonValueKind.String ? model.GetString() ?? string.Empty : string.Empty),
            ReportedSteps = pool.Text(root.TryGetProperty("t", out var t) && t.ValueKind == JsonValueKind.Array
                ? string.Join(", ", t.EnumerateArray().Select(s => s.GetRawText()))
                : string.Empty),
        };

        foreach (string name in new[] { "d", "N", "c", "T", "beta_min", "beta_max", "tau", "eta", "init_std" })
        {
            if (Number(root, name) is { } value)
            {
                p._values[name] = ParameterValue.Of(value);
            }
        }

        foreach (string name in new[] { "dynamics", "bias_mode", "sampler_last_noise" })
        {
            if (root.TryGetProperty(name, out var value))
            {
                p._values[name] = ParameterValue.Of(value.ValueKind == JsonValueKind.String ? value.GetString() ?? string.Empty : value.GetRawText());
            }
        }

        if (Number(root, "d") is { } d && Number(root, "N") is { } n && d > 0)
        {
            p._values["n_over_d"] = ParameterValue.Of(n / d);
        }

        if (root.TryGetProperty("spectrum", out var spectrum) && spectrum.ValueKind == JsonValueKind.Object)
        {
            ReadSpectrum(p._values, spectrum);
        }

        // A generalisation family's own settings are axes under their grid names (r, Nk, sampler, ...).
        if (root.TryGetProperty("family", out var family) && family.ValueKind == JsonValueKind.Object)
        {
            foreach (var setting in family.EnumerateObject())
            {
                p._values[setting.Name] = setting.Value.ValueKind switch
                {
                    JsonValueKind.Number => ParameterValue.Of(setting.Value.GetDouble()),
                    JsonValueKind.String => ParameterValue.Of(setting.Value.GetString() ?? string.Empty),
                    _ => ParameterValue.Of(setting.Value.GetRawText()),
                };
            }
        }

        var pooled = new PointParameters { ModelVersion = p.ModelVersion, ReportedSteps = p.ReportedSteps };
        pooled._values.EnsureCapacity(p._values.Count);
        foreach (var (name, value) in p._values)
        {
            pooled._values[pool.Text(name)] = value with { Text = pool.Text(value.Text) };
        }

        return pooled;
    }

    /// <summary>The value of an axis; false when this point has none (k of a file spectrum, an unknown name).</summary>
    public bool TryGet(string axis, out ParameterValue value) => _values.TryGetValue(axis, out value);

    /// <summary>The numeric value of an axis, or null.</summary>
    public double? Number(string axis) => _values.TryGetValue(axis, out var v) ? v.Number : null;

    private static void ReadSpectrum(Dictionary<string, ParameterValue> values, JsonElement spectrum)
    {
        string kind = spectrum.TryGetProperty("kind", out var k) ? k.GetString() ?? string.Empty : string.Empty;
        switch (kind)
        {
            case "identity":
                values["spectrum"] = ParameterValue.Of("identity");
                values["k"] = ParameterValue.Of(0.0);
                break;
            case "powerlaw":
                double exponent = Number(spectrum, "k") ?? double.NaN;
                values["spectrum"] = ParameterValue.Of("powerlaw k=" + ParameterValue.Format(exponent));
                values["k"] = ParameterValue.Of(exponent);
                break;
            default:
                // A file spectrum is known by the hash of its text; a prefix is enough to tell files apart.
                string hash = spectrum.TryGetProperty("sha256", out var h) ? h.GetString() ?? string.Empty : string.Empty;
                bool normalized = !spectrum.TryGetProperty("normalize", out var norm) || norm.ValueKind != JsonValueKind.False;
                values["spectrum"] = ParameterValue.Of(string.Create(CultureInfo.InvariantCulture, $"file {hash[..Math.Min(12, hash.Length)]}{(normalized ? string.Empty : " (raw)")}"));
                break;
        }
    }

    private static double? Number(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number => value.GetDouble(),
            JsonValueKind.String when value.GetString() == "inf" => double.PositiveInfinity,
            _ => null,
        };
    }
}
