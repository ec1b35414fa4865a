namespace SweepCluster.Sweeps.Datasets;

/// <summary>
/// Images read from an IDX file: <see cref="Count"/> images of <see cref="Rows"/> x <see cref="Columns"/>
/// unsigned-byte pixels, stored image after image, each row by row (the IDX order), so image i's
/// flattened vector is <c>Pixels[i*d .. i*d+d-1]</c> with d = <see cref="Dimension"/>.
/// </summary>
public sealed class IdxImages
{
    public IdxImages(int count, int rows, int columns, int declaredCount, byte[] pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        ArgumentOutOfRangeException.ThrowIfLessThan(declaredCount, count);
        if (pixels.LongLength != (long)count * rows * columns)
        {
            throw new ArgumentException($"pixels holds {pixels.LongLength} values but {count} images of {rows} x {columns} need {(long)count * rows * columns}", nameof(pixels));
        }

        Count = count;
        Rows = rows;
        Columns = columns;
        DeclaredCount = declaredCount;
        Pixels = pixels;
    }

    /// <summary>The number of images read (at most the limit the reader was given).</summary>
    public int Count { get; }

    public int Rows { get; }

    public int Columns { get; }

    /// <summary>The number of images the file's header declares; larger than <see cref="Count"/> when a limit applied.</summary>
    public int DeclaredCount { get; }

    /// <summary>Pixels per image: the dimension d of the flattened vectors.</summary>
    public int Dimension => Rows * Columns;

    /// <summary>Count x Dimension bytes, row-major (one image per row).</summary>
    public ReadOnlyMemory<byte> Pixels { get; }
}
