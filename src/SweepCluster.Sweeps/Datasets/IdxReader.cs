using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;

namespace SweepCluster.Sweeps.Datasets;

/// <summary>
/// Reads image arrays in the IDX format of MNIST and Fashion-MNIST: a big-endian header (two zero bytes,
/// an element-type byte, a dimension-count byte, then one 32-bit size per dimension) followed by the
/// elements in row-major order. Only unsigned-byte 3-D arrays (magic 0x00000803: images x rows x
/// columns) are accepted, the form every image file of those datasets has. A file that starts with the
/// gzip signature 1f 8b is decompressed on the fly, since the datasets are distributed (and packaged by
/// Debian) as .gz files.
/// </summary>
public static class IdxReader
{
    /// <summary>The only magic number accepted: unsigned bytes (0x08), three dimensions (0x03).</summary>
    public const uint ImageMagic = 0x00000803;

    private const byte UnsignedByteType = 0x08;

    /// <summary>
    /// Beyond this many pixels per image the dense d x d covariance (8 d^2 bytes) no longer fits a .NET
    /// array, so such a file is refused while reading its header rather than after minutes of work.
    /// </summary>
    public const int MaxDimension = 16384;

    /// <summary>Reads the file at <paramref name="path"/>; <paramref name="limit"/> keeps only the first images.</summary>
    /// <exception cref="DatasetFileException">The file is missing, unreadable, malformed, truncated or of an unsupported type.</exception>
    public static IdxImages ReadFile(string path, int? limit = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        FileStream stream;
        try
        {
            Files.RegularFile.EnsureRegular(path);
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        }
        catch (FileNotFoundException e)
        {
            throw new DatasetFileException(path, "no such file", e);
        }
        catch (DirectoryNotFoundException e)
        {
            throw new DatasetFileException(path, "no such file (its folder does not exist)", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new DatasetFileException(path, "the file cannot be read (permission denied, or it is a folder)", e);
        }
        catch (IOException e)
        {
            throw new DatasetFileException(path, $"the file cannot be read: {e.Message}", e);
        }

        using (stream)
        {
            return Read(stream, path, limit);
        }
    }

    /// <summary>
    /// Reads IDX images from <paramref name="stream"/>, which must be seekable so the gzip signature can be
    /// looked at and put back. <paramref name="source"/> names the data in error messages.
    /// </summary>
    /// <exception cref="DatasetFileException">The data is malformed, truncated or of an unsupported type.</exception>
    public static IdxImages Read(Stream stream, string source, int? limit = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(source);
        if (!stream.CanSeek)
        {
            throw new ArgumentException("the stream must be seekable (the first bytes are looked at twice)", nameof(stream));
        }

        if (limit is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit, "the limit must be at least 1");
        }

        try
        {
            long start = stream.Position;
            Span<byte> signature = stackalloc byte[2];
            int got = stream.ReadAtLeast(signature, 2, throwOnEndOfStream: false);
            stream.Position = start;
            if (got == 2 && signature[0] == 0x1f && signature[1] == 0x8b)
            {
                using var gzip = new GZipStream(stream, CompressionMode.Decompress, leaveOpen: true);
                return ReadIdx(gzip, source, limit, compressed: true);
            }

            return ReadIdx(stream, source, limit, compressed: false);
        }
        catch (InvalidDataException e)
        {
            // GZipStream's way of saying the compressed data is damaged.
            throw new DatasetFileException(source, $"the gzip data is corrupt: {e.Message}", e);
        }
        catch (IOException e)
        {
            throw new DatasetFileException(source, $"the file cannot be read: {e.Message}", e);
        }
    }

    private static IdxImages ReadIdx(Stream stream, string source, int? limit, bool compressed)
    {
        string what = compressed ? "the decompressed data" : "the file";
        Span<byte> magicBytes = stackalloc byte[4];
        int got = stream.ReadAtLeast(magicBytes, 4, throwOnEndOfStream: false);
        if (got < 4)
        {
            throw new DatasetFileException(source, $"truncated: {what} has {got} bytes, fewer than the 4 of an IDX magic number");
        }

        uint magic = BinaryPrimitives.ReadUInt32BigEndian(magicBytes);
        CheckMagic(magic, source);

        Span<byte> sizeBytes = stackalloc byte[12];
        got = stream.ReadAtLeast(sizeBytes, 12, throwOnEndOfStream: false);
        if (got < 12)
        {
            throw new DatasetFileException(source, $"truncated: the header needs 3 sizes (12 bytes) after the magic number but {what} has only {got}");
        }

        uint declaredImages = BinaryPrimitives.ReadUInt32BigEndian(sizeBytes);
        uint rows = BinaryPrimitives.ReadUInt32BigEndian(sizeBytes[4..]);
        uint columns = BinaryPrimitives.ReadUInt32BigEndian(sizeBytes[8..]);
        string shape = string.Create(CultureInfo.InvariantCulture, $"{declaredImages} images of {rows} x {columns} pixels");
        if (declaredImages == 0 || rows == 0 || columns == 0)
        {
            throw new DatasetFileException(source, $"the header declares {shape}; every size must be at least 1");
        }

        if (declaredImages > int.MaxValue || (ulong)rows * columns > MaxDimension)
        {
            throw new DatasetFileException(source, string.Create(CultureInfo.InvariantCulture, $"the header declares {shape}; supported are at most {int.MaxValue} images of at most {MaxDimension} pixels (a dense covariance of more pixels does not fit in memory)"));
        }

        int d = (int)(rows * columns);
        int count = limit is int l ? Math.Min(l, (int)declaredImages) : (int)declaredImages;
        long bytes = (long)count * d;
        if (bytes > Array.MaxLength)
        {
            throw new DatasetFileException(source, string.Create(CultureInfo.InvariantCulture, $"{count} images of {d} pixels ({bytes} bytes) do not fit in one array; use a smaller limit"));
        }

        var pixels = new byte[bytes];
        int read = stream.ReadAtLeast(pixels, pixels.Length, throwOnEndOfStream: false);
        if (read < pixels.Length)
        {
            long needed = (long)declaredImages * d;
            throw new DatasetFileException(source, string.Create(CultureInfo.InvariantCulture,
                $"truncated: the header declares {shape} ({needed} bytes of pixels) but {what} ends after {read} of them ({read / d} whole images)"));
        }

        if (count == declaredImages && stream.ReadByte() >= 0)
        {
            // More data than the header declares means the header is wrong, so the pixels may be misread.
            throw new DatasetFileException(source, $"{what} continues after the {shape} its header declares; the header does not describe the data");
        }

        return new IdxImages(count, (int)rows, (int)columns, (int)declaredImages, pixels);
    }

    private static void CheckMagic(uint magic, string source)
    {
        if (magic == ImageMagic)
        {
            return;
        }

        string found = string.Create(CultureInfo.InvariantCulture, $"0x{magic:X8}");
        if ((magic & 0xFFFF0000) != 0)
        {
            // Its bytes are not shown: a file that is not what it claims may be a secret, and these would be its first characters.
            throw new DatasetFileException(source, $"wrong magic number: not an IDX file (an IDX image file starts with 0x{ImageMagic:X8}; a gzip file with 1f 8b)");
        }

        byte type = (byte)(magic >> 8);
        int dimensions = (int)(magic & 0xFF);
        string? typeName = type switch
        {
            0x08 => "unsigned byte",
            0x09 => "signed byte",
            0x0B => "16-bit integer",
            0x0C => "32-bit integer",
            0x0D => "32-bit float",
            0x0E => "64-bit float",
            _ => null,
        };
        if (typeName is null)
        {
            throw new DatasetFileException(source, $"wrong magic number {found}: element type 0x{type:X2} is not an IDX type (an IDX image file starts with 0x{ImageMagic:X8})");
        }

        if (type != UnsignedByteType)
        {
            throw new DatasetFileException(source, $"unsupported IDX element type {typeName} (magic {found}); only unsigned-byte images (magic 0x{ImageMagic:X8}) are supported");
        }

        string hint = dimensions == 1 ? " (a label file?)" : string.Empty;
        throw new DatasetFileException(source, string.Create(CultureInfo.InvariantCulture,
            $"unsupported {dimensions}-dimensional IDX array{hint} (magic {found}); only 3-dimensional images x rows x columns (magic 0x{ImageMagic:X8}) are supported"));
    }
}
