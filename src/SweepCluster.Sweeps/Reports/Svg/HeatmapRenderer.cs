using System.Globalization;

namespace SweepCluster.Sweeps.Reports.Svg;

/// <summary>
/// Draws a <see cref="Heatmap"/> as SVG: one rectangle per cell coloured on the viridis scale (ordered in lightness, so
/// it reads in greyscale and with the common colour-vision deficiencies), its value written inside when there is room,
/// category labels on both axes, a colour bar, and the optional boundary as a dashed staircase.
/// </summary>
public static class HeatmapRenderer
{
    private const string Ink = "#222222";
    private const double Left = 80;
    private const double Top = 44;
    private const double RightSpace = 170;
    private const double BottomSpace = 62;

    // Viridis at five stops; values between are interpolated in RGB.
    private static readonly (double R, double G, double B)[] s_viridis =
        [(68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37)];

    public static string Render(Heatmap map, bool standalone = true)
    {
        var text = new StringWriter(CultureInfo.InvariantCulture);
        Render(map, standalone, text);
        return text.ToString();
    }

    /// <summary>As <see cref="Render(Heatmap, bool)"/>, written into <paramref name="target"/>.</summary>
    public static void Render(Heatmap map, bool standalone, TextWriter target)
    {
        ArgumentNullException.ThrowIfNull(map);
        var svg = new SvgWriter(target);
        svg.StartFigure(map.Title, map.Width, map.Height, standalone, "chart heatmap");
        svg.Element("text", map.Title, ("x", N(map.Width / 2.0)), ("y", "22"), ("text-anchor", "middle"), ("font-size", "14"), ("font-weight", "bold"), ("fill", Ink));

        double right = map.Width - RightSpace;
        double bottom = map.Height - BottomSpace;
        int columns = Math.Max(1, map.Columns.Count);
        int rows = Math.Max(1, map.Rows.Count);
        double cellWidth = (right - Left) / columns;
        double cellHeight = (bottom - Top) / rows;
        var (min, max) = Range(map);

        for (int r = 0; r < map.Rows.Count; r++)
        {
            for (int c = 0; c < map.Columns.Count; c++)
            {
                double? value = r < map.Values.Count && c < map.Values[r].Count ? map.Values[r][c] : null;
                double x = Left + (c * cellWidth), y = Top + (r * cellHeight);
                double t = value is { } v && double.IsFinite(v) ? (max > min ? (v - min) / (max - min) : 1) : double.NaN;
                string fill = double.IsNaN(t) ? "#eeeeee" : Colour(t);
                svg.Start("rect", ("class", "cell"), ("x", N(x)), ("y", N(y)), ("width", N(cellWidth)), ("height", N(cellHeight)), ("fill", fill), ("stroke", "#ffffff"), ("stroke-width", "0.5"));
                svg.Element("title", Invariant($"{map.YLabel} = {Label(map.Rows[r])}, {map.XLabel} = {Label(map.Columns[c])}: {(value is { } shown ? shown.ToString("G4", CultureInfo.InvariantCulture) : "no result")}"));
                svg.End();
                if (cellWidth >= 30 && cellHeight >= 16)
                {
                    string text = value is { } w ? w.ToString(Math.Abs(w) >= 100 ? "G3" : "0.00", CultureInfo.InvariantCulture) : "–";
                    svg.Element("text", text, ("x", N(x + (cellWidth / 2))), ("y", N(y + (cellHeight / 2) + 4)), ("text-anchor", "middle"), ("font-size", "10"), ("fill", double.IsNaN(t) || t > 0.6 ? Ink : "#ffffff"));
                }
            }
        }

        WriteBoundary(svg, map, cellWidth, cellHeight);
        svg.Empty("rect", ("class", "frame"), ("x", N(Left)), ("y", N(Top)), ("width", N(right - Left)), ("height", N(bottom - Top)), ("fill", "none"), ("stroke", Ink), ("stroke-width", "1"));

        for (int c = 0; c < map.Columns.Count; c++)
        {
            svg.Element("text", Label(map.Columns[c]), ("x", N(Left + ((c + 0.5) * cellWidth))), ("y", N(bottom + 16)), ("text-anchor", "middle"), ("fill", Ink));
        }

        for (int r = 0; r < map.Rows.Count; r++)
        {
            svg.Element("text", Label(map.Rows[r]), ("x", N(Left - 8)), ("y", N(Top + ((r + 0.5) * cellHeight) + 4)), ("text-anchor", "end"), ("fill", Ink));
        }

        svg.Element("text", map.XLabel, ("x", N((Left + right) / 2)), ("y", N(bottom + 40)), ("text-anchor", "middle"), ("fill", Ink));
        svg.Element("text", map.YLabel, ("x", "0"), ("y", "0"), ("text-anchor", "middle"), ("fill", Ink), ("transform", Invariant($"translate(22,{N((Top + bottom) / 2)}) rotate(-90)")));
        WriteColourBar(svg, map, right, bottom, min, max);
        svg.End();
    }

    /// <summary>The colour of t in [0, 1] on the viridis scale.</summary>
    public static string Colour(double t)
    {
        double s = Math.Clamp(t, 0, 1) * (s_viridis.Length - 1);
        int i = Math.Min((int)s, s_viridis.Length - 2);
        double f = s - i;
        var (a, b) = (s_viridis[i], s_viridis[i + 1]);
        return Invariant($"#{(int)Math.Round(a.R + (f * (b.R - a.R))):x2}{(int)Math.Round(a.G + (f * (b.G - a.G))):x2}{(int)Math.Round(a.B + (f * (b.B - a.B))):x2}");
    }

    // A probability keeps its natural scale 0..1; anything else spans its data.
    private static (double Min, double Max) Range(Heatmap map)
    {
        var values = map.Values.SelectMany(r => r).OfType<double>().Where(double.IsFinite).ToList();
        if (values.Count == 0)
        {
            return (0, 1);
        }

        return values.All(v => v is >= 0 and <= 1) ? (0, 1) : (values.Min(), values.Max());
    }

    private static void WriteBoundary(SvgWriter svg, Heatmap map, double cellWidth, double cellHeight)
    {
        if (map.Boundary is not { } boundary || boundary.Count != map.Rows.Count || map.Rows.Count == 0)
        {
            return;
        }

        var points = new List<(double X, double Y)>();
        for (int r = 0; r < map.Rows.Count; r++)
        {
            int column = 0;
            while (column < map.Columns.Count && map.Columns[column] < boundary[r])
            {
                column++;
            }

            double x = Left + (column * cellWidth);
            points.Add((x, Top + (r * cellHeight)));
            points.Add((x, Top + ((r + 1) * cellHeight)));
        }

        string path = string.Join(' ', points.Select(p => N(p.X) + "," + N(p.Y)));

        // A white casing under a dark dashed line: visible on the dark and the light end of the scale alike.
        svg.Empty("polyline", ("points", path), ("fill", "none"), ("stroke", "#ffffff"), ("stroke-width", "4"));
        svg.Empty("polyline", ("class", "boundary"), ("points", path), ("fill", "none"), ("stroke", Ink), ("stroke-width", "2"), ("stroke-dasharray", "6 4"));
    }

    private static void WriteColourBar(SvgWriter svg, Heatmap map, double right, double bottom, double min, double max)
    {
        double x = right + 24, width = 16, top = Top, height = Math.Min(200, bottom - Top);
        const int Steps = 20;
        for (int i = 0; i < Steps; i++)
        {
            double t = 1 - ((i + 0.5) / Steps);
            svg.Empty("rect", ("x", N(x)), ("y", N(top + (i * height / Steps))), ("width", N(width)), ("height", N((height / Steps) + 0.5)), ("fill", Colour(t)));
        }

        svg.Empty("rect", ("x", N(x)), ("y", N(top)), ("width", N(width)), ("height", N(height)), ("fill", "none"), ("stroke", Ink), ("stroke-width", "0.5"));
        svg.Element("text", Label(max), ("x", N(x + width + 6)), ("y", N(top + 10)), ("fill", Ink));
        svg.Element("text", Label(min), ("x", N(x + width + 6)), ("y", N(top + height)), ("fill", Ink));
        svg.Element("text", map.ValueLabel, ("x", N(x)), ("y", N(top + height + 20)), ("fill", Ink), ("font-size", "11"));
        if (map.Boundary is not null && map.BoundaryLabel is { } label)
        {
            double y = top + height + 44;
            svg.Empty("line", ("x1", N(x)), ("y1", N(y - 4)), ("x2", N(x + 26)), ("y2", N(y - 4)), ("stroke", Ink), ("stroke-width", "2"), ("stroke-dasharray", "6 4"));
            svg.Element("text", label, ("x", N(x + 32)), ("y", N(y)), ("fill", Ink), ("font-size", "11"));
        }
    }

    private static string Label(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);

    private static string N(double value) => SvgWriter.Number(value);

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);
}
