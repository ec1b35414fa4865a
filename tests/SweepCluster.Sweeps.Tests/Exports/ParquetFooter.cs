using System.Buffers.Binary;
using System.Text;

namespace SweepCluster.Sweeps.Tests.Exports;

/// <summary>
/// A second reader of a Parquet file, written from the format's definition and sharing no code with Parquet.Net:
/// the "PAR1" magic at both ends, the footer length before the trailing magic, and the FileMetaData footer decoded
/// from Thrift's compact protocol. What pandas, polars and DuckDB see as the schema is what this returns.
/// </summary>
internal sealed class ParquetFooter
{
    // Parquet's physical types (parquet.thrift, enum Type) and converted types used here.
    public const int Boolean = 0;
    public const int Int64 = 2;
    public const int Double = 5;
    public const int ByteArray = 6;
    public const int ConvertedUtf8 = 0;

    private readonly byte[] _bytes;
    private int _at;

    private ParquetFooter(byte[] bytes, int at)
    {
        _bytes = bytes;
        _at = at;
    }

    /// <summary>One leaf column of the schema.</summary>
    /// <param name="Timestamp">For a timestamp, its unit and whether it is UTC ("ms UTC"); null otherwise.</param>
    public sealed record Column(string Name, int PhysicalType, int? ConvertedType, string? Timestamp);

    /// <summary>Rows in the file and its leaf columns in order.</summary>
    public sealed record FileSchema(long Rows, IReadOnlyList<Column> Columns)
    {
        public Column this[string name] => Columns.Single(c => c.Name == name);
    }

    public static FileSchema Read(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        byte[] magic = "PAR1"u8.ToArray();
        Assert.True(bytes.Length >= 12, $"{path}: {bytes.Length} bytes is too short for a Parquet file");
        Assert.Equal(magic, bytes[..4]);
        Assert.Equal(magic, bytes[^4..]);
        int length = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(bytes.Length - 8, 4));
        Assert.InRange(length, 1, bytes.Length - 12);

        var footer = new ParquetFooter(bytes, bytes.Length - 8 - length);
        var metadata = (Dictionary<short, object>)footer.ReadValue(Struct);
        Assert.Equal(bytes.Length - 8, footer._at);

        var elements = ((List<object>)metadata[2]).Cast<Dictionary<short, object>>().ToList();

        // The first element is the root; a flat table has only leaves after it.
        Assert.Equal(elements.Count - 1, Convert.ToInt32(elements[0][5], System.Globalization.CultureInfo.InvariantCulture));
        var columns = elements.Skip(1).Select(e => new Column(
            Encoding.UTF8.GetString((byte[])e[4]),
            (int)(long)e[1],
            e.TryGetValue(6, out var converted) ? (int)(long)converted : null,
            e.TryGetValue(10, out var logical) ? Timestamp((Dictionary<short, object>)logical) : null)).ToList();
        return new FileSchema((long)metadata[3], columns);
    }

    // LogicalType is a union; TIMESTAMP is member 8: {1: isAdjustedToUTC, 2: unit (a union: 1 MILLIS, 2 MICROS, 3 NANOS)}.
    private static string? Timestamp(Dictionary<short, object> logical)
    {
        if (!logical.TryGetValue(8, out var value))
        {
            return null;
        }

        var timestamp = (Dictionary<short, object>)value;
        string unit = ((Dictionary<short, object>)timestamp[2]).Keys.Single() switch
        {
            1 => "ms",
            2 => "us",
            3 => "ns",
            var other => $"unit {other}",
        };
        return timestamp[1] is true ? unit + " UTC" : unit;
    }

    // Thrift compact protocol type codes.
    private const int True = 1;
    private const int False = 2;
    private const int Byte = 3;
    private const int I16 = 4;
    private const int I32 = 5;
    private const int I64 = 6;
    private const int Dbl = 7;
    private const int Binary = 8;
    private const int List = 9;
    private const int Set = 10;
    private const int Map = 11;
    private const int Struct = 12;

    private object ReadValue(int type) => type switch
    {
        True => true,
        False => false,
        Byte => (long)(sbyte)_bytes[_at++],
        I16 or I32 or I64 => ZigZag(ReadVarint()),
        Dbl => ReadDouble(),
        Binary => ReadBinary(),
        List or Set => ReadList(),
        Map => ReadMap(),
        Struct => ReadStruct(),
        _ => throw new InvalidDataException($"Thrift type {type} at byte {_at}"),
    };

    private Dictionary<short, object> ReadStruct()
    {
        var fields = new Dictionary<short, object>();
        short id = 0;
        while (true)
        {
            byte header = _bytes[_at++];
            if (header == 0)
            {
                return fields;
            }

            int delta = header >> 4;
            id = delta == 0 ? (short)ZigZag(ReadVarint()) : (short)(id + delta);
            fields[id] = ReadValue(header & 0x0F);
        }
    }

    private List<object> ReadList()
    {
        byte header = _bytes[_at++];
        int size = header >> 4 == 15 ? (int)ReadVarint() : header >> 4;
        int type = header & 0x0F;
        var items = new List<object>(size);
        for (int i = 0; i < size; i++)
        {
            // In a list a boolean is one byte, 1 for true.
            items.Add(type is True or False ? _bytes[_at++] == 1 : ReadValue(type));
        }

        return items;
    }

    private Dictionary<object, object> ReadMap()
    {
        int size = (int)ReadVarint();
        var map = new Dictionary<object, object>();
        if (size == 0)
        {
            return map;
        }

        byte types = _bytes[_at++];
        for (int i = 0; i < size; i++)
        {
            map[ReadValue(types >> 4)] = ReadValue(types & 0x0F);
        }

        return map;
    }

    private byte[] ReadBinary()
    {
        int length = (int)ReadVarint();
        byte[] value = _bytes[_at..(_at + length)];
        _at += length;
        return value;
    }

    private double ReadDouble()
    {
        double value = BinaryPrimitives.ReadDoubleLittleEndian(_bytes.AsSpan(_at, 8));
        _at += 8;
        return value;
    }

    private ulong ReadVarint()
    {
        ulong value = 0;
        for (int shift = 0; ; shift += 7)
        {
            byte b = _bytes[_at++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }
    }

    private static long ZigZag(ulong n) => (long)(n >> 1) ^ -(long)(n & 1);
}
