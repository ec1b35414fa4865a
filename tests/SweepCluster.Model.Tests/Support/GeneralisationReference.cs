using System.Text.Json;
using SweepCluster.Model.Configuration;
using SweepCluster.Model.Diffusion;
using SweepCluster.Model.Generalisation;
using SweepCluster.Model.Generalisation.Reproducibility;

namespace SweepCluster.Model.Tests.Support;

/// <summary>
/// The spec's generalisation-public.json (S-12 .. S-16 reference values), found like <see cref="ReferenceData"/>.
/// Each value carries its type (exact / theory / mc) and tolerance.
/// </summary>
public static class GeneralisationReference
{
    public const string FileName = "generalisation-public.json";

    private static readonly Lazy<JsonDocument> Document = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(ReferenceData.SpecDirectory(), FileName))));

    public static JsonElement Root => Document.Value.RootElement;

    public static JsonElement Entry(string id) =>
        Root.GetProperty("configs").EnumerateArray().First(c => c.GetProperty("id").GetString() == id);

    /// <summary>The linear-model part of an entry's config (the fields S-10 defines), null tau = converged.</summary>
    public static ModelConfig ModelConfig(JsonElement entry) => ReferenceData.ToModelConfig(entry);

    /// <summary>One reference value: its numbers (a scalar is one number), type and the tolerance that applies to us.</summary>
    public sealed record Expected(string Key, double[] Values, string Type, double Tolerance, bool Absolute);

    /// <summary>
    /// Every value of an entry with the tolerance for an implementation on the same portable streams: exact uses
    /// tol_rel (or tol_abs), theory tol_rel, mc tol_same_stream. A rate (rp, gl_cos, gl_ratio) has an absolute
    /// tolerance of about one draw; every other mc value a relative one (spec S-12.6, S-13.5).
    /// </summary>
    public static IEnumerable<Expected> Values(JsonElement entry)
    {
        foreach (var p in entry.GetProperty("values").EnumerateObject())
        {
            var v = p.Value;
            string type = v.GetProperty("type").GetString()!;
            var value = v.GetProperty("value");
            double[] numbers = value.ValueKind == JsonValueKind.Array ? [.. value.EnumerateArray().Select(e => e.GetDouble())] : [value.GetDouble()];
            double tol;
            bool absolute;
            switch (type)
            {
                case "mc":
                    tol = v.GetProperty("tol_same_stream").GetDouble();
                    string last = p.Name[(p.Name.LastIndexOf('.') + 1)..];
                    absolute = last is "rp" or "gl_cos" or "gl_ratio";
                    break;
                default:
                    absolute = v.TryGetProperty("tol_abs", out var abs);
                    tol = absolute ? abs.GetDouble() : v.TryGetProperty("tol_rel", out var rel) ? rel.GetDouble() : 0.0;
                    break;
            }

            yield return new Expected(p.Name, numbers, type, tol, absolute);
        }
    }

    /// <summary>
    /// Compares every reference value of the entry with <paramref name="actual"/>; a missing key fails. Returns the
    /// largest error relative to the tolerance's scale per type, for the test's output.
    /// </summary>
    public static IReadOnlyDictionary<string, double> AssertAll(JsonElement entry, GeneralisationValues actual)
    {
        var worst = new Dictionary<string, double>();
        var failures = new List<string>();
        foreach (var e in Values(entry))
        {
            if (!actual.TryGet(e.Key, out var got))
            {
                failures.Add($"{e.Key}: missing");
                continue;
            }

            if (got.Length != e.Values.Length)
            {
                failures.Add($"{e.Key}: expected {e.Values.Length} values, got {got.Length}");
                continue;
            }

            for (int k = 0; k < got.Length; k++)
            {
                double err = Math.Abs(got[k] - e.Values[k]);
                if (!e.Absolute)
                {
                    err /= Math.Max(Math.Abs(e.Values[k]), 1e-300);
                }

                string label = e.Type + (e.Absolute ? " (abs)" : " (rel)");
                worst[label] = Math.Max(worst.GetValueOrDefault(label), err);
                if (!(err <= e.Tolerance))
                {
                    failures.Add($"{e.Key}[{k}]: expected {e.Values[k]:R}, got {got[k]:R}, error {err:g3} > {e.Tolerance:g3}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        return worst;
    }

    /// <summary>The "values" block of a configuration, in file order.</summary>
    public static IEnumerable<(string Key, JsonElement Entry)> Values(string id) =>
        Entry(id).GetProperty("values").EnumerateObject().Select(p => (p.Name, p.Value));

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
