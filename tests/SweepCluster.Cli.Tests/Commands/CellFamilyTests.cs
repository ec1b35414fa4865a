using System.Text.Json;
using SweepCluster.Cli.Tests.Support;

namespace SweepCluster.Cli.Tests.Commands;

/// <summary>`sweep cell --family`: one configuration of a family from options, through the real CLI.</summary>
public class CellFamilyTests
{
    [Fact]
    public void TheOptionsOfAPublicConfigurationGiveItsReferenceValues()
    {
        var run = CliProcess.Run("cell", "--family", "gl", "--d", "64", "--N", "16", "--k", "0", "--c", "1e-4", "--draws", "200", "--compact");

        Assert.True(run.ExitCode == 0, run.Stderr);
        using var reference = JsonDocument.Parse(File.ReadAllText(SpecFiles.GeneralisationPath()));
        var g1 = reference.RootElement.GetProperty("configs").EnumerateArray().First(c => c.GetProperty("id").GetString() == "G1_gl_d64_k0_N16");
        using var computed = JsonDocument.Parse(run.Stdout);
        Assert.Equal("gl", computed.RootElement.GetProperty("family").GetString());
        // The reference lists its values under dotted keys; `cell --family` nests them at the dots.
        using var flat = JsonDocument.Parse(JsonSerializer.Serialize(Dotted(computed.RootElement.GetProperty("values"), string.Empty)));
        int compared = CellReferenceTests.Compare("G1 by options", g1.GetProperty("values"), flat.RootElement, string.Empty, "gl");
        Assert.True(compared >= 20, $"only {compared} numbers compared");
    }

    private static Dictionary<string, JsonElement> Dotted(JsonElement nested, string prefix)
    {
        var flat = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var p in nested.EnumerateObject())
        {
            if (p.Value.ValueKind == JsonValueKind.Object)
            {
                foreach (var (key, value) in Dotted(p.Value, prefix + p.Name + "."))
                {
                    flat[key] = value;
                }
            }
            else
            {
                flat[prefix + p.Name] = p.Value;
            }
        }

        return flat;
    }

    [Fact]
    public void BadFamilySettingsExitWith2AndNameTheOption()
    {
        var cases = new (string[] Args, string Says)[]
        {
            (["cell", "--family", "repro", "--d", "50", "--N", "20", "--tau", "100", "--sampler", "ode"], "--sampler: the ode sampler"),
            (["cell", "--family", "molrg", "--d", "10", "--K", "3", "--r", "4", "--Nk", "5"], "--r: K r = 12 exceeds d = 10"),
            (["cell", "--family", "molrg", "--d", "30", "--K", "6", "--r", "1", "--Nk", "5"], "--K: '6' is not allowed"),
            (["cell", "--pairs", "3"], "--pairs is a setting of the repro family; give --family repro"),
            (["cell", "--family", "gl", "--sampler", "ode"], "--sampler is a setting of repro, not of gl"),
            (["cell", "--family", "gl", "--draws", "1.5"], "--draws: '1.5' is not allowed"),
            (["cell", "--family", "gl", "--reference", SpecFiles.GeneralisationPath()], "--family cannot be combined with --reference"),
            (["cell", "--family", "nope"], "nope"),
            (["cell", "--family", "molrg", "--d", "30", "--r", "2", "--Nk", "4", "--c", "0.1"], "--c has no effect on --family molrg with K >= 2"),
        };
        foreach (var (args, says) in cases)
        {
            var run = CliProcess.Run(args);
            Assert.True(run.ExitCode == 2, $"{string.Join(' ', args)}: exit {run.ExitCode}\n{run.Stderr}");
            Assert.Contains(says, run.Stderr, StringComparison.Ordinal);
            Assert.Equal(string.Empty, run.Stdout);
        }
    }

    [Fact]
    public void OneTrainingSampleGivesANullRatioScore()
    {
        var run = CliProcess.Run("cell", "--family", "gl", "--d", "8", "--N", "1", "--draws", "20", "--compact");

        Assert.True(run.ExitCode == 0, run.Stderr);
        using var computed = JsonDocument.Parse(run.Stdout);
        var linear = computed.RootElement.GetProperty("values").GetProperty("linear");
        Assert.Equal(JsonValueKind.Null, linear.GetProperty("gl_ratio").ValueKind);
        Assert.Equal(JsonValueKind.Number, linear.GetProperty("gl_cos").ValueKind);
    }
}
