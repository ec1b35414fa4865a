using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using SweepCluster.Cli.Tests.Support;

namespace SweepCluster.Cli.Tests.Spectrum;

public sealed class SpectrumCommandTests : IDisposable
{
    private readonly TempFolder _folder = new("spectrum");

    public void Dispose() => _folder.Dispose();

    /// <summary>An IDX image file (magic 0x00000803) of n random rows x cols images, optionally gzip-compressed.</summary>
    private string WriteImages(string name, int n, int rows, int cols, bool gzip = false, int seed = 1)
    {
        var random = new Random(seed);
        var bytes = new byte[16 + (n * rows * cols)];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, 0x00000803);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4), (uint)n);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(8), (uint)rows);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(12), (uint)cols);
        random.NextBytes(bytes.AsSpan(16));
        if (gzip)
        {
            using var buffer = new MemoryStream();
            using (var z = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
            {
                z.Write(bytes);
            }

            bytes = buffer.ToArray();
        }

        string path = _folder[name];
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static double[] Values(string file) =>
        File.ReadAllLines(file)
            .Where(l => !l.StartsWith('#'))
            .Select(l => double.Parse(l, NumberStyles.Float, CultureInfo.InvariantCulture))
            .ToArray();

    [Fact]
    public void TheEigenvaluesFeedSweepCellAsASpectrumFile()
    {
        string idx = WriteImages("images-idx3-ubyte", 50, 4, 3);
        string output = _folder["out/eigenvalues.txt"];

        var run = CliProcess.Run("spectrum", "--idx", idx, "--out", output);

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("Read 50 of 50 images of 4 x 3 pixels (d = 12)", run.Stderr, StringComparison.Ordinal);
        string text = File.ReadAllText(output);
        Assert.Contains($"# source: {idx} (sha256 ", text, StringComparison.Ordinal);
        Assert.Contains("# images: 50 (all images of the file), 4 x 3 pixels, d = 12", text, StringComparison.Ordinal);
        double[] values = Values(output);
        Assert.Equal(12, values.Length);
        Assert.True(values.Zip(values.Skip(1), (a, b) => a >= b).All(descending => descending), "descending");
        Assert.True(values[^1] > 0);

        // Random bytes in [0, 1]: each pixel has variance about 1/12, so Tr Sigma / d is near 1/12.
        Assert.InRange(values.Sum() / 12, 0.05, 0.12);

        var cell = CliProcess.Run("cell", "--spectrum-file", output, "--d", "12", "--N", "30", "--seeds", "2", "--compact");
        Assert.True(cell.ExitCode == 0, cell.Stderr);
        using var doc = JsonDocument.Parse(cell.Stdout);
        Assert.True(doc.RootElement.GetProperty("sim").GetProperty("eps_test_tavg").GetProperty("mean").GetDouble() > 0);
        Assert.True(doc.RootElement.GetProperty("theory").GetProperty("eps_test_tavg").GetDouble() > 0);
    }

    [Fact]
    public void TheOutputIsDeterministicAndAGzipFileGivesTheSameEigenvalues()
    {
        string plain = WriteImages("plain", 50, 4, 3, seed: 2);
        string gzip = WriteImages("packed", 50, 4, 3, gzip: true, seed: 2);

        var first = CliProcess.Run("spectrum", "--idx", plain, "--out", _folder["a.txt"], "--backend", "managed");
        var second = CliProcess.Run("spectrum", "--idx", plain, "--out", _folder["b.txt"], "--backend", "managed");
        var packed = CliProcess.Run("spectrum", "--idx", gzip, "--out", _folder["c.txt"], "--backend", "managed");

        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.True(second.ExitCode == 0, second.Stderr);
        Assert.True(packed.ExitCode == 0, packed.Stderr);
        Assert.Equal(File.ReadAllText(_folder["a.txt"]), File.ReadAllText(_folder["b.txt"]));
        Assert.Equal(Values(_folder["a.txt"]), Values(_folder["c.txt"]));
    }

    [Fact]
    public void ALimitUsesTheFirstImages()
    {
        string idx = WriteImages("images", 50, 4, 3, seed: 3);

        var run = CliProcess.Run("spectrum", "--idx", idx, "--out", _folder["limited.txt"], "--limit", "20");

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("# images: 20 (the first 20 of 50 images of the file)", File.ReadAllText(_folder["limited.txt"]), StringComparison.Ordinal);
        Assert.Contains("--limit 20", File.ReadAllText(_folder["limited.txt"]), StringComparison.Ordinal);
    }

    [Fact]
    public void BadFilesExitWith2NameTheFileAndWriteNothing()
    {
        string good = WriteImages("good", 50, 4, 3);
        byte[] bytes = File.ReadAllBytes(good);
        string truncated = _folder["truncated"];
        File.WriteAllBytes(truncated, bytes[..(bytes.Length - 5)]);
        string wrongMagic = _folder["wrong-magic"];
        File.WriteAllBytes(wrongMagic, [(byte)'h', (byte)'e', (byte)'l', (byte)'l', (byte)'o', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        string labels = _folder["labels"];
        File.WriteAllBytes(labels, [0, 0, 8, 1, 0, 0, 0, 2, 5, 7]);
        string floats = _folder["floats"];
        File.WriteAllBytes(floats, [0, 0, 0x0D, 3, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0]);
        string oneImage = WriteImages("one", 1, 4, 3);

        (string File, string Problem)[] cases =
        [
            (_folder["missing.idx"], "no such file"),
            (truncated, "truncated: the header declares 50 images of 4 x 3 pixels"),
            (wrongMagic, "wrong magic number: not an IDX file"),
            (labels, "unsupported 1-dimensional IDX array"),
            (floats, "unsupported IDX element type 32-bit float"),
            (oneImage, "needs at least 2"),
        ];
        foreach (var (file, problem) in cases)
        {
            string output = _folder["never.txt"];
            var run = CliProcess.Run("spectrum", "--idx", file, "--out", output);
            Assert.True(run.ExitCode == 2, $"{file}: exit {run.ExitCode}\n{run.Stderr}");
            Assert.Contains($"error: {file}: ", run.Stderr, StringComparison.Ordinal);
            Assert.Contains(problem, run.Stderr, StringComparison.Ordinal);
            Assert.Empty(run.Stdout);
            Assert.False(File.Exists(output), $"{file}: an output file was written");
        }
    }

    [Fact]
    public void BadOptionsExitWith2()
    {
        string idx = WriteImages("images", 10, 2, 2);

        var limit = CliProcess.Run("spectrum", "--idx", idx, "--out", _folder["x.txt"], "--limit", "1");
        Assert.Equal(2, limit.ExitCode);
        Assert.Contains("error: --limit:", limit.Stderr, StringComparison.Ordinal);

        var backend = CliProcess.Run("spectrum", "--idx", idx, "--backend", "gpu");
        Assert.Equal(2, backend.ExitCode);
        Assert.Contains("--backend", backend.Stderr, StringComparison.Ordinal);

        var missing = CliProcess.Run("spectrum");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("--idx", missing.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(_folder["x.txt"]));
    }
}
