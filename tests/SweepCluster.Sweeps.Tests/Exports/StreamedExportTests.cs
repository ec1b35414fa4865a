using System.Collections;
using SweepCluster.Sweeps.Aggregation;
using SweepCluster.Sweeps.Exports;
using static SweepCluster.Sweeps.Tests.Exports.ExportSamples;

namespace SweepCluster.Sweeps.Tests.Exports;

/// <summary>
/// Exports of a sweep read one cell at a time, as `sweep export` reads a store page by page: the same bytes as the
/// sweep held in memory, and rows written while the cells are read rather than after (memory stays flat; the
/// numbers are in docs/benchmarks.md, the unit tests only check the behaviour that keeps it so).
/// </summary>
public sealed class StreamedExportTests
{
    public static TheoryData<string> Formats => ["csv", "jsonl"];

    [Theory]
    [MemberData(nameof(Formats))]
    public void AStreamedSweepExportsTheBytesOfTheSweepInMemory(string format)
    {
        // Larger than what the seed summary holds in memory, so its temporary files are used too.
        var data = Large(SeedSummaries.DefaultMemoryCells + 5_000);
        var streamed = data with { Cells = new OneAtATime<ExportCell>([.. data.Cells.OrderBy(c => c.Cell.Id, StringComparer.Ordinal)]), Units = new OneAtATime<ExportUnit>([.. data.Units]) };
        using var inMemory = new TempDirectory();
        using var fromStream = new TempDirectory();

        SweepExporters.Get(format).Export(data, inMemory.Path);
        SweepExporters.Get(format).Export(streamed, fromStream.Path);

        var files = Directory.GetFileSystemEntries(inMemory.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(3, files.Length);
        Assert.Equal(files, Directory.GetFileSystemEntries(fromStream.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (string file in files!)
        {
            Assert.True(File.ReadAllBytes(Path.Combine(inMemory.Path, file!)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(fromStream.Path, file!))), $"{file} differs");
        }

        Assert.Equal(2, ((OneAtATime<ExportCell>)streamed.Cells).Enumerations);
    }

    [Fact]
    public void CellsAreWrittenWhileTheyAreRead()
    {
        // An exporter that gathered the rows before writing would have written nothing when the last cell is read.
        using var dir = new TempDirectory();
        var data = Large(5_000);
        long writtenWhenLastRead = -1;
        var cells = new OneAtATime<ExportCell>(
            [.. data.Cells.OrderBy(c => c.Cell.Id, StringComparer.Ordinal)],
            onLast: enumeration => writtenWhenLastRead = enumeration == 2 ? Directory.GetFiles(dir.Path, "*.tmp").Sum(f => new FileInfo(f).Length) : writtenWhenLastRead);

        new CsvSweepExporter().Export(data with { Cells = cells }, dir.Path);

        long final = new FileInfo(dir.File(CsvSweepExporter.CellsFile)).Length;
        Assert.True(writtenWhenLastRead > final / 2, $"{writtenWhenLastRead} of {final} bytes of cells.csv were written when the last cell was read");
    }

    [Fact]
    public void AStreamOutOfIdOrderIsRefused()
    {
        using var dir = new TempDirectory();
        var data = Sweep();
        var cells = new OneAtATime<ExportCell>([.. data.Cells.OrderByDescending(c => c.Cell.Id, StringComparer.Ordinal)]);

        var e = Assert.Throws<InvalidOperationException>(() => new CsvSweepExporter().Export(data with { Cells = cells }, dir.Path));
        Assert.Contains("id order", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SummariesFromTemporaryFilesAreTheSummariesInMemory()
    {
        var cells = Large(3_000).Cells.ToList();
        using var summaries = new SeedSummaries(memoryCells: 0);
        foreach (var cell in cells.OrderBy(c => c.Cell.Id, StringComparer.Ordinal))
        {
            summaries.Add(cell);
        }

        var expected = SeedAggregator.Aggregate(cells);
        var actual = summaries.Summaries().ToList();

        Assert.True(summaries.Spilled);
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            var (e, a) = (expected[i], actual[i]);
            Assert.Equal((e.GridPoint, e.CanonicalParameters, e.TheoryCellId, e.Seeds, e.Failed, e.Pending), (a.GridPoint, a.CanonicalParameters, a.TheoryCellId, a.Seeds, a.Failed, a.Pending));
            Assert.Equal(expected[i].Metrics, actual[i].Metrics);
        }
    }

    /// <summary>About <paramref name="cells"/> cells: grid points of three seeds (one failed, one pending at every tenth point) and a theory.</summary>
    private static SweepExportData Large(int cells)
    {
        var list = new List<ExportCell>(cells);
        for (int point = 0; list.Count < cells; point++)
        {
            var config = Config(1e-4 * (point + 1));
            list.Add(Sim(config, 0, Full(1.0 + point)));
            list.Add(point % 10 == 0 ? Failed(config, 1, "unstable") : Sim(config, 1, Full(2.0 + point)));
            list.Add(point % 10 == 5 ? Pending(config, 2) : Sim(config, 2, Full(0.5 + point)));
            list.Add(Theory(config, point % 7 == 0 ? null : Full(1.5 + point)));
        }

        ExportUnit[] units = [new("u1", "sim", "done", "node-a", 1, null, 1.0, 2.0, 3.0, cells)];
        return new SweepExportData("large", list, units);
    }

    /// <summary>A sequence that is not a collection (so it cannot be counted or indexed), counting its enumerations.</summary>
    private sealed class OneAtATime<T>(IReadOnlyList<T> items, Action<int>? onLast = null) : IEnumerable<T>
    {
        public int Enumerations { get; private set; }

        public IEnumerator<T> GetEnumerator()
        {
            int enumeration = ++Enumerations;
            for (int i = 0; i < items.Count; i++)
            {
                if (i == items.Count - 1)
                {
                    onLast?.Invoke(enumeration);
                }

                yield return items[i];
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
