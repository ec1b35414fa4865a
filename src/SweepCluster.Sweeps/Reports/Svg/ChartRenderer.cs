using System.Globalization;

namespace SweepCluster.Sweeps.Reports.Svg;

/// <summary>
/// Draws a <see cref="Chart"/> as SVG: frame, grid lines at the major ticks, tick labels (powers of ten with
/// superscript exponents), axis labels, title, the series and a legend column on the right. Points and
/// line vertices that have no position on the axes (non-finite, or not positive on a log axis) are left
/// out, and a line is broken there rather than joined across the gap.
/// </summary>
public static class ChartRenderer
{
    private const string Ink = "#222222";
    private const string GridColour = "#e4e4e4";
    private const double MarkerSize = 3.6;
    private const double CapHalfWidth = 3.5;

    /// <summary>The chart as one &lt;svg&gt; element.</summary>
    /// <param name="chart">The chart.</param>
    /// <param name="standalone">
    /// Adds the SVG namespace declaration, which a separate .svg file needs; SVG inside HTML gets its namespace
    /// from the HTML parser and is written without it.
    /// </param>
    public static string Render(Chart chart, bool standalone = true)
    {
        var text = new StringWriter(CultureInfo.InvariantCulture);
        Render(chart, standalone, text);
        return text.ToString();
    }

    /// <summary>As <see cref="Render(Chart, bool)"/>, written into <paramref name="target"/>.</summary>
    public static void Render(Chart chart, bool standalone, TextWriter target)
    {
        ArgumentNullException.ThrowIfNull(chart);
        var frame = PlotFrame.Fit(chart);
        var svg = new SvgWriter(target);
        string clip = chart.Id + "-plot";
        svg.StartFigure(chart.Title, chart.Width, chart.Height, standalone, "chart");
        svg.Start("defs").Start("clipPath", ("id", clip));
        svg.Empty("rect", ("x", N(frame.Left)), ("y", N(frame.Top)), ("width", N(frame.Right - frame.Left)), ("height", N(frame.Bottom - frame.Top)));
        svg.End().End();

        var xTicks = frame.X.Ticks(PlotFrame.TickTarget(frame.Right - frame.Left, 90));
        var yTicks = frame.Y.Ticks(PlotFrame.TickTarget(frame.Bottom - frame.Top, 55));
        WriteGrid(svg, frame, xTicks, yTicks);
        WriteVerticalMarkers(svg, chart, frame);
        WriteSeries(svg, chart, frame, clip);
        svg.Empty("rect", ("x", N(frame.Left)), ("y", N(frame.Top)), ("width", N(frame.Right - frame.Left)), ("height", N(frame.Bottom - frame.Top)), ("fill", "none"), ("stroke", Ink), ("stroke-width", "1"), ("class", "frame"));
        WriteAxes(svg, chart, frame, xTicks, yTicks);
        if (!frame.HasData)
        {
            svg.Element("text", "no data to show yet", ("x", N((frame.Left + frame.Right) / 2)), ("y", N((frame.Top + frame.Bottom) / 2)), ("text-anchor", "middle"), ("fill", "#888888"), ("font-size", "14"));
        }

        WriteLegend(svg, chart, frame);
        svg.End();
    }

    private static void WriteVerticalMarkers(SvgWriter svg, Chart chart, PlotFrame frame)
    {
        foreach (var marker in chart.VerticalMarkers.Where(m => PlotFrame.Showable(m.X, chart.X.Log) && frame.X.Contains(m.X)))
        {
            double x = frame.X.Map(marker.X);
            svg.Empty("line", ("x1", N(x)), ("y1", N(frame.Top)), ("x2", N(x)), ("y2", N(frame.Bottom)), ("stroke", Palette.Reference), ("stroke-width", "1.2"), ("stroke-dasharray", "6 4"), ("class", "vertical-marker"));

            // The label sits inside the plot beside its line, on the side with more room, so it is never cut off.
            bool right = x < (frame.Left + frame.Right) / 2;
            svg.Element("text", marker.Label, ("x", N(right ? x + 4 : x - 4)), ("y", N(frame.Top + 14)), ("text-anchor", right ? "start" : "end"), ("fill", Palette.Neutral), ("font-size", "11"));
        }
    }

    private static void WriteGrid(SvgWriter svg, PlotFrame frame, IReadOnlyList<Tick> xTicks, IReadOnlyList<Tick> yTicks)
    {
        svg.Start("g", ("class", "grid"), ("stroke", GridColour), ("stroke-width", "1"));
        foreach (var tick in xTicks.Where(t => t.IsMajor))
        {
            double x = frame.X.Map(tick.Value);
            svg.Empty("line", ("x1", N(x)), ("y1", N(frame.Top)), ("x2", N(x)), ("y2", N(frame.Bottom)));
        }

        foreach (var tick in yTicks.Where(t => t.IsMajor))
        {
            double y = frame.Y.Map(tick.Value);
            svg.Empty("line", ("x1", N(frame.Left)), ("y1", N(y)), ("x2", N(frame.Right)), ("y2", N(y)));
        }

        svg.End();
    }

    private static void WriteAxes(SvgWriter svg, Chart chart, PlotFrame frame, IReadOnlyList<Tick> xTicks, IReadOnlyList<Tick> yTicks)
    {
        svg.Start("g", ("class", "axis"), ("stroke", Ink), ("stroke-width", "1"));
        foreach (var tick in xTicks)
        {
            double x = frame.X.Map(tick.Value);
            svg.Empty("line", ("x1", N(x)), ("y1", N(frame.Bottom)), ("x2", N(x)), ("y2", N(frame.Bottom + (tick.IsMajor ? 6 : 3))));
        }

        foreach (var tick in yTicks)
        {
            double y = frame.Y.Map(tick.Value);
            svg.Empty("line", ("x1", N(frame.Left)), ("y1", N(y)), ("x2", N(frame.Left - (tick.IsMajor ? 6 : 3))), ("y2", N(y)));
        }

        svg.End();

        svg.Start("g", ("class", "tick-labels"), ("fill", Ink));
        foreach (var tick in xTicks.Where(t => t.Label is not null))
        {
            WriteTickLabel(svg, tick.Label!, frame.X.Map(tick.Value), frame.Bottom + 21, "middle");
        }

        foreach (var tick in yTicks.Where(t => t.Label is not null))
        {
            WriteTickLabel(svg, tick.Label!, frame.Left - 9, frame.Y.Map(tick.Value) + 4, "end");
        }

        svg.End();

        svg.Element("text", chart.X.Label, ("x", N((frame.Left + frame.Right) / 2)), ("y", N(chart.Height - 14)), ("text-anchor", "middle"), ("fill", Ink), ("font-size", "13"), ("class", "axis-label"));
        double yMid = (frame.Top + frame.Bottom) / 2;
        svg.Element("text", chart.Y.Label, ("x", "18"), ("y", N(yMid)), ("text-anchor", "middle"), ("fill", Ink), ("font-size", "13"), ("transform", $"rotate(-90 18 {N(yMid)})"), ("class", "axis-label"));
        svg.Element("text", chart.Title, ("x", N(chart.Width / 2.0)), ("y", "24"), ("text-anchor", "middle"), ("fill", Ink), ("font-size", "15"), ("font-weight", "bold"), ("class", "chart-title"));
    }

    private static void WriteTickLabel(SvgWriter svg, TickLabel label, double x, double y, string anchor)
    {
        svg.Start("text", ("x", N(x)), ("y", N(y)), ("text-anchor", anchor));
        if (label.Exponent is { } e)
        {
            svg.Text(label.Base);
            svg.Element("tspan", e.ToString(CultureInfo.InvariantCulture), ("baseline-shift", "super"), ("font-size", "9"));
        }
        else
        {
            svg.Text(label.Mantissa);
        }

        svg.End();
    }

    private static void WriteSeries(SvgWriter svg, Chart chart, PlotFrame frame, string clip)
    {
        svg.Start("g", ("class", "data"), ("clip-path", $"url(#{clip})"));
        foreach (var series in chart.Series.Where(s => s.Line != LineStyle.None))
        {
            WriteLine(svg, series, frame);
        }

        foreach (var series in chart.Series.Where(s => s.Marker != MarkerShape.None))
        {
            WriteErrorBars(svg, series, frame);
        }

        foreach (var series in chart.Series.Where(s => s.Marker != MarkerShape.None))
        {
            svg.Start("g", ("class", "points"), ("fill", series.Colour), ("stroke", "#ffffff"), ("stroke-width", "0.6"));
            foreach (var p in series.Points.Where(p => Showable(frame, p)))
            {
                WriteMarker(svg, series.Marker, frame.X.Map(p.X), frame.Y.Map(p.Y), MarkerSize);
            }

            svg.End();
        }

        svg.End();
    }

    private static void WriteLine(SvgWriter svg, Series series, PlotFrame frame)
    {
        // Sorted by x so a theory curve reads left to right whatever the order of the grid points; a vertex
        // without a position ends one piece of the line, and the next piece starts after it.
        var pieces = new List<List<DataPoint>> { new() };
        foreach (var p in series.Points.Where(p => !double.IsNaN(p.X)).OrderBy(p => p.X))
        {
            if (Showable(frame, p))
            {
                pieces[^1].Add(p);
            }
            else if (pieces[^1].Count > 0)
            {
                pieces.Add([]);
            }
        }

        foreach (var piece in pieces.Where(p => p.Count > 0))
        {
            if (piece.Count == 1)
            {
                // A lone vertex would vanish as a line: a short dash shows where it is.
                double x = frame.X.Map(piece[0].X);
                double y = frame.Y.Map(piece[0].Y);
                svg.Empty("line", ("x1", N(x - 6)), ("y1", N(y)), ("x2", N(x + 6)), ("y2", N(y)), ("stroke", series.Colour), ("stroke-width", "2"), ("stroke-dasharray", Dashes(series.Line)), ("class", "curve"));
                continue;
            }

            string points = string.Join(' ', piece.Select(p => N(frame.X.Map(p.X)) + "," + N(frame.Y.Map(p.Y))));
            svg.Empty("polyline", ("points", points), ("fill", "none"), ("stroke", series.Colour), ("stroke-width", "1.8"), ("stroke-linejoin", "round"), ("stroke-dasharray", Dashes(series.Line)), ("class", "curve"));
        }
    }

    private static void WriteErrorBars(SvgWriter svg, Series series, PlotFrame frame)
    {
        var bars = series.Points.Where(p => Showable(frame, p) && PlotFrame.HasErrorBar(p)).ToList();
        if (bars.Count == 0)
        {
            return;
        }

        svg.Start("g", ("class", "errorbars"), ("stroke", series.Colour), ("stroke-width", "1.2"));
        foreach (var p in bars)
        {
            double x = frame.X.Map(p.X);

            // An end beyond the frame (or below zero on a log axis) is drawn to the frame without a cap, so the
            // bar reads as "continues" rather than as a measured end.
            var (top, topCapped) = End(frame, p.Y + p.Error, frame.Top);
            var (bottom, bottomCapped) = End(frame, p.Y - p.Error, frame.Bottom);
            svg.Empty("line", ("x1", N(x)), ("y1", N(top)), ("x2", N(x)), ("y2", N(bottom)), ("class", "errorbar"));
            if (topCapped)
            {
                svg.Empty("line", ("x1", N(x - CapHalfWidth)), ("y1", N(top)), ("x2", N(x + CapHalfWidth)), ("y2", N(top)));
            }

            if (bottomCapped)
            {
                svg.Empty("line", ("x1", N(x - CapHalfWidth)), ("y1", N(bottom)), ("x2", N(x + CapHalfWidth)), ("y2", N(bottom)));
            }
        }

        svg.End();
    }

    private static (double Pixel, bool Capped) End(PlotFrame frame, double value, double edge)
    {
        if (!frame.Y.CanMap(value))
        {
            return (edge, false);
        }

        double pixel = frame.Y.Map(value);
        return pixel < frame.Top || pixel > frame.Bottom ? (edge, false) : (pixel, true);
    }

    private static void WriteMarker(SvgWriter svg, MarkerShape shape, double x, double y, double r)
    {
        switch (shape)
        {
            case MarkerShape.Circle:
                svg.Empty("circle", ("cx", N(x)), ("cy", N(y)), ("r", N(r)));
                break;
            case MarkerShape.Square:
                svg.Empty("rect", ("x", N(x - (r * 0.9))), ("y", N(y - (r * 0.9))), ("width", N(r * 1.8)), ("height", N(r * 1.8)));
                break;
            case MarkerShape.Triangle:
                svg.Empty("polygon", ("points", Polygon((x, y - (r * 1.2)), (x + (r * 1.1), y + (r * 0.8)), (x - (r * 1.1), y + (r * 0.8)))));
                break;
            case MarkerShape.Diamond:
                svg.Empty("polygon", ("points", Polygon((x, y - (r * 1.3)), (x + r, y), (x, y + (r * 1.3)), (x - r, y))));
                break;
            default:
                break;
        }
    }

    private static void WriteLegend(SvgWriter svg, Chart chart, PlotFrame frame)
    {
        var entries = chart.Series.Where(s => s.Label is not null).ToList();
        if (entries.Count == 0)
        {
            return;
        }

        svg.Start("g", ("class", "legend"));
        double y = frame.Top + 10;
        foreach (var series in entries)
        {
            double sampleLeft = frame.LegendLeft;
            if (series.Line != LineStyle.None)
            {
                svg.Empty("line", ("x1", N(sampleLeft)), ("y1", N(y)), ("x2", N(sampleLeft + 26)), ("y2", N(y)), ("stroke", series.Colour), ("stroke-width", "1.8"), ("stroke-dasharray", Dashes(series.Line)));
            }

            if (series.Marker != MarkerShape.None)
            {
                svg.Start("g", ("fill", series.Colour), ("stroke", "#ffffff"), ("stroke-width", "0.6"));
                WriteMarker(svg, series.Marker, sampleLeft + 13, y, MarkerSize);
                svg.End();
            }

            svg.Element("text", series.Label!, ("x", N(sampleLeft + 34)), ("y", N(y + 4)), ("fill", Ink));
            y += 19;
        }

        svg.End();
    }

    private static bool Showable(PlotFrame frame, DataPoint p) => frame.X.CanMap(p.X) && frame.Y.CanMap(p.Y);

    private static string? Dashes(LineStyle line) => line switch
    {
        LineStyle.Dashed => "7 4",
        LineStyle.Dotted => "2 3",
        _ => null,
    };

    private static string Polygon(params (double X, double Y)[] corners) => string.Join(' ', corners.Select(c => N(c.X) + "," + N(c.Y)));

    private static string N(double value) => SvgWriter.Number(value);

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);
}
