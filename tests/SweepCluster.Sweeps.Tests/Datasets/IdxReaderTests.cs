using SweepCluster.Sweeps.Datasets;
using SweepCluster.Sweeps.Tests.Grids;

namespace SweepCluster.Sweeps.Tests.Datasets;

public sealed class IdxReaderTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string WriteBytes(string name, byte[] bytes)
    {
        string path = Path.Combine(_folder.Root, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static DatasetFileException Fails(string path, int? limit = null)
    {
        var e = Assert.Throws<DatasetFileException>(() => IdxReader.ReadFile(path, limit));
        Assert.Equal(path, e.FileName);
        Assert.StartsWith(path + ": ", e.Message, StringComparison.Ordinal);
        return e;
    }

    [Fact]
    public void ReadsTheHeaderAndEveryPixelInOrder()
    {
        byte[] pixels = IdxTestData.Pixels(50, 4, 3, seed: 1);
        string path = WriteBytes("images-idx3-ubyte", IdxTestData.Images(50, 4, 3, pixels));

        var images = IdxReader.ReadFile(path);

        Assert.Equal(50, images.Count);
        Assert.Equal(50, images.DeclaredCount);
        Assert.Equal(4, images.Rows);
        Assert.Equal(3, images.Columns);
        Assert.Equal(12, images.Dimension);
        Assert.Equal(pixels, images.Pixels.ToArray());
    }

    [Fact]
    public void AGzipFileIsRecognisedByItsSignatureNotItsName()
    {
        byte[] pixels = IdxTestData.Pixels(50, 4, 3, seed: 2);
        string path = WriteBytes("no-extension", IdxTestData.Gzip(IdxTestData.Images(50, 4, 3, pixels)));

        var images = IdxReader.ReadFile(path);

        Assert.Equal(50, images.Count);
        Assert.Equal(pixels, images.Pixels.ToArray());
    }

    [Fact]
    public void ALimitKeepsTheFirstImagesAndRemembersTheDeclaredCount()
    {
        byte[] pixels = IdxTestData.Pixels(50, 4, 3, seed: 3);
        string plain = WriteBytes("a", IdxTestData.Images(50, 4, 3, pixels));
        string gzip = WriteBytes("a.gz", IdxTestData.Gzip(IdxTestData.Images(50, 4, 3, pixels)));

        foreach (string path in new[] { plain, gzip })
        {
            var images = IdxReader.ReadFile(path, limit: 20);
            Assert.Equal(20, images.Count);
            Assert.Equal(50, images.DeclaredCount);
            Assert.Equal(pixels.AsSpan(0, 20 * 12).ToArray(), images.Pixels.ToArray());
            Assert.Equal(50, IdxReader.ReadFile(path, limit: 500).Count);
        }
    }

    [Fact]
    public void AMissingFileIsNamed()
    {
        string path = Path.Combine(_folder.Root, "nope.idx");
        Assert.Contains("no such file", Fails(path).Problem, StringComparison.Ordinal);
        Assert.Contains("no such file", Fails(Path.Combine(_folder.Root, "missing-folder", "x")).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void AFileThatIsNotIdxHasTheWrongMagic()
    {
        string path = WriteBytes("picture.png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0, 0, 0, 0, 0]);
        var e = Fails(path);
        Assert.Contains("wrong magic number: not an IDX file", e.Problem, StringComparison.Ordinal);
        Assert.DoesNotContain("89504E47", e.Problem, StringComparison.Ordinal);
        Assert.Contains("0x00000803", e.Problem, StringComparison.Ordinal);

        string unknownType = WriteBytes("type", IdxTestData.Encode(0x00000403, [1, 1, 1], [0]));
        Assert.Contains("element type 0x04 is not an IDX type", Fails(unknownType).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void LabelFilesAndOtherElementTypesAreUnsupported()
    {
        string labels = WriteBytes("labels-idx1-ubyte", IdxTestData.Encode(0x00000801, [3], [1, 2, 3]));
        var e = Fails(labels);
        Assert.Contains("unsupported 1-dimensional IDX array (a label file?)", e.Problem, StringComparison.Ordinal);

        string floats = WriteBytes("floats", IdxTestData.Encode(0x00000D03, [1, 1, 1], [0, 0, 0, 0]));
        Assert.Contains("unsupported IDX element type 32-bit float (magic 0x00000D03)", Fails(floats).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ATruncatedHeaderOrEmptyFileIsReported()
    {
        Assert.Contains("truncated: the file has 0 bytes", Fails(WriteBytes("empty", [])).Problem, StringComparison.Ordinal);
        Assert.Contains("truncated: the file has 2 bytes", Fails(WriteBytes("two", [0, 0])).Problem, StringComparison.Ordinal);
        byte[] header = IdxTestData.Images(50, 4, 3, []);
        Assert.Contains("needs 3 sizes (12 bytes)", Fails(WriteBytes("header", header[..10])).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void TruncatedPixelsAreReportedWithWhatWasThere()
    {
        byte[] pixels = IdxTestData.Pixels(50, 4, 3, seed: 4);
        byte[] file = IdxTestData.Images(50, 4, 3, pixels);
        byte[] cut = file[..(file.Length - 18)];

        var e = Fails(WriteBytes("cut", cut));
        Assert.Contains("truncated: the header declares 50 images of 4 x 3 pixels (600 bytes of pixels) but the file ends after 582 of them (48 whole images)", e.Problem, StringComparison.Ordinal);

        var gz = Fails(WriteBytes("cut-inner.gz", IdxTestData.Gzip(cut)));
        Assert.Contains("truncated", gz.Problem, StringComparison.Ordinal);
        Assert.Contains("the decompressed data ends after 582", gz.Problem, StringComparison.Ordinal);

        // A limit that the data covers still reads.
        Assert.Equal(48, IdxReader.ReadFile(WriteBytes("cut2", cut), limit: 48).Count);
    }

    [Fact]
    public void ACutGzipFileIsReportedNotMisread()
    {
        byte[] pixels = IdxTestData.Pixels(50, 4, 3, seed: 5);
        byte[] gzip = IdxTestData.Gzip(IdxTestData.Images(50, 4, 3, pixels));
        string path = WriteBytes("cut.gz", gzip[..(gzip.Length / 2)]);

        var e = Fails(path);
        Assert.True(e.Problem.Contains("truncated", StringComparison.Ordinal) || e.Problem.Contains("gzip data is corrupt", StringComparison.Ordinal), e.Message);
    }

    [Fact]
    public void CorruptGzipDataIsReported()
    {
        byte[] gzip = IdxTestData.Gzip(IdxTestData.Images(50, 4, 3, IdxTestData.Pixels(50, 4, 3, seed: 6)));
        for (int i = 12; i < gzip.Length - 8; i++)
        {
            gzip[i] ^= 0x5A;
        }

        var e = Fails(WriteBytes("bad.gz", gzip));
        Assert.Contains("gzip data is corrupt", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ZeroSizesTrailingDataAndHugeImagesAreRefused()
    {
        Assert.Contains("every size must be at least 1", Fails(WriteBytes("zero", IdxTestData.Encode(0x00000803, [0, 4, 3], []))).Problem, StringComparison.Ordinal);
        Assert.Contains("every size must be at least 1", Fails(WriteBytes("zero-rows", IdxTestData.Encode(0x00000803, [5, 0, 3], []))).Problem, StringComparison.Ordinal);

        byte[] pixels = IdxTestData.Pixels(2, 4, 3, seed: 7);
        byte[] longer = [.. IdxTestData.Images(2, 4, 3, pixels), 0];
        Assert.Contains("continues after the 2 images of 4 x 3 pixels its header declares", Fails(WriteBytes("longer", longer)).Problem, StringComparison.Ordinal);

        Assert.Contains("at most 16384 pixels", Fails(WriteBytes("huge", IdxTestData.Encode(0x00000803, [10, 1000, 1000], []))).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void AStreamIsReadFromItsCurrentPosition()
    {
        byte[] pixels = IdxTestData.Pixels(3, 2, 2, seed: 8);
        using var stream = new MemoryStream([0xAA, .. IdxTestData.Gzip(IdxTestData.Images(3, 2, 2, pixels))]);
        stream.Position = 1;

        var images = IdxReader.Read(stream, "memory");

        Assert.Equal(pixels, images.Pixels.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => IdxReader.Read(new MemoryStream(), "memory", limit: 0));
    }
}
