using System.Globalization;
using System.Text.Json;
using SweepCluster.Cli.Tests.Commands;
using SweepCluster.Cli.Tests.Support;

namespace SweepCluster.Cli.Tests.EndToEnd;

/// <summary>
/// The generalisation families as sweeps: a grid file with `family:` run by the real CLI through the engine (units,
/// store, exports), and every public reference value of the same configuration found in cells.csv within its tolerance.
/// </summary>
[Collection(EndToEndGroup.Name)]
public sealed class FamilySweepTests
{
    /// <summary>The grid of each public configuration of generalisation-public.json, by id (the spec's defaults elsewhere).</summary>
    public static TheoryData<string, string> PublicConfigurations => new()
    {
        { "R1_repro_ddpm_d200_k1_N100", "family: repro\nd: 200\nN: 100\nk: 1\nc: 1e-4\nsampler: ddpm\npairs: 1\ndraws: 500\nspectral_grid: 4000\n" },
        { "G1_gl_d64_k0_N16", "family: gl\nd: 64\nN: 16\nk: 0\nc: 1e-4\ndraws: 200\n" },
        { "M1_molrg_heatmap_d30_K2", "family: molrg\nd: 30\nK: 2\nr: [1, 2, 3, 4]\nNk: [1, 2, 3, 4, 5, 6, 8]\ndelta: 0\ntrials: 20\nrestarts: 10\n" },
    };

    [Theory]
    [MemberData(nameof(PublicConfigurations))]
    public void AFamilyGridRunByTheEngineGivesTheReferenceValues(string id, string grid)
    {
        using var folder = new TempFolder("family-" + id[..2]);
        folder.Write("family.yaml", "name: family\n" + grid);

        var run = CliProcess.Run(TimeSpan.FromMinutes(3), folder.Path, "run", "family.yaml", "--workers", "2");

        Assert.True(run.ExitCode == 0, $"sweep run exited with {run.ExitCode}:\n{run.Stderr}");
        var cells = CsvTable.Load(folder["sweeps/family/cells.csv"]);
        Assert.All(cells.Rows, row => Assert.Equal("ok", cells.Value(row, "status")));
        using var reference = JsonDocument.Parse(File.ReadAllText(SpecFiles.GeneralisationPath()));
        var entry = reference.RootElement.GetProperty("configs").EnumerateArray().First(c => c.GetProperty("id").GetString() == id);
        string kind = entry.GetProperty("kind").GetString()!;

        int compared = kind == "molrg" ? CompareHeatmap(entry, cells) : CompareOneCell(id, entry.GetProperty("values"), cells);

        Assert.True(compared >= 14, $"{id}: only {compared} numbers compared");
    }

    [Fact]
    public void AnInterruptedFamilySweepResumesWithoutComputingItsCellsAgain()
    {
        using var folder = new TempFolder("family-resume");
        folder.Write("heat.yaml", "name: heat\nfamily: molrg\nd: 12\nK: 2\nr: [1, 2]\nNk: [2, 4, 6]\ntrials: 4\nrestarts: 3\n");
        var first = CliProcess.Run(TimeSpan.FromMinutes(2), folder.Path, "run", "heat.yaml");
        Assert.True(first.ExitCode == 0, first.Stderr);
        string cellsCsv = File.ReadAllText(folder["sweeps/heat/cells.csv"]);
        Assert.Equal(6, CsvTable.Parse(cellsCsv).Rows.Count);

        var again = CliProcess.Run(TimeSpan.FromMinutes(2), folder.Path, "run", "heat.yaml");

        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.Contains("6 cells (6 already in the store), 0 units to compute", again.Stdout + again.Stderr, StringComparison.Ordinal);
        Assert.Equal(cellsCsv, File.ReadAllText(folder["sweeps/heat/cells.csv"]));
    }

    /// <summary>One cell: every public value is a column (dots as underscores, vectors one column per element).</summary>
    private static int CompareOneCell(string id, JsonElement values, CsvTable cells)
    {
        var row = Assert.Single(cells.Rows);
        int compared = 0;
        foreach (var p in values.EnumerateObject())
        {
            var (tolerance, absolute) = CellReferenceTests.Tolerance(p.Value, p.Value.GetProperty("type").GetString()!, p.Name[(p.Name.LastIndexOf('.') + 1)..]);
            double[] expected = CellReferenceTests.Flatten(p.Value.GetProperty("value"));
            string column = p.Name.Replace('.', '_');
            for (int i = 0; i < expected.Length; i++)
            {
                string name = expected.Length == 1 ? column : $"{column}_{i}";
                Assert.True(cells.Header.Contains(name), $"{id}: cells.csv has no column {name}");
                Check(id, name, Number(cells.Value(row, name)), expected[i], tolerance, absolute);
                compared++;
            }
        }

        return compared;
    }

    /// <summary>The heatmap: one cell per (r, Nk) whose success and mean_D are the matrix entries.</summary>
    private static int CompareHeatmap(JsonElement entry, CsvTable cells)
    {
        var config = entry.GetProperty("config");
        int[] ranks = [.. config.GetProperty("r_list").EnumerateArray().Select(e => e.GetInt32())];
        int[] columns = [.. config.GetProperty("Nk_list").EnumerateArray().Select(e => e.GetInt32())];
        Assert.Equal(ranks.Length * columns.Length, cells.Rows.Count);
        int compared = 0;
        foreach (string key in new[] { "success", "mean_D" })
        {
            var value = entry.GetProperty("values").GetProperty(key);
            var (tolerance, absolute) = CellReferenceTests.Tolerance(value, value.GetProperty("type").GetString()!, key);
            double[] expected = CellReferenceTests.Flatten(value.GetProperty("value"));
            for (int a = 0; a < ranks.Length; a++)
            {
                for (int b = 0; b < columns.Length; b++)
                {
                    var row = cells.Rows.Single(r => cells.Value(r, "r") == ranks[a].ToString(CultureInfo.InvariantCulture) && cells.Value(r, "Nk") == columns[b].ToString(CultureInfo.InvariantCulture));
                    Check("M1", $"{key}[r={ranks[a]}, Nk={columns[b]}]", Number(cells.Value(row, key)), expected[(a * columns.Length) + b], tolerance * CellReferenceTests.HeatmapLooseness, absolute);
                    compared++;
                }
            }
        }

        return compared;
    }

    private static void Check(string id, string name, double actual, double expected, double tolerance, bool absolute)
    {
        double error = absolute || expected == 0 ? Math.Abs(actual - expected) : Math.Abs(actual - expected) / Math.Abs(expected);
        Assert.True(error <= tolerance, $"{id}: {name} = {actual:R}, expected {expected:R} (error {error:g3} > {tolerance:g3})");
    }

    private static double Number(string text) => text switch
    {
        "inf" => double.PositiveInfinity,
        "-inf" => double.NegativeInfinity,
        _ => double.Parse(text, CultureInfo.InvariantCulture),
    };
}
