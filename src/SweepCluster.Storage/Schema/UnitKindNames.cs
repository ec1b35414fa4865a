using SweepCluster.Sweeps.Units;

namespace SweepCluster.Storage.Schema;

/// <summary>
/// The one place where unit kinds become stored text and back. The spelling matches the cell kinds
/// (<c>CellKindNames</c>) so that a unit and its cells read the same in the database.
/// </summary>
internal static class UnitKindNames
{
    public const string Simulation = "sim";
    public const string Theory = "theory";

    public static string ToName(UnitKind kind) => kind switch
    {
        UnitKind.Simulation => Simulation,
        UnitKind.Theory => Theory,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown unit kind"),
    };

    public static UnitKind Parse(string name) => name switch
    {
        Simulation => UnitKind.Simulation,
        Theory => UnitKind.Theory,
        _ => throw new FormatException($"unknown unit kind '{name}' (expected {Simulation} or {Theory})"),
    };
}
