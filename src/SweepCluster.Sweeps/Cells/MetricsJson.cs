using System.Text;
using System.Text.Json;
using SweepCluster.Model.Metrics;

namespace SweepCluster.Sweeps.Cells;

/// <summary>
/// CellMetrics as stored JSON: {"name": number | "inf" | [numbers]} in insertion order, numbers in
/// shortest round-trip form. The same metrics always give the same bytes, so two results can be compared as text.
/// </summary>
public static class MetricsJson
{
    public static string Write(CellMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            foreach (var (name, value) in metrics.Scalars)
            {
                w.WritePropertyName(name);
                WriteValue(w, value);
            }

            foreach (var (name, values) in metrics.Series)
            {
                w.WriteStartArray(name);
                foreach (double v in values)
                {
                    WriteValue(w, v);
                }

                w.WriteEndArray();
            }

            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public static CellMetrics Read(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var metrics = new CellMetrics();
        if (json.Length == 0)
        {
            return metrics;
        }

        using var doc = JsonDocument.Parse(json);
        foreach (var p in doc.RootElement.EnumerateObject())
        {
            if (p.Value.ValueKind == JsonValueKind.Array)
            {
                metrics.SetSeries(p.Name, p.Value.EnumerateArray().Select(ReadValue).ToArray());
            }
            else
            {
                metrics.SetScalar(p.Name, ReadValue(p.Value));
            }
        }

        return metrics;
    }

    public static void WriteValue(Utf8JsonWriter w, double v)
    {
        ArgumentNullException.ThrowIfNull(w);
        if (double.IsFinite(v))
        {
            w.WriteNumberValue(v);
        }
        else
        {
            w.WriteStringValue(double.IsNaN(v) ? "nan" : v > 0 ? "inf" : "-inf");
        }
    }

    public static double ReadValue(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Number => e.GetDouble(),
        JsonValueKind.String => e.GetString() switch
        {
            "inf" => double.PositiveInfinity,
            "-inf" => double.NegativeInfinity,
            _ => double.NaN,
        },
        _ => throw new FormatException($"a metric must be a number or \"inf\", got {e.ValueKind}"),
    };
}
