namespace SweepCluster.Sweeps.Cells;

/// <summary>The one place where cell kinds become stored text and back.</summary>
public static class CellKindNames
{
    /// <summary>The generalisation families, as grid files and reference files name them.</summary>
    public static IReadOnlyList<string> Families { get; } = ["repro", "gl", "bound", "molrg"];

    public static string ToName(CellKind kind) => kind switch
    {
        CellKind.Simulation => "sim",
        CellKind.Theory => "theory",
        CellKind.Repro => "repro",
        CellKind.Gl => "gl",
        CellKind.Bound => "bound",
        CellKind.Molrg => "molrg",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown cell kind"),
    };

    public static CellKind Parse(string name) => name switch
    {
        "sim" => CellKind.Simulation,
        "theory" => CellKind.Theory,
        "repro" => CellKind.Repro,
        "gl" => CellKind.Gl,
        "bound" => CellKind.Bound,
        "molrg" => CellKind.Molrg,
        _ => throw new FormatException($"unknown cell kind '{name}' (expected sim, theory, {string.Join(", ", Families)})"),
    };

    /// <summary>Whether the kind is one of the generalisation families (one cell per grid point, values of docs/generalisation.md).</summary>
    public static bool IsFamily(CellKind kind) => kind is CellKind.Repro or CellKind.Gl or CellKind.Bound or CellKind.Molrg;
}
