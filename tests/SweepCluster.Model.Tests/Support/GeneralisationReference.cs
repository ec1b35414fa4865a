using System.Text.Json;

namespace SweepCluster.Model.Tests.Support;

/// <summary>
/// The spec's generalisation-public.json (S-12..S-16), found beside reference-public.json. Each entry of
/// "values" is {value, type, tol_rel | tol_abs | tol_same_stream, ...}; value is a number or a nested array.
/// </summary>
public static class GeneralisationReference
{
    private static readonly Lazy<JsonDocument> Document = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(ReferenceData.SpecDirectory(), "generalisation-public.json"))));

    public static JsonElement Config(string id) =>
        Document.Value.RootElement.GetProperty("configs").EnumerateArray().First(c => c.GetProperty("id").GetString() == id);

    /// <summary>The "values" block of a configuration, in file order.</summary>
    public static IEnumerable<(string Key, JsonElement Entry)> Values(string id) =>
        Config(id).GetProperty("values").EnumerateObject().Select(p => (p.Name, p.Value));

    /// <summary>Every number of an entry's value, flattened row-major (a scalar gives one).</summary>
    public static double[] Flat(JsonElement entry)
    {
        var list = new List<double>();
        Collect(entry.GetProperty("value"), list);
        return [.. list];
    }

    /// <summary>The tolerance the entry states, and whether it is absolute: tol_rel, tol_abs, else tol_same_stream (absolute).</summary>
    public static (double Tolerance, bool Absolute) ToleranceOf(JsonElement entry)
    {
        if (entry.TryGetProperty("tol_rel", out var rel))
        {
            return (rel.GetDouble(), false);
        }

        if (entry.TryGetProperty("tol_abs", out var abs))
        {
            return (abs.GetDouble(), true);
        }

        if (entry.TryGetProperty("tol_same_stream", out var same))
        {
            return (same.GetDouble(), true);
        }

        // Exact integers (labels) carry no tolerance.
        return (0.0, true);
    }

    private static void Collect(JsonElement e, List<double> into)
    {
        if (e.ValueKind == JsonValueKind.Array)
        {
            foreach (var x in e.EnumerateArray())
            {
                Collect(x, into);
            }
        }
        else
        {
            into.Add(Tolerance.Value(e));
        }
    }
}
