using System.Text.Json;
using SweepCluster.Model.Metrics;

namespace SweepCluster.Model.Tests.Support;

/// <summary>Relative comparisons against reference values, with messages that name the metric.</summary>
public static class Tolerance
{
    public static void AssertClose(double expected, double actual, double relative, string what)
    {
        if (double.IsInfinity(expected) || double.IsInfinity(actual))
        {
            Assert.True(expected == actual, $"{what}: expected {expected}, got {actual}");
            return;
        }

        double err = Math.Abs(actual - expected) / Math.Max(Math.Abs(expected), 1e-300);
        Assert.True(err <= relative, $"{what}: expected {expected:R}, got {actual:R}, relative error {err:g3} > {relative:g3}");
    }

    public static double Value(JsonElement e) =>
        e.ValueKind == JsonValueKind.String ? double.Parse(e.GetString()!.Replace("inf", "Infinity", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture) : e.GetDouble();

    /// <summary>Every metric of <paramref name="expected"/> (a flat reference block) that <paramref name="actual"/> knows.</summary>
    public static int AssertMetrics(JsonElement expected, CellMetrics actual, double relative, string block, Func<string, double>? toleranceFor = null, IReadOnlySet<string>? ignore = null)
    {
        int compared = 0;
        foreach (var p in expected.EnumerateObject())
        {
            if (ignore?.Contains(p.Name) == true)
            {
                continue;
            }

            double tol = toleranceFor?.Invoke(p.Name) ?? relative;
            if (p.Value.ValueKind == JsonValueKind.Array)
            {
                var a = actual.GetSeries(p.Name);
                var e = p.Value.EnumerateArray().Select(Value).ToArray();
                Assert.Equal(e.Length, a.Length);
                for (int k = 0; k < e.Length; k++)
                {
                    AssertClose(e[k], a[k], tol, $"{block}.{p.Name}[{k}]");
                    compared++;
                }
            }
            else if (p.Value.ValueKind is JsonValueKind.Number or JsonValueKind.String && actual.TryGetScalar(p.Name, out double v))
            {
                AssertClose(Value(p.Value), v, tol, $"{block}.{p.Name}");
                compared++;
            }
        }

        return compared;
    }
}
