using Parquet;
using SweepCluster.Sweeps.Exports;

namespace SweepCluster.Sweeps.Tests.Exports;

public class ParquetTableTests
{
    [Fact]
    public async Task RowsBeyondOneGroupAreSplitIntoGroupsInOrder()
    {
        using var dir = new TempDirectory();
        string path = dir.File("t.parquet");
        new ParquetTable<int>(rowGroupRows: 2)
            .Integer("i", i => i)
            .Real("half", i => i % 2 == 0 ? i / 2.0 : null)
            .Write(path, Enumerable.Range(0, 5));

        await using var reader = await ParquetReader.CreateAsync(path);
        Assert.Equal(3, reader.RowGroupCount);
        var fields = reader.Schema.GetDataFields();
        var ints = new List<long?>();
        var halves = new List<double?>();
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var i = new long?[group.RowCount];
            var h = new double?[group.RowCount];
            await group.ReadAsync<long>(fields[0], i.AsMemory());
            await group.ReadAsync<double>(fields[1], h.AsMemory());
            ints.AddRange(i);
            halves.AddRange(h);
        }

        Assert.Equal([0L, 1L, 2L, 3L, 4L], ints);
        Assert.Equal([0.0, null, 1.0, null, 2.0], halves);
    }

    [Fact]
    public void NoRowsStillGiveAFileWithItsColumns()
    {
        using var dir = new TempDirectory();
        string path = dir.File("t.parquet");
        new ParquetTable<int>(rowGroupRows: 2).Integer("i", i => i).Write(path, []);

        var footer = ParquetFooter.Read(path);
        Assert.Equal(0, footer.Rows);
        Assert.Equal("i", Assert.Single(footer.Columns).Name);
    }

    [Fact]
    public void AGroupSizeBelowOneIsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ParquetTable<int>(rowGroupRows: 0));
}
