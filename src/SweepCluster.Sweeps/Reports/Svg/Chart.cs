namespace SweepCluster.Sweeps.Reports.Svg;

/// <summary>
/// One plot: a title, two axes and the series, drawn by <see cref="ChartRenderer"/>. The domains fit the
/// data unless the axes fix them.
/// </summary>
/// <param name="Id">Makes the ids inside the SVG unique when several charts share one HTML page (letters, digits, '-').</param>
/// <param name="Title">Shown above the plot.</param>
/// <param name="X">Horizontal axis.</param>
/// <param name="Y">Vertical axis.</param>
/// <param name="Series">Drawn in order: all lines first, then error bars, then markers, so lines never hide points.</param>
public sealed record Chart(string Id, string Title, Axis X, Axis Y, IReadOnlyList<Series> Series)
{
    /// <summary>Width of the whole SVG in pixels, legend included.</summary>
    public int Width { get; init; } = 780;

    /// <summary>Vertical lines across the plot at these x values, each with a short label (N = d).</summary>
    public IReadOnlyList<VerticalMarker> VerticalMarkers { get; init; } = [];

    /// <summary>The room kept right of the plot for the legend; null to size it from the legend's labels.</summary>
    public double? LegendSpace { get; init; }

    /// <summary>Height of the whole SVG in pixels.</summary>
    public int Height { get; init; } = 470;
}
