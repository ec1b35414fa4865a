using Parquet;
using Parquet.Schema;
using SweepCluster.Sweeps.Exports;
using static SweepCluster.Sweeps.Tests.Exports.ExportSamples;

namespace SweepCluster.Sweeps.Tests.Exports;

public class ParquetSweepExporterTests
{
    [Fact]
    public void TheFooterDeclaresTypedColumnsUnderTheCsvNames()
    {
        using var dir = new TempDirectory();
        new ParquetSweepExporter().Export(Sweep(), dir.Path);
        new CsvSweepExporter().Export(Sweep(), dir.Path);

        var cells = ParquetFooter.Read(dir.File(ParquetSweepExporter.CellsFile));
        string csvHeader = File.ReadLines(dir.File(CsvSweepExporter.CellsFile)).First();
        Assert.Equal(csvHeader, string.Join(",", cells.Columns.Select(c => c.Name)));
        Assert.Equal(7, cells.Rows);
        Assert.Equal(ParquetFooter.Int64, cells["d"].PhysicalType);
        Assert.Equal(ParquetFooter.Int64, cells["seed"].PhysicalType);
        Assert.Equal(ParquetFooter.Double, cells["c"].PhysicalType);
        Assert.Equal(ParquetFooter.Double, cells["tau"].PhysicalType);
        Assert.Equal(ParquetFooter.Double, cells["eps_test_t9"].PhysicalType);
        Assert.Equal(ParquetFooter.Boolean, cells["sampler_last_noise"].PhysicalType);
        Assert.Equal((ParquetFooter.ByteArray, ParquetFooter.ConvertedUtf8), (cells["spectrum"].PhysicalType, cells["spectrum"].ConvertedType));

        var runs = ParquetFooter.Read(dir.File(ParquetSweepExporter.RunsFile));
        Assert.Equal(CsvSweepExporter.RunsHeader, runs.Columns.Select(c => c.Name));
        var started = runs["started_at"];
        Assert.Equal((ParquetFooter.Int64, "ms UTC"), (started.PhysicalType, started.Timestamp));
        Assert.Equal(ParquetFooter.Int64, runs["attempts"].PhysicalType);

        var summary = ParquetFooter.Read(dir.File(ParquetSweepExporter.SummaryFile));
        Assert.Equal(CsvSweepExporter.SummaryHeader, summary.Columns.Select(c => c.Name));
        Assert.Equal(ParquetFooter.Double, summary["std"].PhysicalType);
        Assert.Equal(ParquetFooter.Int64, summary["n"].PhysicalType);
    }

    [Fact]
    public async Task ValuesReadBackTypedWithNullsWhereTheCsvIsEmpty()
    {
        using var dir = new TempDirectory();
        var data = Sweep();
        new ParquetSweepExporter().Export(data, dir.Path);

        var cells = await ReadAsync(dir.File(ParquetSweepExporter.CellsFile));
        int seed1 = Array.IndexOf(cells["cell_id"], data.Cells.ElementAt(1).Cell.Id);
        Assert.Equal(4L, cells["d"][seed1]);
        Assert.Equal(1L, cells["seed"][seed1]);
        Assert.Equal(double.PositiveInfinity, cells["tau"][seed1]);
        Assert.Equal(true, cells["sampler_last_noise"][seed1]);
        Assert.Equal(12.0, cells["eps_test_t9"][seed1]);
        Assert.Equal("ok", cells["status"][seed1]);
        int pending = Array.IndexOf(cells["cell_id"], data.Cells.ElementAt(4).Cell.Id);
        Assert.Equal((null, null), (cells["status"][pending], cells["eps_test_tavg"][pending]));
        Assert.Equal(data.Cells.Select(c => c.Cell.Id).Order(StringComparer.Ordinal), cells["cell_id"].Cast<string>());

        var runs = await ReadAsync(dir.File(ParquetSweepExporter.RunsFile));
        Assert.Equal(["u1", "u2", "u3"], runs["unit_id"]);
        Assert.Equal(new DateTime(1970, 1, 1, 0, 1, 41, 500, DateTimeKind.Utc), runs["finished_at"][1]);
        Assert.Equal((null, null), (runs["started_at"][2], runs["duration_s"][2]));
        Assert.Equal(1.5, runs["duration_s"][1]);

        // Grid point c = 0.01 has one ok seed: its std is null, the other point's (two seeds) a number.
        var summary = await ReadAsync(dir.File(ParquetSweepExporter.SummaryFile));
        var stds = Enumerable.Range(0, summary["metric"].Length)
            .Where(i => (string?)summary["metric"][i] == "eps_test_tavg")
            .ToDictionary(i => (double)summary["c"][i]!, i => summary["std"][i]);
        Assert.Null(stds[1e-2]);
        Assert.IsType<double>(stds[1e-4]);
    }

    [Fact]
    public void TheSameDataInAnotherOrderGivesByteIdenticalFiles()
    {
        using var first = new TempDirectory();
        using var second = new TempDirectory();

        new ParquetSweepExporter().Export(Sweep(), first.Path);
        new ParquetSweepExporter().Export(Reversed(Sweep()), second.Path);

        foreach (string file in new[] { ParquetSweepExporter.CellsFile, ParquetSweepExporter.RunsFile, ParquetSweepExporter.SummaryFile })
        {
            Assert.Equal(File.ReadAllBytes(first.File(file)), File.ReadAllBytes(second.File(file)));
        }
    }

    [Fact]
    public async Task ExportingFromASingleThreadedSchedulerEnds()
    {
        // `run` exports from an actor, whose scheduler runs one task at a time; the writer must not wait on it.
        using var dir = new TempDirectory();
        var oneAtATime = new ConcurrentExclusiveSchedulerPair(TaskScheduler.Default, 1).ExclusiveScheduler;

        var export = Task.Factory.StartNew(() => new ParquetSweepExporter().Export(Sweep(), dir.Path), CancellationToken.None, TaskCreationOptions.None, oneAtATime);

        await export.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(7, ParquetFooter.Read(dir.File(ParquetSweepExporter.CellsFile)).Rows);
    }

    [Fact]
    public void AnEmptySweepGivesFilesWithTheirColumnsAndNoRows()
    {
        using var dir = new TempDirectory();
        new ParquetSweepExporter().Export(new SweepExportData("empty", [], []), dir.Path);

        var cells = ParquetFooter.Read(dir.File(ParquetSweepExporter.CellsFile));
        Assert.Equal(0, cells.Rows);
        Assert.Equal("message", cells.Columns[^1].Name);
    }

    /// <summary>Every column of a file as boxed values (null for a missing one), by name, through Parquet.Net's reader.</summary>
    private static async Task<Dictionary<string, object?[]>> ReadAsync(string path)
    {
        await using var reader = await ParquetReader.CreateAsync(path);
        Assert.Equal(1, reader.RowGroupCount);
        using var group = reader.OpenRowGroupReader(0);
        int rows = checked((int)group.RowCount);
        var columns = new Dictionary<string, object?[]>(StringComparer.Ordinal);
        foreach (var field in reader.Schema.GetDataFields())
        {
            columns[field.Name] = field.ClrType switch
            {
                var t when t == typeof(string) || t == typeof(ReadOnlyMemory<char>) => await ReadTextAsync(group, field, rows),
                var t when t == typeof(long) => await ReadStructAsync<long>(group, field, rows),
                var t when t == typeof(double) => await ReadStructAsync<double>(group, field, rows),
                var t when t == typeof(bool) => await ReadStructAsync<bool>(group, field, rows),
                var t when t == typeof(DateTime) => await ReadStructAsync<DateTime>(group, field, rows),
                var t => throw new InvalidOperationException($"{field.Name}: unexpected type {t}"),
            };
        }

        return columns;
    }

    private static async Task<object?[]> ReadTextAsync(ParquetRowGroupReader group, DataField field, int rows)
    {
        var values = new string?[rows];
        await group.ReadAsync(field, values.AsMemory());
        return [.. values];
    }

    private static async Task<object?[]> ReadStructAsync<T>(ParquetRowGroupReader group, DataField field, int rows)
        where T : struct
    {
        var values = new T?[rows];
        await group.ReadAsync<T>(field, values.AsMemory());
        return [.. values.Select(v => v is { } x ? (object)x : null)];
    }
}
