using SweepCluster.Sweeps.Exports;

namespace SweepCluster.Sweeps.Tests.Exports;

public class AtomicFileTests
{
    [Fact]
    public void AFailedWriteKeepsTheOldFileAndLeavesNoTemporaryFile()
    {
        using var dir = new TempDirectory();
        string path = dir.File("cells.csv");
        File.WriteAllText(path, "old");

        Assert.Throws<IOException>(() => AtomicFile.Write(path, stream =>
        {
            stream.WriteByte((byte)'x');
            throw new IOException("disk full");
        }));

        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void ASuccessfulWriteReplacesTheFile()
    {
        using var dir = new TempDirectory();
        string path = dir.File("cells.csv");
        File.WriteAllText(path, "old");

        AtomicFile.WriteText(path, w => w.WriteLine("new"));

        Assert.Equal("new\n", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(dir.Path));
    }
}
