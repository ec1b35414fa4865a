namespace SweepCluster.Sweeps.Reports.Svg;

/// <summary>
/// One set of points drawn alike: markers with error bars (simulation), a line (theory, sorted by x and
/// broken where a value has no position on the axes), or both. A series without points but with a label
/// is a legend entry only, which is how a chart explains its symbols.
/// </summary>
/// <param name="Label">Its legend text; null keeps it out of the legend.</param>
/// <param name="Colour">A CSS colour ("#0072b2").</param>
/// <param name="Marker">The symbol at each point.</param>
/// <param name="Line">How points are joined.</param>
/// <param name="Points">The data, in any order.</param>
public sealed record Series(string? Label, string Colour, MarkerShape Marker, LineStyle Line, IReadOnlyList<DataPoint> Points)
{
    /// <summary>Simulation points: markers with error bars, not joined.</summary>
    public static Series Markers(string? label, string colour, MarkerShape marker, IReadOnlyList<DataPoint> points) =>
        new(label, colour, marker, LineStyle.None, points);

    /// <summary>A theory or reference curve: a line without markers.</summary>
    public static Series Curve(string? label, string colour, LineStyle line, IReadOnlyList<DataPoint> points) =>
        new(label, colour, MarkerShape.None, line, points);

    /// <summary>A legend entry without data.</summary>
    public static Series LegendOnly(string label, string colour, MarkerShape marker, LineStyle line) =>
        new(label, colour, marker, line, []);
}
