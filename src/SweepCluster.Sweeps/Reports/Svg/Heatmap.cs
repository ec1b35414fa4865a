namespace SweepCluster.Sweeps.Reports.Svg;

/// <summary>
/// A grid of coloured cells, one per (row, column) value of two grid axes, drawn by <see cref="HeatmapRenderer"/>:
/// the MoLRG success probability over (r, n_k), say. Rows run top to bottom in the order given.
/// </summary>
/// <param name="Id">Makes the ids inside the SVG unique on a page.</param>
/// <param name="Title">Shown above the grid.</param>
/// <param name="XLabel">The axis of the columns.</param>
/// <param name="YLabel">The axis of the rows.</param>
/// <param name="ValueLabel">What the colour shows, beside the colour bar.</param>
/// <param name="Columns">The column values, in order.</param>
/// <param name="Rows">The row values, in order.</param>
/// <param name="Values">Values[row][column]; null where the grid has no result.</param>
public sealed record Heatmap(
    string Id,
    string Title,
    string XLabel,
    string YLabel,
    string ValueLabel,
    IReadOnlyList<double> Columns,
    IReadOnlyList<double> Rows,
    IReadOnlyList<IReadOnlyList<double?>> Values)
{
    public int Width { get; init; } = 780;

    public int Height { get; init; } = 470;

    /// <summary>
    /// Per row, the column value where a boundary line runs (cells of that value and above lie right of it): n_k = r + 1
    /// for MoLRG. Null for no line.
    /// </summary>
    public IReadOnlyList<double>? Boundary { get; init; }

    /// <summary>What the boundary line means, for its key.</summary>
    public string? BoundaryLabel { get; init; }
}
