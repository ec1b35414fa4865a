using System.Text.Json;
using SweepCluster.Sweeps.Exports;
using static SweepCluster.Sweeps.Tests.Exports.ExportSamples;

namespace SweepCluster.Sweeps.Tests.Exports;

public class JsonLinesSweepExporterTests
{
    private static readonly string[] _files = [JsonLinesSweepExporter.CellsFile, JsonLinesSweepExporter.RunsFile, JsonLinesSweepExporter.SummaryFile];

    [Fact]
    public void TheSameDataInAnotherOrderGivesByteIdenticalFiles()
    {
        using var first = new TempDirectory();
        using var second = new TempDirectory();
        var data = Sweep();

        new JsonLinesSweepExporter().Export(data, first.Path);
        new JsonLinesSweepExporter().Export(Reversed(data), second.Path);

        foreach (string file in _files)
        {
            Assert.Equal(File.ReadAllBytes(first.File(file)), File.ReadAllBytes(second.File(file)));
        }
    }

    [Fact]
    public void CellsAreOneObjectPerLineWithParamsStatusAndMetrics()
    {
        using var dir = new TempDirectory();
        var data = Sweep();
        new JsonLinesSweepExporter().Export(data, dir.Path);

        var lines = ReadLines(dir.File(JsonLinesSweepExporter.CellsFile));
        Assert.Equal(data.Cells.Select(c => c.Cell.Id).Order(StringComparer.Ordinal), lines.Select(l => l.GetProperty("id").GetString()));

        var seed = lines.Single(l => l.GetProperty("id").GetString() == data.Cells.ElementAt(3).Cell.Id);
        Assert.Equal("sim", seed.GetProperty("kind").GetString());
        var parameters = seed.GetProperty("params");
        Assert.False(parameters.TryGetProperty("kind", out _));
        Assert.Equal(0, parameters.GetProperty("seed").GetInt64());
        Assert.Equal("inf", parameters.GetProperty("tau").GetString());
        Assert.Equal("ok", seed.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, seed.GetProperty("message").ValueKind);
        var metrics = seed.GetProperty("metrics");
        Assert.Equal(["eps_test_tavg", "eps_test_t", "data_test_tavg", "data_test_t", "eps_excess_tavg", "dkl_ideal_fwd"], metrics.EnumerateObject().Select(p => p.Name));
        Assert.Equal(3, metrics.GetProperty("eps_test_t").GetArrayLength());
        Assert.Equal("inf", metrics.GetProperty("dkl_ideal_fwd").GetString());

        var pending = lines.Single(l => l.GetProperty("id").GetString() == data.Cells.ElementAt(4).Cell.Id);
        Assert.Equal(JsonValueKind.Null, pending.GetProperty("status").ValueKind);
        Assert.Equal(JsonValueKind.Null, pending.GetProperty("metrics").ValueKind);
    }

    [Fact]
    public void SummaryRowsMatchTheCsvRows()
    {
        using var dir = new TempDirectory();
        var data = Sweep(LossSelection.Eps);
        new JsonLinesSweepExporter().Export(data, dir.Path);
        new CsvSweepExporter().Export(data, dir.Path);

        var lines = ReadLines(dir.File(JsonLinesSweepExporter.SummaryFile));
        int csvRows = File.ReadAllLines(dir.File(CsvSweepExporter.SummaryFile)).Length - 1;
        Assert.Equal(csvRows, lines.Count);
        Assert.DoesNotContain(lines, l => l.GetProperty("metric").GetString()!.StartsWith("data_", StringComparison.Ordinal));

        var eps = lines.Single(l => l.GetProperty("metric").GetString() == "eps_test_tavg" && l.GetProperty("params").GetProperty("c").GetDouble() == 1e-4);
        Assert.False(eps.GetProperty("params").TryGetProperty("seed", out _));
        Assert.Equal((2, 1), (eps.GetProperty("n").GetInt32(), eps.GetProperty("n_failed").GetInt32()));
        Assert.Equal((2.0, 2.5, -0.5), (eps.GetProperty("mean").GetDouble(), eps.GetProperty("theory").GetDouble(), eps.GetProperty("residual").GetDouble()));

        var kl = lines.Single(l => l.GetProperty("metric").GetString() == "dkl_ideal_fwd" && l.GetProperty("params").GetProperty("c").GetDouble() == 1e-2);
        Assert.Equal("inf", kl.GetProperty("mean").GetString());
        Assert.Equal(JsonValueKind.Null, kl.GetProperty("residual").ValueKind);
    }

    [Fact]
    public void RunsAreSortedByUnit()
    {
        using var dir = new TempDirectory();
        new JsonLinesSweepExporter().Export(Sweep(), dir.Path);

        var lines = ReadLines(dir.File(JsonLinesSweepExporter.RunsFile));

        Assert.Equal(["u1", "u2", "u3"], lines.Select(l => l.GetProperty("unit_id").GetString()));
        Assert.Equal(1.5, lines[1].GetProperty("duration_s").GetDouble());
        Assert.Equal(("1970-01-01T00:01:40.000Z", "1970-01-01T00:01:41.500Z"), (lines[1].GetProperty("started_at").GetString(), lines[1].GetProperty("finished_at").GetString()));
        Assert.Equal(JsonValueKind.Null, lines[2].GetProperty("started_at").ValueKind);
        Assert.Equal(JsonValueKind.Null, lines[2].GetProperty("owner").ValueKind);
    }

    [Fact]
    public void NoTemporaryFilesAreLeft()
    {
        using var dir = new TempDirectory();
        new JsonLinesSweepExporter().Export(Sweep(), dir.Path);
        new JsonLinesSweepExporter().Export(Sweep(), dir.Path);

        Assert.Equal(_files.Order(StringComparer.Ordinal), Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    private static List<JsonElement> ReadLines(string path)
    {
        string text = File.ReadAllText(path);
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\r", text, StringComparison.Ordinal);
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
    }
}
