using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace SweepCluster.Cli.Tests.Reports;

/// <summary>
/// Just enough of a PNG decoder to look at a browser screenshot: 8-bit RGB or RGBA, not interlaced. The image
/// data (all IDAT chunks) is inflated with ZLibStream and every scanline's filter (None, Sub, Up, Average,
/// Paeth) undone. Chunk CRCs are not checked: the files come from a local process, not over a network.
/// </summary>
public sealed class PngImage
{
    private static readonly byte[] _signature = [137, 80, 78, 71, 13, 10, 26, 10];

    private readonly byte[] _pixels;
    private readonly int _channels;

    private PngImage(int width, int height, int channels, byte[] pixels)
    {
        Width = width;
        Height = height;
        _channels = channels;
        _pixels = pixels;
    }

    public int Width { get; }

    public int Height { get; }

    public static PngImage Read(string path) => Decode(File.ReadAllBytes(path));

    /// <exception cref="InvalidDataException">Not a PNG, or a kind this decoder does not handle.</exception>
    public static PngImage Decode(byte[] png)
    {
        ArgumentNullException.ThrowIfNull(png);
        if (png.Length < _signature.Length || !png.AsSpan(0, _signature.Length).SequenceEqual(_signature))
        {
            throw new InvalidDataException("not a PNG file (bad signature)");
        }

        int width = 0, height = 0, channels = 0;
        using var idat = new MemoryStream();
        int at = _signature.Length;
        while (at + 8 <= png.Length)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            string type = Encoding.ASCII.GetString(png, at + 4, 4);
            if (length < 0 || at + 12 + length > png.Length)
            {
                throw new InvalidDataException($"chunk {type} runs past the end of the file");
            }

            var data = png.AsSpan(at + 8, length);
            switch (type)
            {
                case "IHDR":
                    width = BinaryPrimitives.ReadInt32BigEndian(data);
                    height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                    (byte depth, byte colour, byte interlace) = (data[8], data[9], data[12]);
                    channels = colour switch
                    {
                        2 => 3,
                        6 => 4,
                        _ => throw new InvalidDataException($"colour type {colour} is not handled (only 8-bit RGB and RGBA)"),
                    };
                    if (depth != 8 || interlace != 0)
                    {
                        throw new InvalidDataException($"bit depth {depth} / interlace {interlace} is not handled (only 8-bit, not interlaced)");
                    }

                    break;
                case "IDAT":
                    idat.Write(data);
                    break;
                case "IEND":
                    at = png.Length;
                    continue;
                default:
                    break;
            }

            at += 12 + length;
        }

        if (channels == 0)
        {
            throw new InvalidDataException("no IHDR chunk");
        }

        idat.Position = 0;
        using var inflated = new MemoryStream();
        using (var zlib = new ZLibStream(idat, CompressionMode.Decompress))
        {
            zlib.CopyTo(inflated);
        }

        return new PngImage(width, height, channels, Unfilter(inflated.ToArray(), width, height, channels));
    }

    /// <summary>The colour at (x, y); alpha is 255 for RGB images.</summary>
    public (byte R, byte G, byte B, byte A) Pixel(int x, int y)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(x);
        ArgumentOutOfRangeException.ThrowIfNegative(y);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(x, Width);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(y, Height);
        int i = ((y * Width) + x) * _channels;
        return (_pixels[i], _pixels[i + 1], _pixels[i + 2], _channels == 4 ? _pixels[i + 3] : (byte)255);
    }

    private static byte[] Unfilter(byte[] data, int width, int height, int bpp)
    {
        int stride = width * bpp;
        if (data.Length < height * (stride + 1))
        {
            throw new InvalidDataException($"image data has {data.Length} bytes, {width}x{height}x{bpp} needs {height * (stride + 1)}");
        }

        var pixels = new byte[height * stride];
        for (int y = 0; y < height; y++)
        {
            byte filter = data[y * (stride + 1)];
            var line = data.AsSpan((y * (stride + 1)) + 1, stride);
            var output = pixels.AsSpan(y * stride, stride);
            var previous = y == 0 ? Span<byte>.Empty : pixels.AsSpan((y - 1) * stride, stride);
            for (int i = 0; i < stride; i++)
            {
                int left = i >= bpp ? output[i - bpp] : 0;
                int up = y > 0 ? previous[i] : 0;
                int upLeft = y > 0 && i >= bpp ? previous[i - bpp] : 0;
                int predictor = filter switch
                {
                    0 => 0,
                    1 => left,
                    2 => up,
                    3 => (left + up) / 2,
                    4 => Paeth(left, up, upLeft),
                    _ => throw new InvalidDataException($"unknown filter type {filter} on line {y}"),
                };
                output[i] = (byte)(line[i] + predictor);
            }
        }

        return pixels;
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
