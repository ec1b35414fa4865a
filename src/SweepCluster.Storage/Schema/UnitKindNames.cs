using SweepCluster.Sweeps.Cells;
using SweepCluster.Sweeps.Units;

namespace SweepCluster.Storage.Schema;

/// <summary>
/// The one place where unit kinds become stored text and back. The spelling is that of the cell kinds
/// (<see cref="CellKindNames"/>), so that a unit and its cells read the same in the database.
/// </summary>
internal static class UnitKindNames
{
    public static string ToName(UnitKind kind) =>
        Enum.IsDefined(kind) ? CellKindNames.ToName((CellKind)(int)kind) : throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown unit kind");

    public static UnitKind Parse(string name)
    {
        try
        {
            return (UnitKind)(int)CellKindNames.Parse(name);
        }
        catch (FormatException)
        {
            throw new FormatException($"unknown unit kind '{name}' (expected {string.Join(", ", Enum.GetValues<UnitKind>().Select(ToName))})");
        }
    }
}
