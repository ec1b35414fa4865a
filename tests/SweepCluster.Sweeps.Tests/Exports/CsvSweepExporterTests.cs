using System.Globalization;
using System.Text;
using CsvHelper;
using SweepCluster.Model.Configuration;
using SweepCluster.Sweeps.Cells;
using SweepCluster.Sweeps.Exports;
using static SweepCluster.Sweeps.Tests.Exports.ExportSamples;

namespace SweepCluster.Sweeps.Tests.Exports;

public class CsvSweepExporterTests
{
    private static readonly string[] _parameterHeader =
    [
        "d", "N", "spectrum", "k", "spectrum_sha256", "spectrum_normalize", "c", "T", "beta_min", "beta_max",
        "tau", "eta", "dynamics", "init_std", "bias_mode", "sampler_last_noise",
    ];

    private static readonly string[] _metricHeader =
    [
        "eps_test_tavg", "eps_test_t0", "eps_test_t5", "eps_test_t9",
        "data_test_tavg", "data_test_t0", "data_test_t5", "data_test_t9",
        "eps_excess_tavg", "dkl_ideal_fwd",
    ];

    [Fact]
    public void TheSameDataInAnotherOrderGivesByteIdenticalFiles()
    {
        using var first = new TempDirectory();
        using var second = new TempDirectory();
        var data = Sweep();

        new CsvSweepExporter().Export(data, first.Path);
        new CsvSweepExporter().Export(Reversed(data), second.Path);

        foreach (string file in new[] { CsvSweepExporter.CellsFile, CsvSweepExporter.RunsFile, CsvSweepExporter.SummaryFile })
        {
            Assert.Equal(File.ReadAllBytes(first.File(file)), File.ReadAllBytes(second.File(file)));
        }
    }

    [Fact]
    public void CellsParseBackWithTheExpectedHeaderAndRows()
    {
        using var dir = new TempDirectory();
        var data = Sweep();
        new CsvSweepExporter().Export(data, dir.Path);

        var (header, rows) = ReadCsv(dir.File(CsvSweepExporter.CellsFile));

        Assert.Equal(["cell_id", "kind", .. _parameterHeader, "seed", "asymptotic_theory", "spectral_grid", "status", "nondeterministic", "message", .. _metricHeader], header);
        Assert.Equal(data.Cells.Select(c => c.Cell.Id).Order(StringComparer.Ordinal), rows.Select(r => r["cell_id"]));

        var seed1 = rows.Single(r => r["cell_id"] == data.Cells.ElementAt(1).Cell.Id);
        Assert.Equal(("sim", "4", "8", "powerlaw", "1", ""), (seed1["kind"], seed1["d"], seed1["N"], seed1["spectrum"], seed1["k"], seed1["spectrum_sha256"]));
        Assert.Equal(("0.0001", "10", "inf", "1", "gd", "mean", "true"), (seed1["c"], seed1["T"], seed1["tau"], seed1["eta"], seed1["dynamics"], seed1["bias_mode"], seed1["sampler_last_noise"]));
        Assert.Equal(("1", "", ""), (seed1["seed"], seed1["asymptotic_theory"], seed1["spectral_grid"]));
        Assert.Equal(("ok", "", "3", "12", "30", "0.25"), (seed1["status"], seed1["message"], seed1["eps_test_tavg"], seed1["eps_test_t9"], seed1["data_test_tavg"], seed1["dkl_ideal_fwd"]));

        var theory = rows.Single(r => r["cell_id"] == data.Cells.ElementAt(5).Cell.Id);
        Assert.Equal(("theory", "", "false", "4000", "ok", "2.5"), (theory["kind"], theory["seed"], theory["asymptotic_theory"], theory["spectral_grid"], theory["status"], theory["eps_test_tavg"]));

        var failed = rows.Single(r => r["cell_id"] == data.Cells.ElementAt(2).Cell.Id);
        Assert.Equal(("numerical_failure", "unstable: eta_eff, \"too\" large\nsecond line", ""), (failed["status"], failed["message"], failed["eps_test_tavg"]));

        var pending = rows.Single(r => r["cell_id"] == data.Cells.ElementAt(4).Cell.Id);
        Assert.Equal(("", ""), (pending["status"], pending["eps_test_tavg"]));
    }

    [Fact]
    public void NumbersAreRoundTripAndInfinitiesAreInf()
    {
        using var dir = new TempDirectory();
        var data = Sweep();
        new CsvSweepExporter().Export(data, dir.Path);

        var (_, rows) = ReadCsv(dir.File(CsvSweepExporter.CellsFile));
        var row = rows.Single(r => r["cell_id"] == data.Cells.ElementAt(3).Cell.Id);

        Assert.Equal("0.30000000000000004", row["eps_test_tavg"]);
        Assert.Equal(0.1 + 0.2, double.Parse(row["eps_test_tavg"], CultureInfo.InvariantCulture));
        Assert.Equal("inf", row["dkl_ideal_fwd"]);
        Assert.Equal("0.01", row["c"]);
    }

    [Fact]
    public void FilesUseLfUtf8WithoutByteOrderMark()
    {
        using var dir = new TempDirectory();
        new CsvSweepExporter().Export(Sweep(), dir.Path);

        foreach (string file in new[] { CsvSweepExporter.CellsFile, CsvSweepExporter.RunsFile, CsvSweepExporter.SummaryFile })
        {
            byte[] bytes = File.ReadAllBytes(dir.File(file));
            Assert.DoesNotContain((byte)'\r', bytes);
            Assert.NotEqual(0xEF, bytes[0]);
            Assert.Equal((byte)'\n', bytes[^1]);
        }
    }

    [Fact]
    public void SummaryHasTheSeedStatisticsAndTheTheoryComparison()
    {
        using var dir = new TempDirectory();
        var data = Sweep();
        new CsvSweepExporter().Export(data, dir.Path);

        var (header, rows) = ReadCsv(dir.File(CsvSweepExporter.SummaryFile));

        Assert.Equal(["grid_point", .. _parameterHeader, "metric", "n", "n_failed", "mean", "std", "theory", "residual", "relative_error"], header);
        var a = rows.Where(r => r["c"] == "0.0001").ToList();
        Assert.Equal(_metricHeader, a.Select(r => r["metric"]));
        var eps = a.Single(r => r["metric"] == "eps_test_tavg");
        Assert.Equal(("2", "1", "2"), (eps["n"], eps["n_failed"], eps["mean"]));
        Assert.Equal(Math.Sqrt(2.0), double.Parse(eps["std"], CultureInfo.InvariantCulture), 15);
        Assert.Equal(("2.5", "-0.5", "0.2"), (eps["theory"], eps["residual"], eps["relative_error"]));

        var b = rows.Where(r => r["c"] == "0.01").ToList();
        var kl = b.Single(r => r["metric"] == "dkl_ideal_fwd");
        Assert.Equal(("1", "0", "inf", "", "", ""), (kl["n"], kl["n_failed"], kl["mean"], kl["theory"], kl["residual"], kl["relative_error"]));

        // One ok seed has no standard deviation: the field is empty, not 0 or nan.
        Assert.All(b, r => Assert.Equal(("1", ""), (r["n"], r["std"])));
        Assert.Equal(rows.Select(r => r["grid_point"]).Order(StringComparer.Ordinal), rows.Select(r => r["grid_point"]));
    }

    [Theory]
    [InlineData(LossSelection.Eps, "data_")]
    [InlineData(LossSelection.Data, "eps_")]
    public void TheLossSelectionDropsTheOtherFamily(LossSelection losses, string dropped)
    {
        using var dir = new TempDirectory();
        new CsvSweepExporter().Export(Sweep(losses), dir.Path);

        var (cellHeader, _) = ReadCsv(dir.File(CsvSweepExporter.CellsFile));
        var (_, summary) = ReadCsv(dir.File(CsvSweepExporter.SummaryFile));

        var expected = _metricHeader.Where(m => !m.StartsWith(dropped, StringComparison.Ordinal)).ToArray();
        Assert.Equal(expected, cellHeader.Skip(cellHeader.IndexOf("message") + 1));
        Assert.Contains("dkl_ideal_fwd", expected);
        Assert.DoesNotContain(summary, r => r["metric"].StartsWith(dropped, StringComparison.Ordinal));
        Assert.Contains(summary, r => r["metric"] == "dkl_ideal_fwd");
    }

    [Fact]
    public void RunsAreSortedByUnitWithDurations()
    {
        using var dir = new TempDirectory();
        new CsvSweepExporter().Export(Sweep(), dir.Path);

        var (header, rows) = ReadCsv(dir.File(CsvSweepExporter.RunsFile));

        Assert.Equal(["unit_id", "kind", "state", "owner", "attempts", "started_at", "finished_at", "duration_s", "cost", "cells", "last_error"], header);
        Assert.Equal(["u1", "u2", "u3"], rows.Select(r => r["unit_id"]));
        Assert.Equal(("node-a", "3", "1970-01-01T00:00:50.000Z", "", "", "1000000000", "boom, twice"), (rows[0]["owner"], rows[0]["attempts"], rows[0]["started_at"], rows[0]["finished_at"], rows[0]["duration_s"], rows[0]["cost"], rows[0]["last_error"]));
        Assert.Equal(("1970-01-01T00:01:40.000Z", "1970-01-01T00:01:41.500Z", "1.5"), (rows[1]["started_at"], rows[1]["finished_at"], rows[1]["duration_s"]));
        Assert.Equal(("", "0"), (rows[2]["owner"], rows[2]["attempts"]));
    }

    [Fact]
    public void ExportingAgainReplacesTheFilesAndLeavesNoTemporaryFiles()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File(CsvSweepExporter.CellsFile), "stale");

        new CsvSweepExporter().Export(Sweep(), dir.Path);
        new CsvSweepExporter().Export(Sweep(LossSelection.Eps), dir.Path);

        Assert.Equal(
            [CsvSweepExporter.CellsFile, CsvSweepExporter.RunsFile, CsvSweepExporter.SummaryFile],
            Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.DoesNotContain("data_test_tavg", File.ReadAllText(dir.File(CsvSweepExporter.CellsFile)), StringComparison.Ordinal);
    }

    [Fact]
    public void TheDirectoryIsCreated()
    {
        using var dir = new TempDirectory();
        string target = Path.Combine(dir.Path, "a", "b");

        new CsvSweepExporter().Export(Sweep(), target);

        Assert.True(File.Exists(Path.Combine(target, CsvSweepExporter.SummaryFile)));
    }

    [Fact]
    public void AnEmptySweepGivesHeadersOnly()
    {
        using var dir = new TempDirectory();
        new CsvSweepExporter().Export(new SweepExportData("empty", [], []), dir.Path);

        var (header, rows) = ReadCsv(dir.File(CsvSweepExporter.CellsFile));
        Assert.Equal("message", header[^1]);
        Assert.Empty(rows);
    }

    [Fact]
    public void FileSpectraShowTheirHashAndNormalisation()
    {
        using var dir = new TempDirectory();
        var config = Config() with { Spectrum = new(SpectrumKind.File, 0.0, "x.txt", false, "abc123") };
        new CsvSweepExporter().Export(new SweepExportData("files", [Pending(config, 0)], []), dir.Path);

        var row = Assert.Single(ReadCsv(dir.File(CsvSweepExporter.CellsFile)).Rows);
        Assert.Equal(("file", "", "abc123", "false"), (row["spectrum"], row["k"], row["spectrum_sha256"], row["spectrum_normalize"]));
    }

    private static (List<string> Header, List<Dictionary<string, string>> Rows) ReadCsv(string path)
    {
        using var reader = new StreamReader(path, Encoding.UTF8);
        using var csv = new CsvReader(reader, CultureInfo.InvariantCulture);
        Assert.True(csv.Read());
        csv.ReadHeader();
        var header = csv.HeaderRecord!.ToList();
        var rows = new List<Dictionary<string, string>>();
        while (csv.Read())
        {
            rows.Add(header.ToDictionary(h => h, h => csv.GetField(h)!));
        }

        return (header, rows);
    }
}
