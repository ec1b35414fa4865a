namespace SweepCluster.Sweeps.Reports.Svg;

/// <summary>
/// Where a chart's plot area lies inside its SVG and the scales that map data into it. The domains cover
/// every point that has a position on the axes, and the error bars, except that on a log axis an error bar
/// may stretch the domain by at most a decade beyond the points: a bar reaching towards zero would
/// otherwise squeeze all the data into a corner. Such bars are cut at the frame.
/// </summary>
/// <param name="Left">Pixel of the plot area's left edge.</param>
/// <param name="Top">Pixel of its top edge.</param>
/// <param name="Right">Pixel of its right edge.</param>
/// <param name="Bottom">Pixel of its bottom edge.</param>
/// <param name="X">Horizontal scale (domain minimum at <paramref name="Left"/>).</param>
/// <param name="Y">Vertical scale (domain minimum at <paramref name="Bottom"/>).</param>
/// <param name="LegendLeft">Where the legend column starts.</param>
public sealed record PlotFrame(double Left, double Top, double Right, double Bottom, Scale X, Scale Y, double LegendLeft)
{
    private const double MarginLeft = 84;
    private const double MarginTop = 44;
    private const double MarginBottom = 58;
    private const double MarginRight = 24;

    /// <summary>Rough width of a character of the 12 px labels, to size the legend column.</summary>
    private const double CharWidth = 6.8;

    /// <summary>Whether any point of the chart has a position on both axes.</summary>
    public bool HasData { get; private init; }

    /// <summary>The room right of the plot that the legend took in this frame (for a chart drawn aligned under it).</summary>
    public double LegendSpace(Chart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        return chart.Width - MarginRight - Right;
    }

    /// <summary>The layout and scales of a chart.</summary>
    public static PlotFrame Fit(Chart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        var labels = chart.Series.Where(s => s.Label is not null).Select(s => s.Label!).ToList();
        double legend = chart.LegendSpace ?? (labels.Count == 0 ? 0 : Math.Clamp((labels.Max(l => l.Length) * CharWidth) + 48, 110, chart.Width * 0.4));
        double left = MarginLeft;
        double right = chart.Width - MarginRight - legend;
        double top = MarginTop;
        double bottom = chart.Height - MarginBottom;
        if (right - left < 40 || bottom - top < 40)
        {
            throw new ArgumentException($"chart {chart.Id} is too small ({chart.Width} x {chart.Height}) for its plot area and legend", nameof(chart));
        }

        var (xMin, xMax, yMin, yMax, hasData) = Measure(chart);
        if (chart.Y.Include is var (includeLow, includeHigh) && Showable(includeLow, chart.Y.Log) && Showable(includeHigh, chart.Y.Log))
        {
            (yMin, yMax) = hasData ? (Math.Min(yMin, includeLow), Math.Max(yMax, includeHigh)) : (includeLow, includeHigh);
        }

        var x = Build(chart.X, xMin, xMax, left, right, TickTarget(right - left, 90));
        var y = Build(chart.Y, yMin, yMax, bottom, top, TickTarget(bottom - top, 55));
        return new PlotFrame(left, top, right, bottom, x, y, right + 18) { HasData = hasData };
    }

    /// <summary>
    /// The y range a chart's points and error bars need, before the axis pads or rounds it; null when no point
    /// has a position. Charts compared side by side take the union of theirs as <see cref="Axis.Include"/>.
    /// </summary>
    public static (double Min, double Max)? YExtent(Chart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        var (_, _, yMin, yMax, hasData) = Measure(chart);
        return hasData ? (yMin, yMax) : null;
    }

    private static (double XMin, double XMax, double YMin, double YMax, bool HasData) Measure(Chart chart)
    {
        bool xLog = chart.X.Log;
        bool yLog = chart.Y.Log;
        var xs = new List<double>();
        var ys = new List<double>();
        var lows = new List<double>();
        var highs = new List<double>();
        foreach (var series in chart.Series)
        {
            foreach (var p in series.Points)
            {
                if (!Showable(p.X, xLog) || !Showable(p.Y, yLog))
                {
                    continue;
                }

                xs.Add(p.X);
                ys.Add(p.Y);
                if (series.Marker != MarkerShape.None && HasErrorBar(p))
                {
                    highs.Add(p.Y + p.Error);
                    if (Showable(p.Y - p.Error, yLog))
                    {
                        lows.Add(p.Y - p.Error);
                    }
                }
            }
        }

        var (xMin, xMax) = xs.Count > 0 ? (xs.Min(), xs.Max()) : Empty(xLog);
        var (yMin, yMax) = ys.Count > 0 ? (ys.Min(), ys.Max()) : Empty(yLog);
        if (lows.Count > 0)
        {
            yMin = Math.Min(yMin, yLog ? Math.Max(lows.Min(), yMin / 10) : lows.Min());
        }

        if (highs.Count > 0)
        {
            yMax = Math.Max(yMax, yLog ? Math.Min(highs.Max(), yMax * 10) : highs.Max());
        }

        return (xMin, xMax, yMin, yMax, xs.Count > 0);
    }

    /// <summary>The rough number of labelled ticks for an axis of this many pixels.</summary>
    public static int TickTarget(double pixels, double spacing) => Math.Clamp((int)Math.Round(pixels / spacing), 3, 10);

    /// <summary>Whether a value has a position on an axis of this kind.</summary>
    public static bool Showable(double value, bool log) => double.IsFinite(value) && (!log || value > 0);

    /// <summary>Whether a point carries an error bar.</summary>
    public static bool HasErrorBar(DataPoint point) => double.IsFinite(point.Error) && point.Error > 0;

    private static (double Min, double Max) Empty(bool log) => log ? (1, 10) : (0, 1);

    private static Scale Build(Axis axis, double min, double max, double start, double end, int target)
    {
        bool fixedMin = axis.Min is { } fmin && Showable(fmin, axis.Log);
        bool fixedMax = axis.Max is { } fmax && Showable(fmax, axis.Log);
        if (!fixedMin && !fixedMax)
        {
            return axis.Log ? LogScale.Padded(min, max, start, end) : LinearScale.Nice(min, max, start, end, target);
        }

        // Limits the axis fixes are used as given, without padding or rounding; a missing or conflicting
        // other end is a decade (log) or one unit (linear) away.
        double lo = fixedMin ? axis.Min!.Value : min;
        double hi = fixedMax ? axis.Max!.Value : max;
        if (!(hi > lo))
        {
            if (fixedMin)
            {
                hi = axis.Log ? lo * 10 : lo + 1;
            }
            else
            {
                lo = axis.Log ? hi / 10 : hi - 1;
            }
        }

        return axis.Log ? new LogScale(lo, hi, start, end) : new LinearScale(lo, hi, start, end);
    }
}
