using System.Text.Json;
using SweepCluster.Cli.Tests.Support;

namespace SweepCluster.Cli.Tests.Commands;

public class CellCommandTests
{
    private static double Number(JsonElement e) => e.ValueKind == JsonValueKind.String && e.GetString() == "inf" ? double.PositiveInfinity : e.GetDouble();

    private static void AssertClose(double expected, double actual, double relative, string what)
    {
        double err = Math.Abs(actual - expected) / Math.Abs(expected);
        Assert.True(err <= relative, $"{what}: expected {expected:R}, got {actual:R} (relative error {err:g3})");
    }

    [Fact]
    public void TheCliReproducesTheReferenceCellSimulationAndTheory()
    {
        var reference = SpecFiles.Reference("C_k2_N<d_c1e-2");
        var run = CliProcess.Run("cell", "--d", "100", "--N", "50", "--k", "2", "--c", "1e-2", "--seeds", "10", "--t", "0", "100", "500", "999", "--compact");
        Assert.True(run.ExitCode == 0, run.Stderr);
        using var doc = JsonDocument.Parse(run.Stdout);
        var root = doc.RootElement;
        Assert.Equal(100, root.GetProperty("config").GetProperty("d").GetInt32());
        Assert.Equal("inf", root.GetProperty("config").GetProperty("tau").GetString());

        int compared = 0;
        foreach (var p in reference.GetProperty("sim").EnumerateObject())
        {
            var mine = root.GetProperty("sim").GetProperty(p.Name).GetProperty("mean");
            var theirs = p.Value.GetProperty("mean");
            if (theirs.ValueKind == JsonValueKind.Array)
            {
                var a = mine.EnumerateArray().Select(Number).ToArray();
                var e = theirs.EnumerateArray().Select(Number).ToArray();
                for (int k = 0; k < e.Length; k++)
                {
                    AssertClose(e[k], a[k], 1e-8, $"sim.{p.Name}[{k}]");
                    compared++;
                }
            }
            else
            {
                AssertClose(Number(theirs), Number(mine), 1e-8, $"sim.{p.Name}");
                compared++;
            }
        }

        var theory = root.GetProperty("theory");
        foreach (var p in reference.GetProperty("theory_closed_form").EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Number))
        {
            AssertClose(p.Value.GetDouble(), Number(theory.GetProperty(p.Name)), 1e-8, $"theory.{p.Name}");
            compared++;
        }

        foreach (string name in new[] { "dkl_ddpm_fwd", "dkl_ddpm_rev" })
        {
            AssertClose(reference.GetProperty("theory_spectral").GetProperty(name).GetDouble(), Number(theory.GetProperty(name)), 1e-4, $"theory.{name}");
            compared++;
        }

        Assert.True(compared > 40, $"only {compared} values compared");
    }

    [Fact]
    public void ADivergentKlIsTheStringInfNeverNaN()
    {
        var run = CliProcess.Run("cell", "--d", "20", "--N", "10", "--c", "0", "--seeds", "2", "--compact");
        Assert.True(run.ExitCode == 0, run.Stderr);
        using var doc = JsonDocument.Parse(run.Stdout);
        Assert.Equal("inf", doc.RootElement.GetProperty("sim_seed0").GetProperty("dkl_ideal_fwd").GetString());
        Assert.Equal("inf", doc.RootElement.GetProperty("theory").GetProperty("dkl_ideal_rev").GetString());
        Assert.DoesNotContain("nan", run.Stdout, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("--d", "0", "--d")]
    [InlineData("--N", "1", "--N")]
    [InlineData("--c", "-1", "--c")]
    [InlineData("--seeds", "0", "--seeds")]
    [InlineData("--t", "1000", "--t")]
    [InlineData("--dynamics", "adam", "--dynamics")]
    [InlineData("--tau", "soon", "--tau")]
    [InlineData("--beta-max", "2", "--beta-max")]
    public void BadValuesExitWithTwoAndNameTheOption(string option, string value, string named)
    {
        var run = CliProcess.Run("cell", "--d", "10", "--N", "20", "--seeds", "1", option, value);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(named, run.Stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, run.Stdout);
    }

    [Fact]
    public void AnUnstableLearningRateSaysTheLargestStableEta()
    {
        var run = CliProcess.Run("cell", "--d", "10", "--N", "20", "--seeds", "1", "--tau", "100", "--eta", "50");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--eta", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("eta <", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void ABadSpectrumFileNamesTheFileAndTheLine()
    {
        string dir = Directory.CreateTempSubdirectory("sweep-spectrum").FullName;
        try
        {
            string file = Path.Combine(dir, "eigs.txt");
            File.WriteAllText(file, "3\n2\nnot-a-number\n");
            var run = CliProcess.Run("cell", "--d", "2", "--N", "5", "--seeds", "1", "--spectrum-file", file);
            Assert.Equal(2, run.ExitCode);
            Assert.Contains($"{file}:3", run.Stderr, StringComparison.Ordinal);

            var missing = CliProcess.Run("cell", "--d", "2", "--N", "5", "--seeds", "1", "--spectrum-file", Path.Combine(dir, "none.txt"));
            Assert.Equal(2, missing.ExitCode);
            Assert.Contains("--spectrum-file", missing.Stderr, StringComparison.Ordinal);
            Assert.Contains("no such file", missing.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void ASpectrumFileGivesTheSameCellAsTheSamePowerLaw()
    {
        string dir = Directory.CreateTempSubdirectory("sweep-spectrum").FullName;
        try
        {
            string file = Path.Combine(dir, "eigs.txt");

            // Unnormalised 1/nu for d = 30: the file route must renormalise it to the power law k = 1.
            File.WriteAllLines(file, Enumerable.Range(1, 30).Select(nu => (5.0 / nu).ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
            var fromFile = CliProcess.Run("cell", "--d", "30", "--N", "40", "--seeds", "2", "--spectrum-file", file, "--no-theory", "--compact");
            var powerLaw = CliProcess.Run("cell", "--d", "30", "--N", "40", "--seeds", "2", "--k", "1", "--no-theory", "--compact");
            Assert.True(fromFile.ExitCode == 0, fromFile.Stderr);
            using var a = JsonDocument.Parse(fromFile.Stdout);
            using var b = JsonDocument.Parse(powerLaw.Stdout);
            double x = a.RootElement.GetProperty("sim").GetProperty("eps_test_tavg").GetProperty("mean").GetDouble();
            double y = b.RootElement.GetProperty("sim").GetProperty("eps_test_tavg").GetProperty("mean").GetDouble();
            AssertClose(y, x, 1e-10, "eps_test_tavg");
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void HelpListsTheModelOptionsWithTheirDefaults()
    {
        var run = CliProcess.Run("cell", "--help");
        Assert.Equal(0, run.ExitCode);
        foreach (string option in new[] { "--d", "--N", "--k", "--c", "--seeds", "--t", "--tau", "--eta", "--dynamics", "--init-std", "--spectrum-file", "--T", "--beta-min", "--beta-max", "--bias-mode", "--no-last-noise", "--seed0", "--no-theory", "--asymptotic-theory", "--backend" })
        {
            Assert.Contains(option, run.Stdout, StringComparison.Ordinal);
        }
    }
}
