using System.Globalization;

namespace SweepCluster.Sweeps.Cells;

/// <summary>
/// Cell ids (32 lowercase hex digits, <see cref="CellParameters.Hash"/>) as 128-bit numbers: a sixth of the memory
/// of the string, for the sets and lists that must hold every cell of a million-cell sweep. Numbers sort as the
/// ids do (ordinal).
/// </summary>
public static class CellIds
{
    public static UInt128 ToNumber(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (id.Length != 32 || !UInt128.TryParse(id, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var number))
        {
            throw new ArgumentException($"'{id}' is not a cell id (32 hex digits)", nameof(id));
        }

        return number;
    }

    public static string ToId(UInt128 number) => number.ToString("x32", CultureInfo.InvariantCulture);
}
