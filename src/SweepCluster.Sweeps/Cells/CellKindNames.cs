namespace SweepCluster.Sweeps.Cells;

/// <summary>The one place where cell kinds become stored text and back.</summary>
public static class CellKindNames
{
    public static string ToName(CellKind kind) => kind switch
    {
        CellKind.Simulation => "sim",
        CellKind.Theory => "theory",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown cell kind"),
    };

    public static CellKind Parse(string name) => name switch
    {
        "sim" => CellKind.Simulation,
        "theory" => CellKind.Theory,
        _ => throw new FormatException($"unknown cell kind '{name}' (expected sim or theory)"),
    };
}
