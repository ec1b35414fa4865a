using System.Globalization;
using SweepCluster.Sweeps.Aggregation;
using SweepCluster.Sweeps.Grids;
using SweepCluster.Sweeps.Reports.Svg;

namespace SweepCluster.Sweeps.Reports;

/// <summary>
/// Turns one panel declaration into charts and rows: one panel per facet value; within it one colour per
/// series (group of grid points), simulation means as markers with ±1 std error bars over seeds, theory as
/// lines, and the reference curve when asked for. Names that do not fit the sweep become warnings.
/// </summary>
internal static class PanelBuilder
{
    /// <summary>Legend rows for series; more are summarised in one line so the legend stays inside the chart.</summary>
    private const int MaxLegendGroups = 13;

    private static readonly MarkerShape[] _markers = [MarkerShape.Circle, MarkerShape.Square, MarkerShape.Triangle, MarkerShape.Diamond];
    private static readonly LineStyle[] _lines = [LineStyle.Solid, LineStyle.Dashed, LineStyle.Dotted];
    private static readonly string[] _referenceAxes = ["d", "N"];

    public static IReadOnlyList<ReportPanel> Build(PanelDeclaration declaration, string where, IReadOnlyList<ReportPoint> points, int firstNumber, List<string> warnings)
    {
        ArgumentNullException.ThrowIfNull(declaration);
        string x = declaration.X ?? DefaultPanels.ChooseX(points);
        if (!ReportAxes.Numeric.Contains(x, StringComparer.Ordinal))
        {
            warnings.Add($"{where}: x '{x}' is not a numeric grid axis{Hint(x, ReportAxes.Numeric)} (one of {string.Join(", ", ReportAxes.Numeric)}); panel skipped");
            return [];
        }

        var known = points.SelectMany(p => p.MetricNames).ToHashSet(StringComparer.Ordinal);
        var metrics = new List<string>();
        foreach (string y in declaration.Y.Select(MetricColumn.NormalizeName).Distinct(StringComparer.Ordinal))
        {
            // Before the first result lands no metric is known, and a name cannot be told from a typo.
            if (known.Count == 0 || known.Contains(y))
            {
                metrics.Add(y);
            }
            else
            {
                warnings.Add($"{where}: no result has the metric '{y}'{Hint(y, known)}; left out");
            }
        }

        if (metrics.Count == 0)
        {
            warnings.Add($"{where}: none of its metrics is in the results; panel skipped");
            return [];
        }

        string? series = AxisOrNull(declaration.Series, $"{where}: series", warnings);
        string? facet = AxisOrNull(declaration.Facet, $"{where}: facet", warnings);
        if (facet == x)
        {
            warnings.Add($"{where}: facet '{facet}' is also the x axis; facet ignored");
            facet = null;
        }

        bool reference = false;
        if (declaration.Reference is { } r)
        {
            reference = r is DefaultPanels.ReferenceDOver4N or "d/(4N)";
            if (!reference)
            {
                warnings.Add($"{where}: unknown reference '{r}' (known: {DefaultPanels.ReferenceDOver4N}); ignored");
            }
        }

        var spec = new Spec(declaration, x, metrics, series, facet, reference);
        if (facet is null || Values(points, facet).Count <= 1)
        {
            return [BuildOne(spec, string.Empty, points, firstNumber)];
        }

        var facets = Values(points, facet).Select(value => (Label: $"{facet} = {value.Text}", Points: points.Where(p => p.Value(facet).Equals(value)).ToList())).ToList();
        var panels = facets.Select((f, i) => BuildOne(spec, f.Label, f.Points, firstNumber + i)).ToList();

        // Facets are read side by side, so they share one y scale: log when the values of all of them call
        // for it, and a range that covers all of them.
        bool logY = spec.Declaration.LogY ?? AutoLog(panels.SelectMany(p => YValues(p.Rows)));
        if (panels.Any(p => p.Chart.Y.Log != logY))
        {
            var shared = spec with { Declaration = spec.Declaration with { LogY = logY } };
            panels = [.. facets.Select((f, i) => BuildOne(shared, f.Label, f.Points, firstNumber + i))];
        }

        var extents = panels.Select(p => PlotFrame.YExtent(p.Chart)).OfType<(double Min, double Max)>().ToList();
        if (extents.Count == 0)
        {
            return panels;
        }

        var include = (extents.Min(e => e.Min), extents.Max(e => e.Max));
        return [.. panels.Select(p => p with { Chart = p.Chart with { Y = p.Chart.Y with { Include = include } } })];
    }

    private static IEnumerable<double> YValues(IEnumerable<PanelRow> rows) =>
        rows.SelectMany(r => new[] { r.Mean, r.Theory, r.Reference }).OfType<double>();

    private static ReportPanel BuildOne(Spec spec, string facetLabel, IReadOnlyList<ReportPoint> subset, int number)
    {
        var usable = subset.Where(p => p.Parameters.Number(spec.X) is not null).ToList();
        var groupAxes = GroupAxes(spec, usable);
        var groups = Groups(usable, groupAxes);
        var rows = new List<PanelRow>();
        var perGroup = new List<(Group Group, List<PanelRow> Rows)>();
        foreach (var group in groups)
        {
            var groupRows = new List<PanelRow>();
            foreach (var point in group.Points.OrderBy(p => p.Parameters.Number(spec.X)))
            {
                double x = point.Parameters.Number(spec.X)!.Value;
                double? referenceValue = spec.Reference ? DOver4N(point) : null;
                foreach (string metric in spec.Metrics)
                {
                    if (point.Metric(metric) is { } m)
                    {
                        groupRows.Add(new PanelRow(facetLabel, group.Label, x, metric, m.N, m.Mean, m.Std, m.Theory, m.Residual, m.RelativeError, referenceValue, point.GridPoint));
                    }
                }
            }

            rows.AddRange(groupRows);
            perGroup.Add((group, groupRows));
        }

        bool logX = spec.Declaration.LogX ?? AutoLog(rows.Select(r => r.X));
        bool logY = spec.Declaration.LogY ?? AutoLog(YValues(rows));
        var chartSeries = new List<Series>();
        var legend = new List<Series>();
        bool byGroup = groups.Count > 1;
        for (int g = 0; g < perGroup.Count; g++)
        {
            var (group, groupRows) = perGroup[g];
            for (int k = 0; k < spec.Metrics.Count; k++)
            {
                var metricRows = groupRows.Where(r => r.Metric == spec.Metrics[k]).ToList();
                string colour = Palette.Colour(byGroup ? g : k);
                var marker = _markers[k % _markers.Length];
                var line = _lines[k % _lines.Length];
                chartSeries.Add(Series.Curve(null, colour, line, [.. metricRows.Where(r => r.Theory is not null).Select(r => new DataPoint(r.X, r.Theory!.Value))]));
                chartSeries.Add(Series.Markers(null, colour, marker, [.. metricRows.Where(r => r.Mean is not null).Select(r => new DataPoint(r.X, r.Mean!.Value, r.Std ?? 0))]));
            }

            if (byGroup && g < MaxLegendGroups)
            {
                legend.Add(Series.LegendOnly(group.Label, Palette.Colour(g), spec.Metrics.Count == 1 ? MarkerShape.Circle : MarkerShape.None, LineStyle.Solid));
            }
        }

        if (groups.Count > MaxLegendGroups)
        {
            legend.Add(Series.LegendOnly($"... and {groups.Count - MaxLegendGroups} more (see CSV)", Palette.Neutral, MarkerShape.None, LineStyle.None));
        }

        if (spec.Metrics.Count > 1)
        {
            for (int k = 0; k < spec.Metrics.Count; k++)
            {
                legend.Add(Series.LegendOnly(spec.Metrics[k], byGroup ? Palette.Neutral : Palette.Colour(k), _markers[k % _markers.Length], _lines[k % _lines.Length]));
            }
        }

        // Keys for what the symbols mean, for what the panel has (a grid may have no theory cells).
        if (rows.Any(r => r.Mean is not null))
        {
            legend.Add(Series.LegendOnly("simulation, mean ± 1 std", Palette.Neutral, MarkerShape.Circle, LineStyle.None));
        }

        if (rows.Any(r => r.Theory is not null))
        {
            legend.Add(Series.LegendOnly("replica theory", Palette.Neutral, MarkerShape.None, LineStyle.Solid));
        }

        if (spec.Reference)
        {
            chartSeries.AddRange(ReferenceCurves(spec.X, usable));
            legend.Add(Series.LegendOnly("d/(4N), large-N asymptote", Palette.Reference, MarkerShape.None, LineStyle.Dotted));
        }

        string title = (spec.Declaration.Title ?? $"{string.Join(", ", spec.Metrics)} against {spec.X}") + (facetLabel.Length == 0 ? string.Empty : $" ({facetLabel})");
        string yLabel = MetricLabels.DescribeAll(spec.Metrics);
        var chart = new Chart(
            $"panel-{number.ToString("00", CultureInfo.InvariantCulture)}",
            title,
            new Axis(ReportAxes.Label(spec.X), logX),
            new Axis(yLabel, logY),
            [.. chartSeries, .. legend]);
        // Where the training set is as large as the dimension: the paper's curves change character there.
        var ds = usable.Select(p => p.Parameters.Number("d")).Distinct().ToList();
        if (spec.X == "N" && ds is [{ } d])
        {
            chart = chart with { VerticalMarkers = [new VerticalMarker(d, FormattableString.Invariant($"N = d = {d:G6}"))] };
        }

        var panel = new ReportPanel(number, chart, spec.X, rows, Notes(spec, subset.Count - usable.Count, rows, logX, logY))
        {
            Residuals = Residuals(chart, perGroup, spec, logX, byGroup),
        };
        return spec.Declaration.Heatmap && spec.Series is { } rowAxis && spec.Metrics.Count == 1
            ? panel with { Heatmap = Heatmap(chart, spec, rowAxis, usable) }
            : panel;
    }

    /// <summary>
    /// Simulation minus theory under a comparison, with the simulation's standard deviation as error bars and a dotted
    /// zero line, in the colours and markers of the chart above; null when no point has both.
    /// </summary>
    private static Chart? Residuals(Chart chart, List<(Group Group, List<PanelRow> Rows)> perGroup, Spec spec, bool logX, bool byGroup)
    {
        var series = new List<Series>();
        for (int g = 0; g < perGroup.Count; g++)
        {
            for (int k = 0; k < spec.Metrics.Count; k++)
            {
                var points = perGroup[g].Rows
                    .Where(r => r.Metric == spec.Metrics[k] && r.Residual is not null)
                    .Select(r => new DataPoint(r.X, r.Residual!.Value, r.Std ?? 0))
                    .ToList();
                if (points.Count > 0)
                {
                    series.Add(Series.Markers(null, Palette.Colour(byGroup ? g : k), _markers[k % _markers.Length], points));
                }
            }
        }

        if (series.Count == 0)
        {
            return null;
        }

        var xs = series.SelectMany(s => s.Points).Select(p => p.X).ToList();
        series.Insert(0, Series.Curve(null, Palette.Reference, LineStyle.Dotted, [new DataPoint(xs.Min(), 0), new DataPoint(xs.Max(), 0)]));
        // The same room on the right as the chart above, so that both share their x positions.
        return new Chart(chart.Id + "-residual", "Simulation − theory (± 1 std)", chart.X with { Log = logX }, new Axis("simulation − theory", false), series)
        {
            Height = 240,
            LegendSpace = PlotFrame.Fit(chart).LegendSpace(chart),
        };
    }

    /// <summary>The panel's one metric over (series axis, x) as cells; for MoLRG's (r, n_k) with the line n_k = r + 1.</summary>
    private static Heatmap Heatmap(Chart chart, Spec spec, string rowAxis, IReadOnlyList<ReportPoint> points)
    {
        string metric = spec.Metrics[0];
        var columns = points.Select(p => p.Parameters.Number(spec.X)!.Value).Distinct().Order().ToList();
        var rowValues = points.Select(p => p.Parameters.Number(rowAxis)).OfType<double>().Distinct().Order().ToList();
        var values = rowValues.Select(r => (IReadOnlyList<double?>)[.. columns.Select(c => points
            .FirstOrDefault(p => p.Parameters.Number(rowAxis) == r && p.Parameters.Number(spec.X) == c)?.Metric(metric)?.Mean)]).ToList();
        bool identifiability = spec.X == Families.FamilyKeys.Nk && rowAxis == Families.FamilyKeys.R;
        return new Heatmap(chart.Id, chart.Title, ReportAxes.Label(spec.X), ReportAxes.Label(rowAxis), metric, columns, rowValues, values)
        {
            Boundary = identifiability ? [.. rowValues.Select(r => r + 1)] : null,
            BoundaryLabel = identifiability ? "n_k = r + 1" : null,
        };
    }

    /// <summary>
    /// The axes that split a panel's points into series: the declared series axis first, then every other axis
    /// that varies, except x, the facet, and axes that x and the axes already taken determine (N/d when d is
    /// taken and N is x, the spectrum name when k is taken, d along a zipped (d, N) line): those would only
    /// repeat what the series already say.
    /// </summary>
    private static List<string> GroupAxes(Spec spec, IReadOnlyList<ReportPoint> points)
    {
        var candidates = new List<string>();
        if (spec.Series is { } declared)
        {
            candidates.Add(declared);
        }

        candidates.AddRange(ReportAxes.DefaultSeries.Where(a => a != spec.Series));
        var chosen = new List<string>();
        foreach (string axis in candidates)
        {
            if (axis == spec.X || axis == spec.Facet || Values(points, axis).Count <= 1 || IsDetermined(points, axis, [spec.X, .. chosen]))
            {
                continue;
            }

            chosen.Add(axis);
        }

        return chosen;
    }

    private static bool IsDetermined(IReadOnlyList<ReportPoint> points, string axis, IReadOnlyList<string> by) =>
        points.GroupBy(p => Key(p, by), StringComparer.Ordinal).All(g => g.Select(p => p.Value(axis)).Distinct().Count() <= 1);

    private static List<Group> Groups(IReadOnlyList<ReportPoint> points, IReadOnlyList<string> axes)
    {
        var groups = new Dictionary<string, Group>(StringComparer.Ordinal);
        foreach (var point in points)
        {
            string key = Key(point, axes);
            if (!groups.TryGetValue(key, out var group))
            {
                var values = axes.Select(point.Value).ToList();
                group = new Group(values, string.Join(", ", axes.Zip(values, Describe)), []);
                groups.Add(key, group);
            }

            group.Points.Add(point);
        }

        var list = groups.Values.ToList();
        list.Sort((a, b) =>
        {
            for (int i = 0; i < a.Values.Count; i++)
            {
                int c = a.Values[i].CompareTo(b.Values[i]);
                if (c != 0)
                {
                    return c;
                }
            }

            return 0;
        });
        return list;
    }

    private static string Describe(string axis, ParameterValue value) => axis == "spectrum" ? value.Text : $"{axis} = {value.Text}";

    private static string Key(ReportPoint point, IEnumerable<string> axes) => string.Join('\u001f', axes.Select(a => point.Value(a).Text));

    /// <summary>d/(4N) through the panel's points: one curve per (d, N) setting other than x, since it depends on nothing else.</summary>
    private static IEnumerable<Series> ReferenceCurves(string x, IReadOnlyList<ReportPoint> points) => points
        .Where(p => DOver4N(p) is not null)
        .GroupBy(p => Key(p, _referenceAxes.Where(a => a != x)), StringComparer.Ordinal)
        .OrderBy(g => g.Key, StringComparer.Ordinal)
        .Select(g => Series.Curve(
            null,
            Palette.Reference,
            LineStyle.Dotted,
            [.. g.Select(p => new DataPoint(p.Parameters.Number(x)!.Value, DOver4N(p)!.Value)).Distinct()]));

    private static double? DOver4N(ReportPoint point) =>
        point.Parameters.Number("d") is { } d && point.Parameters.Number("N") is { } n && n > 0 ? d / (4 * n) : null;

    private static List<string> Notes(Spec spec, int withoutX, IReadOnlyList<PanelRow> rows, bool logX, bool logY)
    {
        var notes = new List<string>();
        if (withoutX > 0)
        {
            notes.Add($"{withoutX} grid points have no value of {spec.X} (e.g. k of a file spectrum) and are not in this panel.");
        }

        foreach (string metric in spec.Metrics)
        {
            var metricRows = rows.Where(r => r.Metric == metric).ToList();
            if (metricRows.Count == 0)
            {
                notes.Add($"No result has {metric} yet.");
                continue;
            }

            AddHidden(notes, "simulation means", metric, spec.X, metricRows.Where(r => r.Mean is not null).Select(r => (r.X, r.Mean!.Value)), logX, logY);
            AddHidden(notes, "theory values", metric, spec.X, metricRows.Where(r => r.Theory is not null).Select(r => (r.X, r.Theory!.Value)), logX, logY);
            int waiting = metricRows.Count(r => r.N == 0);
            if (waiting > 0)
            {
                notes.Add($"{metric}: {waiting} grid points have no simulation result yet (theory only).");
            }
        }

        return notes;
    }

    private static void AddHidden(List<string> notes, string what, string metric, string x, IEnumerable<(double X, double Y)> values, bool logX, bool logY)
    {
        var reasons = new SortedSet<string>(StringComparer.Ordinal);
        int hidden = 0;
        foreach (var (vx, vy) in values)
        {
            if (PlotFrame.Showable(vx, logX) && PlotFrame.Showable(vy, logY))
            {
                continue;
            }

            hidden++;
            if (!double.IsFinite(vx))
            {
                reasons.Add($"{x} = {ParameterValue.Format(vx)}");
            }
            else if (!PlotFrame.Showable(vx, logX))
            {
                reasons.Add($"{x} <= 0 on a log axis");
            }

            if (!double.IsFinite(vy))
            {
                reasons.Add($"value {ParameterValue.Format(vy)}");
            }
            else if (!PlotFrame.Showable(vy, logY))
            {
                reasons.Add("value <= 0 on a log axis");
            }
        }

        if (hidden > 0)
        {
            notes.Add($"{metric}: {hidden} {what} not drawn ({string.Join("; ", reasons)}); they are in the CSV.");
        }
    }

    /// <summary>Log scale when every value is positive and they span more than a decade.</summary>
    private static bool AutoLog(IEnumerable<double> values)
    {
        var finite = values.Where(double.IsFinite).ToList();
        return finite.Count > 0 && finite.All(v => v > 0) && finite.Max() / finite.Min() > 10;
    }

    private static List<ParameterValue> Values(IReadOnlyList<ReportPoint> points, string axis) =>
        [.. points.Where(p => p.Parameters.TryGet(axis, out _)).Select(p => p.Value(axis)).Distinct().Order()];

    private static string? AxisOrNull(string? name, string where, List<string> warnings)
    {
        if (name is null || ReportAxes.IsAxis(name))
        {
            return name;
        }

        warnings.Add($"{where} '{name}' is not a grid axis{Hint(name, ReportAxes.All)} (one of {string.Join(", ", ReportAxes.All)}); ignored");
        return null;
    }

    private static string Hint(string name, IEnumerable<string> allowed) =>
        KeySuggestions.Closest(name, allowed) is { } closest ? $" (did you mean '{closest}'?)" : string.Empty;

    private sealed record Spec(PanelDeclaration Declaration, string X, IReadOnlyList<string> Metrics, string? Series, string? Facet, bool Reference);

    private sealed record Group(IReadOnlyList<ParameterValue> Values, string Label, List<ReportPoint> Points);
}
