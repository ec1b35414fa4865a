using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using SweepCluster.Cli.Tests.Support;

namespace SweepCluster.Cli.Tests.EndToEnd;

/// <summary>`sweep status` and `sweep export` (csv, jsonl and parquet) on a finished store.</summary>
[Collection(EndToEndGroup.Name)]
public sealed class ExportAndStatusTests
{
    /// <summary>2 N x 2 spectra x 2 ridges = 8 grid points, 2 seeds: 16 simulation cells (8 units) + 8 theory cells (4 units).</summary>
    private const string Grid = """
        name: tiny
        d: 20
        N: [10, 40]
        k: [0, 1]
        c: [0, 1e-3]
        seeds: 2
        """;

    private const int Cells = 24;
    private const int Units = 12;
    private const int GridPoints = 8;

    [Fact]
    public async Task StatusAndExportsOfAFinishedStoreAgreeWithTheRun()
    {
        using var folder = new TempFolder("export");
        folder.Write("tiny.yaml", Grid);

        // The default store ./sweeps/tiny.db and exports ./sweeps/tiny/ beside it, run in the folder.
        var run = CliProcess.Run(TimeSpan.FromMinutes(1), folder.Path, "run", "tiny.yaml", "--workers", "2");
        Assert.True(run.ExitCode == 0, $"sweep run exited with {run.ExitCode}:\n{run.Stderr}");
        Assert.Contains("Sweep tiny is complete.", run.Stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(folder["sweeps/tiny.db"]), "no default store sweeps/tiny.db");
        Assert.True(File.Exists(folder["sweeps/tiny.log.jsonl"]), "no JSON log beside the store");
        var runCells = CsvTable.Load(folder["sweeps/tiny/cells.csv"]);
        Assert.Equal(Cells, runCells.Rows.Count);

        // status: the only sweep of ./sweeps, found without --store; and by name with --store.
        foreach (string[] args in new[] { new[] { "status" }, new[] { "status", "tiny", "--store", folder["sweeps/tiny.db"] } })
        {
            var status = CliProcess.Run(TimeSpan.FromMinutes(1), folder.Path, args);
            Assert.True(status.ExitCode == 0, $"sweep {string.Join(' ', args)} exited with {status.ExitCode}:\n{status.Stderr}");
            string text = status.Stdout;
            Assert.Contains("Sweep tiny", text, StringComparison.Ordinal);
            Assert.Matches(new Regex($@"cells\s+{Cells}/{Cells} with results \(100\.0%\)"), text);
            Assert.Contains("; 100.0% of the predicted work", text, StringComparison.Ordinal);
            Assert.Matches(new Regex($@"units\s+{Units} done, 0 failed, 0 pending, 0 in flight"), text);
            Assert.Matches(new Regex(@"state\s+complete\s*$", RegexOptions.Multiline), text);
            Assert.Matches(new Regex(@"ETA 0 s"), text);
        }

        var unknown = CliProcess.Run(TimeSpan.FromMinutes(1), folder.Path, "status", "nosuch", "--store", folder["sweeps/tiny.db"]);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("no sweep 'nosuch'", unknown.Stderr, StringComparison.Ordinal);
        Assert.Contains("tiny", unknown.Stderr, StringComparison.Ordinal);

        // csv export again: the same cells.csv and summary.csv as the run wrote.
        var csv = CliProcess.Run(TimeSpan.FromMinutes(1), folder.Path, "export", "--store", folder["sweeps/tiny.db"], "--out", folder["csv"]);
        Assert.True(csv.ExitCode == 0, csv.Stderr);
        Assert.Contains("Exported sweep tiny to", csv.Stdout, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllBytes(folder["sweeps/tiny/cells.csv"]), File.ReadAllBytes(folder["csv/cells.csv"]));
        Assert.Equal(File.ReadAllBytes(folder["sweeps/tiny/summary.csv"]), File.ReadAllBytes(folder["csv/summary.csv"]));

        // jsonl export: one JSON object per line, the csv's content and order.
        var jsonl = CliProcess.Run(TimeSpan.FromMinutes(1), folder.Path, "export", "tiny", "--store", folder["sweeps/tiny.db"], "--out", folder["jsonl"], "--format", "jsonl");
        Assert.True(jsonl.ExitCode == 0, jsonl.Stderr);
        Assert.Contains("Exported sweep tiny to", jsonl.Stdout, StringComparison.Ordinal);
        string[] files = [.. Directory.GetFiles(folder["jsonl"]).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];
        Assert.Equal(["cells.jsonl", "runs.jsonl", "summary.jsonl"], files);

        var cellLines = JsonLines(folder["jsonl/cells.jsonl"]);
        try
        {
            Assert.Equal(Cells, cellLines.Count);
            Assert.Equal(runCells.Rows.Select(r => runCells.Value(r, "cell_id")), cellLines.Select(l => l.RootElement.GetProperty("id").GetString()));
            Assert.Equal(16, cellLines.Count(l => l.RootElement.GetProperty("kind").GetString() == "sim"));
            Assert.Equal(8, cellLines.Count(l => l.RootElement.GetProperty("kind").GetString() == "theory"));
            int compared = 0;
            for (int i = 0; i < Cells; i++)
            {
                var line = cellLines[i].RootElement;
                var row = runCells.Rows[i];
                Assert.Equal("ok", line.GetProperty("status").GetString());
                Assert.Equal(runCells.Value(row, "d"), line.GetProperty("params").GetProperty("d").GetRawText());
                Assert.Equal(runCells.Value(row, "N"), line.GetProperty("params").GetProperty("N").GetRawText());
                var steps = line.GetProperty("params").GetProperty("t").EnumerateArray().Select(t => t.GetInt32()).ToArray();
                foreach (var metric in line.GetProperty("metrics").EnumerateObject())
                {
                    if (metric.Value.ValueKind == JsonValueKind.Array)
                    {
                        var values = metric.Value.EnumerateArray().ToArray();
                        Assert.Equal(steps.Length, values.Length);
                        for (int k = 0; k < steps.Length; k++)
                        {
                            AssertSame(runCells, row, string.Create(CultureInfo.InvariantCulture, $"{metric.Name}{steps[k]}"), values[k]);
                            compared++;
                        }
                    }
                    else
                    {
                        AssertSame(runCells, row, metric.Name, metric.Value);
                        compared++;
                    }
                }
            }

            Assert.True(compared > Cells * 30, $"only {compared} values compared");
        }
        finally
        {
            cellLines.ForEach(d => d.Dispose());
        }

        var runLines = JsonLines(folder["jsonl/runs.jsonl"]);
        Assert.Equal(Units, runLines.Count);
        Assert.All(runLines, l => Assert.Equal("done", l.RootElement.GetProperty("state").GetString()));
        Assert.All(runLines, l => Assert.Equal(1, l.RootElement.GetProperty("attempts").GetInt32()));
        Assert.Equal(Cells, runLines.Sum(l => l.RootElement.GetProperty("cells").GetInt32()));
        runLines.ForEach(d => d.Dispose());

        var summaryLines = JsonLines(folder["jsonl/summary.jsonl"]);
        var summaryCsv = CsvTable.Load(folder["csv/summary.csv"]);
        Assert.Equal(summaryCsv.Rows.Count, summaryLines.Count);
        Assert.Equal(GridPoints, summaryLines.Select(l => l.RootElement.GetProperty("grid_point").GetString()).Distinct().Count());
        // Simulated metrics average the 2 seeds; theory-only ones (kappa0, rho, ...) have n = 0 and no mean.
        Assert.All(summaryLines, l =>
        {
            int n = l.RootElement.GetProperty("n").GetInt32();
            Assert.True(n == 2 || n == 0, $"n = {n}: {l.RootElement.GetRawText()}");
            Assert.Equal(n == 0, l.RootElement.GetProperty("mean").ValueKind == JsonValueKind.Null);
        });
        Assert.True(summaryLines.Count(l => l.RootElement.GetProperty("n").GetInt32() == 2) >= GridPoints * 30, "too few simulated metrics in summary.jsonl");
        summaryLines.ForEach(d => d.Dispose());

        // parquet export: the csv's columns and rows, typed.
        var parquet = CliProcess.Run(TimeSpan.FromMinutes(1), folder.Path, "export", "tiny", "--store", folder["sweeps/tiny.db"], "--out", folder["parquet"], "--format", "parquet");
        Assert.True(parquet.ExitCode == 0, parquet.Stderr);
        Assert.Equal(["cells.parquet", "runs.parquet", "summary.parquet"], Directory.GetFiles(folder["parquet"]).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal));
        var (header, ids, epsTest) = await ReadCellsParquetAsync(folder["parquet/cells.parquet"]);
        Assert.Equal(runCells.Header, header);
        Assert.Equal(runCells.Rows.Select(r => runCells.Value(r, "cell_id")), ids);
        Assert.Equal(runCells.Rows.Select(r => double.Parse(runCells.Value(r, "eps_test_tavg"), CultureInfo.InvariantCulture)), epsTest.Select(v => v ?? double.NaN));
    }

    private static async Task<(List<string> Header, string?[] Ids, double?[] EpsTest)> ReadCellsParquetAsync(string path)
    {
        await using var reader = await Parquet.ParquetReader.CreateAsync(path);
        using var group = reader.OpenRowGroupReader(0);
        var fields = reader.Schema.GetDataFields();
        var ids = new string?[group.RowCount];
        await group.ReadAsync(fields.Single(f => f.Name == "cell_id"), ids.AsMemory());
        var eps = new double?[group.RowCount];
        await group.ReadAsync<double>(fields.Single(f => f.Name == "eps_test_tavg"), eps.AsMemory());
        return ([.. fields.Select(f => f.Name)], ids, eps);
    }

    private static List<JsonDocument> JsonLines(string path)
    {
        string text = File.ReadAllText(path);
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l)).ToList();
    }

    private static void AssertSame(CsvTable cells, IReadOnlyList<string> row, string column, JsonElement value)
    {
        double expected = CsvTable.Number(cells.Value(row, column)) ?? throw new Xunit.Sdk.XunitException($"{column} is empty in cells.csv");
        double actual = value.ValueKind == JsonValueKind.String ? CsvTable.Number(value.GetString()!)!.Value : value.GetDouble();
        Assert.True(expected.Equals(actual), $"{cells.Value(row, "cell_id")} {column}: cells.csv {expected:R}, cells.jsonl {actual:R}");
    }
}
