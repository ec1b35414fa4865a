using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace SweepCluster.Cli.Tests.Reports;

/// <summary>The screenshot check is only as good as its decoder: each filter type against a hand-encoded image.</summary>
public class PngImageTests
{
    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    public void DecodesEveryFilterType(int channels)
    {
        // Five rows, one per filter type (None, Sub, Up, Average, Paeth), of pseudo-random pixels.
        const int width = 7;
        const int height = 5;
        var random = new Random(17);
        var pixels = new byte[height][];
        for (int y = 0; y < height; y++)
        {
            pixels[y] = new byte[width * channels];
            random.NextBytes(pixels[y]);
        }

        var image = PngImage.Decode(Encode(width, height, channels, pixels));

        Assert.Equal((width, height), (image.Width, image.Height));
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int i = x * channels;
                var expected = (pixels[y][i], pixels[y][i + 1], pixels[y][i + 2], channels == 4 ? pixels[y][i + 3] : (byte)255);
                Assert.Equal(expected, image.Pixel(x, y));
            }
        }
    }

    [Fact]
    public void RejectsWhatIsNotAPng() => Assert.Throws<InvalidDataException>(() => PngImage.Decode(Encoding.ASCII.GetBytes("GIF89a.....")));

    private static byte[] Encode(int width, int height, int channels, byte[][] rows)
    {
        int stride = width * channels;
        using var raw = new MemoryStream();
        for (int y = 0; y < height; y++)
        {
            byte filter = (byte)(y % 5);
            raw.WriteByte(filter);
            for (int i = 0; i < stride; i++)
            {
                int left = i >= channels ? rows[y][i - channels] : 0;
                int up = y > 0 ? rows[y - 1][i] : 0;
                int upLeft = y > 0 && i >= channels ? rows[y - 1][i - channels] : 0;
                int predictor = filter switch
                {
                    1 => left,
                    2 => up,
                    3 => (left + up) / 2,
                    4 => Paeth(left, up, upLeft),
                    _ => 0,
                };
                raw.WriteByte((byte)(rows[y][i] - predictor));
            }
        }

        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            raw.Position = 0;
            raw.CopyTo(zlib);
        }

        using var png = new MemoryStream();
        png.Write([137, 80, 78, 71, 13, 10, 26, 10]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8;
        header[9] = (byte)(channels == 4 ? 6 : 2);
        Chunk(png, "IHDR", header);

        // Split the image data over two IDAT chunks, as encoders may.
        var data = compressed.ToArray();
        Chunk(png, "IDAT", data[..(data.Length / 2)]);
        Chunk(png, "tEXt", Encoding.ASCII.GetBytes("Comment\0ignored"));
        Chunk(png, "IDAT", data[(data.Length / 2)..]);
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        var length = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        png.Write(length);
        png.Write(Encoding.ASCII.GetBytes(type));
        png.Write(data);
        png.Write(new byte[4]);
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a);
        int pb = Math.Abs(p - b);
        int pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
