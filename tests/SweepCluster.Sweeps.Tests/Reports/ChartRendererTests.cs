using System.Globalization;
using System.Xml.Linq;
using SweepCluster.Sweeps.Reports.Svg;

namespace SweepCluster.Sweeps.Tests.Reports;

public class ChartRendererTests
{
    private static readonly XNamespace _svg = "http://www.w3.org/2000/svg";

    [Fact]
    public void DrawsOneMarkerAndOneErrorBarPerPointWithAnError()
    {
        var chart = Chart(false, false, Series.Markers("sim", "#0072b2", MarkerShape.Circle, [new(1, 2, 0.5), new(2, 3, 0.25), new(3, 4, 0)]));
        var root = Parse(chart);

        Assert.Equal(3, Data(root).Descendants(_svg + "circle").Count());
        var bars = ErrorBars(root);
        Assert.Equal(2, bars.Count);

        var frame = PlotFrame.Fit(chart);
        var first = bars[0];
        Assert.Equal(frame.Y.Map(2.5), Y1(first), 1);
        Assert.Equal(frame.Y.Map(1.5), Y2(first), 1);

        // Both ends are measured, so both have caps: two cap lines per bar.
        Assert.Equal(2 + 4, root.Descendants(_svg + "g").Single(g => Class(g) == "errorbars").Elements(_svg + "line").Count());
    }

    [Fact]
    public void OnALogAxisAnErrorBarReachingBelowZeroIsCutAtTheFrameWithoutACap()
    {
        var chart = Chart(true, true, Series.Markers("sim", "#0072b2", MarkerShape.Circle, [new(10, 1, 2), new(100, 2, 0.1)]));
        var root = Parse(chart);
        var frame = PlotFrame.Fit(chart);

        var bars = ErrorBars(root);
        Assert.Equal(2, bars.Count);
        Assert.Equal(frame.Bottom, Y2(bars[0]), 2);
        Assert.Equal(frame.Y.Map(3), Y1(bars[0]), 1);

        // Bar 1: top cap only; bar 2: both caps.
        Assert.Equal(2 + 1 + 2, root.Descendants(_svg + "g").Single(g => Class(g) == "errorbars").Elements(_svg + "line").Count());

        // The lower end does not drag the axis down towards zero.
        Assert.True(frame.Y.DomainMin > 0.05, $"y domain starts at {frame.Y.DomainMin}");
    }

    [Fact]
    public void ALinearAxisCoversTheErrorBars()
    {
        var frame = PlotFrame.Fit(Chart(false, false, Series.Markers(null, "#000000", MarkerShape.Square, [new(0, 1, 3), new(1, 2, 0)])));
        Assert.True(frame.Y.DomainMin <= -2 && frame.Y.DomainMax >= 4);
    }

    [Fact]
    public void NonFiniteAndNonPositiveValuesAreSkipped()
    {
        var points = new DataPoint[]
        {
            new(1, 1), new(2, double.NaN), new(double.PositiveInfinity, 3), new(4, double.PositiveInfinity), new(5, -1), new(6, 2, double.NaN),
        };
        var linear = Parse(Chart(false, false, Series.Markers("sim", "#0072b2", MarkerShape.Circle, points)));
        Assert.Equal(3, Data(linear).Descendants(_svg + "circle").Count());
        Assert.Empty(ErrorBars(linear));

        var log = Parse(Chart(false, true, Series.Markers("sim", "#0072b2", MarkerShape.Circle, points)));
        Assert.Equal(2, Data(log).Descendants(_svg + "circle").Count());
    }

    [Fact]
    public void TheoryLinesAreSortedByXAndBrokenAtValuesWithoutAPosition()
    {
        var chart = Chart(false, true, Series.Curve("theory", "#d55e00", LineStyle.Solid, [new(5, 5), new(4, 4), new(3, double.NaN), new(2, 2), new(1, 1), new(6, 0), new(7, 7)]));
        var root = Parse(chart);
        var frame = PlotFrame.Fit(chart);
        var lines = Data(root).Descendants(_svg + "polyline").ToList();

        // [1, 2] | NaN | [4, 5] | 0 on a log axis | [7] alone, drawn as a short dash.
        Assert.Equal(2, lines.Count);
        var xs = lines.Select(l => l.Attribute("points")!.Value.Split(' ').Select(p => double.Parse(p.Split(',')[0], CultureInfo.InvariantCulture)).ToList()).ToList();
        Assert.Equal([frame.X.Map(1), frame.X.Map(2)], xs[0], (a, b) => Math.Abs(a - b) < 0.01);
        Assert.Equal([frame.X.Map(4), frame.X.Map(5)], xs[1], (a, b) => Math.Abs(a - b) < 0.01);
        Assert.Single(Data(root).Descendants(_svg + "line"), l => Class(l) == "curve");
    }

    [Fact]
    public void LogTickLabelsUseSuperscriptExponents()
    {
        var svg = ChartRenderer.Render(Chart(false, true, Series.Markers(null, "#000000", MarkerShape.Circle, [new(1, 1e-5), new(2, 1e3)])));
        Assert.Contains("10<tspan baseline-shift=\"super\" font-size=\"9\">-5</tspan>", svg, StringComparison.Ordinal);
        Assert.Contains("10<tspan baseline-shift=\"super\" font-size=\"9\">3</tspan>", svg, StringComparison.Ordinal);
    }

    [Fact]
    public void LegendTitleAndLabelsAreEscaped()
    {
        var chart = new Chart("c1", "KL <fwd> & \"rev\"", new Axis("N < d"), new Axis("y's"), [Series.LegendOnly("c = 1e-4 & <b>", "#000000", MarkerShape.Circle, LineStyle.Solid)]);
        string svg = ChartRenderer.Render(chart);
        Assert.DoesNotContain("<b>", svg, StringComparison.Ordinal);
        Assert.DoesNotContain("<fwd>", svg, StringComparison.Ordinal);
        var root = XElement.Parse(svg);
        var texts = root.Descendants(_svg + "text").Select(t => t.Value).ToList();
        Assert.Contains("KL <fwd> & \"rev\"", texts);
        Assert.Contains("N < d", texts);
        Assert.Contains("y's", texts);
        Assert.Contains("c = 1e-4 & <b>", root.Descendants(_svg + "g").Single(g => Class(g) == "legend").Descendants(_svg + "text").Select(t => t.Value));
    }

    [Fact]
    public void AChartWithoutDataSaysSoAndStillHasAxes()
    {
        var root = Parse(Chart(true, true, Series.Markers("sim", "#000000", MarkerShape.Circle, [new(1, double.PositiveInfinity)])));
        Assert.Contains("no data to show yet", root.Descendants(_svg + "text").Select(t => t.Value));
        Assert.NotEmpty(root.Descendants(_svg + "g").Single(g => Class(g) == "tick-labels").Elements());
    }

    [Fact]
    public void InsideHtmlTheSvgHasNoNamespaceUrl()
    {
        string svg = ChartRenderer.Render(Chart(false, false, Series.Markers("a", "#000000", MarkerShape.Diamond, [new(1, 1)])), standalone: false);
        Assert.DoesNotContain("http", svg, StringComparison.Ordinal);
        Assert.StartsWith("<svg ", svg, StringComparison.Ordinal);
    }

    [Fact]
    public void FixedAxisLimitsAreUsedAsGiven()
    {
        var chart = new Chart("c", "t", new Axis("x", Min: 0, Max: 10), new Axis("y", Log: true, Min: 1e-3, Max: 1), [Series.Markers(null, "#000000", MarkerShape.Circle, [new(1, 0.5)])]);
        var frame = PlotFrame.Fit(chart);
        Assert.Equal((0.0, 10.0), (frame.X.DomainMin, frame.X.DomainMax));
        Assert.Equal((1e-3, 1.0), (frame.Y.DomainMin, frame.Y.DomainMax));
    }

    [Fact]
    public void EveryMarkerShapeIsDrawn()
    {
        var series = new[] { MarkerShape.Circle, MarkerShape.Square, MarkerShape.Triangle, MarkerShape.Diamond }
            .Select((m, i) => Series.Markers(null, Palette.Colour(i), m, [new(i, i)]))
            .ToArray();
        var data = Data(Parse(Chart(false, false, series)));
        Assert.Single(data.Descendants(_svg + "circle"));
        Assert.Single(data.Descendants(_svg + "rect"));
        Assert.Equal(2, data.Descendants(_svg + "polygon").Count());
    }

    [Fact]
    public void AVerticalMarkerIsDrawnWhereItsXIsOnTheAxisAndNowhereElse()
    {
        var series = Series.Markers(null, "#000000", MarkerShape.Circle, [new(10, 1), new(1000, 2)]);
        var inside = Parse(Chart(true, false, series) with { VerticalMarkers = [new VerticalMarker(100, "N = d = 100"), new VerticalMarker(1e6, "far away")] });
        var line = Assert.Single(inside.Descendants(_svg + "line"), l => Class(l) == "vertical-marker");
        Assert.Equal((string?)line.Attribute("x1"), (string?)line.Attribute("x2"));
        var frame = PlotFrame.Fit(Chart(true, false, series));
        Assert.Equal(frame.X.Map(100), double.Parse((string)line.Attribute("x1")!, System.Globalization.CultureInfo.InvariantCulture), 1);
        Assert.Contains(inside.Descendants(_svg + "text"), t => t.Value == "N = d = 100");
        Assert.DoesNotContain(inside.Descendants(_svg + "text"), t => t.Value == "far away");
    }

    private static Chart Chart(bool logX, bool logY, params Series[] series) =>
        new("test", "A chart", new Axis("x", logX), new Axis("y", logY), series);

    private static XElement Parse(Chart chart) => XElement.Parse(ChartRenderer.Render(chart));

    private static XElement Data(XElement root) => root.Descendants(_svg + "g").Single(g => Class(g) == "data");

    private static List<XElement> ErrorBars(XElement root) => [.. root.Descendants(_svg + "line").Where(l => Class(l) == "errorbar")];

    private static string? Class(XElement e) => e.Attribute("class")?.Value;

    private static double Y1(XElement line) => double.Parse(line.Attribute("y1")!.Value, CultureInfo.InvariantCulture);

    private static double Y2(XElement line) => double.Parse(line.Attribute("y2")!.Value, CultureInfo.InvariantCulture);
}
