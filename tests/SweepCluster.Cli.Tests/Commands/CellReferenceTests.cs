using System.Text.Json;
using SweepCluster.Cli.Tests.Support;

namespace SweepCluster.Cli.Tests.Commands;

/// <summary>`sweep cell --reference`: the public generalisation configurations through the real CLI, value by value.</summary>
public class CellReferenceTests
{
    // Rates over draws or trials: their tolerance is absolute (about one draw), every other mc value's relative.
    private static readonly string[] Rates = ["rp", "gl_cos", "gl_ratio", "success", "mean_D"];

    // The MoLRG heatmap's boundary cells depend on which vectors LAPACK returns for a degenerate eigenspace
    // (a cluster with fewer than r points, spec S-15.3); they may differ by a few trials in 20.
    internal const double HeatmapLooseness = 4;

    [Fact]
    public void EveryPublicConfigurationMatchesItsReferenceValuesWithinTheirTolerance()
    {
        string file = SpecFiles.GeneralisationPath();
        var run = CliProcess.Run("cell", "--reference", file, "--compact");
        Assert.True(run.ExitCode == 0, run.Stderr);
        using var reference = JsonDocument.Parse(File.ReadAllText(file));
        using var computed = JsonDocument.Parse(run.Stdout);

        var mine = computed.RootElement.GetProperty("configs").EnumerateArray().ToDictionary(c => c.GetProperty("id").GetString()!);
        int compared = 0;
        foreach (var config in reference.RootElement.GetProperty("configs").EnumerateArray())
        {
            string id = config.GetProperty("id").GetString()!;
            Assert.True(mine.ContainsKey(id), $"{id} is missing from the output");
            compared += Compare(id, config.GetProperty("values"), mine[id].GetProperty("values"), string.Empty, config.GetProperty("kind").GetString()!);
        }

        Assert.True(compared >= 60, $"only {compared} numbers compared");
    }

    [Fact]
    public void OneConfigurationIsChosenByIdAndAnUnknownIdListsTheOthers()
    {
        string file = SpecFiles.GeneralisationPath();
        var one = CliProcess.Run("cell", "--reference", file, "--id", "G1_gl_d64_k0_N16", "--compact");
        Assert.True(one.ExitCode == 0, one.Stderr);
        using var doc = JsonDocument.Parse(one.Stdout);
        Assert.Equal("G1_gl_d64_k0_N16", Assert.Single(doc.RootElement.GetProperty("configs").EnumerateArray()).GetProperty("id").GetString());

        var unknown = CliProcess.Run("cell", "--reference", file, "--id", "nope");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("no configuration 'nope'", unknown.Stderr, StringComparison.Ordinal);
        Assert.Contains("R1_repro_ddpm_d200_k1_N100", unknown.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void BadCombinationsAndBadFilesExitWith2AndSayWhy()
    {
        using var folder = new TempFolder("reference");
        string notJson = folder.Write("bad.json", "{ \"configs\": [ {");
        string badField = folder.Write("field.json", "{\"configs\": [{\"id\": \"x\", \"kind\": \"gl\", \"config\": {\"d\": \"many\"}}]}");
        string badKind = folder.Write("kind.json", "{\"configs\": [{\"id\": \"x\", \"kind\": \"nope\", \"config\": {}}]}");

        var cases = new (string[] Args, string Says)[]
        {
            (["cell", "--reference", SpecFiles.GeneralisationPath(), "--d", "10"], "--d cannot be combined with --reference"),
            (["cell", "--id", "x"], "give --reference too"),
            (["cell", "--reference", notJson], "not JSON"),
            (["cell", "--reference", badField], "x.config.d"),
            (["cell", "--reference", badKind], "x.kind: 'nope' is not one of repro, gl, bound, molrg"),
            (["cell", "--reference", folder.Path], "not a regular file"),
        };
        foreach (var (args, says) in cases)
        {
            var run = CliProcess.Run(args);
            Assert.True(run.ExitCode == 2, $"{string.Join(' ', args)}: exit {run.ExitCode}\n{run.Stderr}");
            Assert.Contains(says, run.Stderr, StringComparison.Ordinal);
            Assert.Equal(string.Empty, run.Stdout);
        }
    }

    /// <summary>Compares every leaf of the reference values ({value, type, tolerance}) with the computed one; returns the count.</summary>
    internal static int Compare(string id, JsonElement expected, JsonElement actual, string path, string kind)
    {
        int compared = 0;
        foreach (var p in expected.EnumerateObject())
        {
            string key = path + p.Name;
            var theirs = p.Value;
            if (!theirs.TryGetProperty("type", out var type))
            {
                compared += Compare(id, theirs, actual.GetProperty(p.Name), key + ".", kind);
                continue;
            }

            var mine = actual.GetProperty(p.Name);
            if (mine.ValueKind == JsonValueKind.Null)
            {
                // The MoLRG example vectors are set-ups of their own, named by their key; --reference computes the
                // configuration (the heatmap), not them. Every other value must be there.
                Assert.True(kind == "molrg" && key.StartsWith("vectors.", StringComparison.Ordinal), $"{id}: {key} was not computed");
                continue;
            }

            var (tolerance, absolute) = Tolerance(theirs, type.GetString()!, p.Name);
            if (kind == "molrg")
            {
                tolerance *= HeatmapLooseness;
            }

            double[] e = Flatten(theirs.GetProperty("value"));
            double[] a = Flatten(mine);
            Assert.True(e.Length == a.Length, $"{id}: {key} has {a.Length} numbers, expected {e.Length}");
            for (int i = 0; i < e.Length; i++)
            {
                double err = absolute || e[i] == 0 ? Math.Abs(a[i] - e[i]) : Math.Abs(a[i] - e[i]) / Math.Abs(e[i]);
                Assert.True(err <= tolerance, $"{id}: {key}[{i}] = {a[i]:R}, expected {e[i]:R} (error {err:g3} > {tolerance:g3})");
                compared++;
            }
        }

        return compared;
    }

    internal static (double Tolerance, bool Absolute) Tolerance(JsonElement entry, string type, string name)
    {
        if (type == "mc" && entry.TryGetProperty("tol_same_stream", out var same))
        {
            return (same.GetDouble(), Rates.Contains(name));
        }

        if (entry.TryGetProperty("tol_abs", out var abs))
        {
            return (abs.GetDouble(), true);
        }

        // Exact integers (labels) carry no tolerance.
        return entry.TryGetProperty("tol_rel", out var rel) ? (rel.GetDouble(), false) : (0, true);
    }

    internal static double[] Flatten(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Array => [.. e.EnumerateArray().SelectMany(Flatten)],
        JsonValueKind.String => [e.GetString() == "-inf" ? double.NegativeInfinity : double.PositiveInfinity],
        _ => [e.GetDouble()],
    };
}
