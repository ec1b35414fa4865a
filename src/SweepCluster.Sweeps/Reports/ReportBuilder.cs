using System.Globalization;
using SweepCluster.Model.Versioning;
using SweepCluster.Sweeps.Exports;

namespace SweepCluster.Sweeps.Reports;

/// <summary>
/// Builds a <see cref="Report"/> from plain data: the panels the report section declares (or the default
/// panels), the sweep's parameters, and the largest theory-simulation differences. A pure function: the same
/// input gives the same report, and partial results give a partial report.
/// </summary>
public static class ReportBuilder
{
    /// <summary>Rows of the residual table.</summary>
    public const int ResidualRows = 20;

    /// <summary>Values listed per axis in the parameter table before the middle ones are elided.</summary>
    private const int MaxListedValues = 12;

    /// <summary>The generalisation family of a family sweep (every grid point's canonical kind), else null.</summary>
    private static Cells.CellKind? FamilyOf(string canonicalParameters)
    {
        using var document = System.Text.Json.JsonDocument.Parse(canonicalParameters);
        return document.RootElement.TryGetProperty("kind", out var kind) && kind.GetString() is { } name
            && Cells.CellKindNames.Families.Contains(name) ? Cells.CellKindNames.Parse(name) : null;
    }

    public static Report Build(ReportInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(input.Summaries);
        var section = input.Section ?? ReportSection.None;
        // The summaries are read once, as they come (a store read for a large sweep); only the compact points stay.
        var pool = new ReportPointPool();
        var points = new List<ReportPoint>();
        Cells.CellKind? family = null;
        foreach (var summary in input.Summaries)
        {
            if (points.Count == 0)
            {
                family = FamilyOf(summary.CanonicalParameters);
            }

            points.Add(new ReportPoint(summary, pool));
        }

        var warnings = new List<string>(section.Warnings);

        var panels = BuildPanels(section.Panels, "report.panels", points, warnings);
        bool defaults = panels.Count == 0;
        if (defaults)
        {
            if (section.Panels.Count > 0)
            {
                warnings.Add("none of the declared panels could be drawn; showing the default panels");
            }

            panels = BuildPanels(DefaultPanels.Choose(points, input.Losses, family), "default panel", points, warnings);
        }

        var parameters = Parameters(points);
        // The residual table names a grid point by its varying axes, without the ones that repeat another
        // (N/d beside d and N; the spectrum's name beside k when every spectrum is a power law).
        var varying = parameters.Where(p => p.Varies).Select(p => p.Name).Where(n => n != "n_over_d" && ReportAxes.IsAxis(n)).ToList();
        if (varying.Contains("k") && points.All(p => p.Parameters.TryGet("k", out _)))
        {
            varying.Remove("spectrum");
        }

        return new Report(
            section.Title ?? $"Sweep {input.SweepId}: simulation against replica theory",
            input.SweepId,
            input.GridHash,
            input.GridText,
            ModelVersion.Current,
            [.. points.Select(p => p.Parameters.ModelVersion).Where(v => v.Length > 0).Distinct().Order(StringComparer.Ordinal)],
            input.GeneratedAt,
            input.Progress,
            points.Count,
            defaults,
            parameters,
            panels,
            Residuals(points, varying, input.Losses),
            warnings);
    }

    private static List<ReportPanel> BuildPanels(IReadOnlyList<PanelDeclaration> declarations, string where, IReadOnlyList<ReportPoint> points, List<string> warnings)
    {
        var panels = new List<ReportPanel>();
        for (int i = 0; i < declarations.Count; i++)
        {
            panels.AddRange(PanelBuilder.Build(declarations[i], $"{where}[{i + 1}]", points, panels.Count + 1, warnings));
        }

        return panels;
    }

    private static List<ParameterSummary> Parameters(IReadOnlyList<ReportPoint> points)
    {
        var rows = new List<ParameterSummary>();
        foreach (string axis in ReportAxes.All)
        {
            var values = points.Where(p => p.Parameters.TryGet(axis, out _)).Select(p => p.Value(axis)).Distinct().Order().ToList();
            if (values.Count == 0)
            {
                continue;
            }

            var texts = values.Select(v => v.Text).ToList();
            if (texts.Count > MaxListedValues)
            {
                texts = [.. texts.Take(MaxListedValues / 2), $"... ({texts.Count} values) ...", .. texts.TakeLast(MaxListedValues / 2)];
            }

            rows.Add(new ParameterSummary(axis, texts, values.Count > 1));
        }

        var steps = points.Select(p => p.Parameters.ReportedSteps).Where(s => s.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (steps.Count > 0)
        {
            rows.Add(new ParameterSummary("t (reported steps)", steps, steps.Count > 1));
        }

        var seeds = points.Select(p => p.SeedsPlanned).Distinct().Order().Select(n => n.ToString(CultureInfo.InvariantCulture)).ToList();
        if (seeds.Count > 0)
        {
            rows.Add(new ParameterSummary("seeds per grid point", seeds, seeds.Count > 1));
        }

        return rows;
    }

    /// <summary>
    /// The <see cref="ResidualRows"/> largest relative errors, kept in a bounded heap as the points are read: a sweep of
    /// 10^5 grid points has millions of candidates, and only the rows shown are described.
    /// </summary>
    private static List<ResidualRow> Residuals(IReadOnlyList<ReportPoint> points, IReadOnlyList<string> varying, LossSelection losses)
    {
        var order = Comparer<(double RelativeError, string GridPoint, string Metric)>.Create((a, b) =>
        {
            // The heap's root is the row that leaves first: the smallest error, then the last in the table's order.
            int c = a.RelativeError.CompareTo(b.RelativeError);
            if (c != 0)
            {
                return c;
            }

            c = string.CompareOrdinal(b.GridPoint, a.GridPoint);
            return c != 0 ? c : string.CompareOrdinal(b.Metric, a.Metric);
        });
        var kept = new PriorityQueue<(ReportPoint Point, Aggregation.MetricAggregate Metric), (double, string, string)>(order);
        foreach (var point in points)
        {
            foreach (var m in point.Metrics)
            {
                if (!LossSelections.Includes(losses, m.Metric.Metric) || m.RelativeError is not { } error || m.Mean is null || m.Theory is null || m.Residual is null)
                {
                    continue;
                }

                var priority = (error, point.GridPoint, m.Metric.Name);
                if (kept.Count < ResidualRows)
                {
                    kept.Enqueue((point, m), priority);
                }
                else if (kept.TryPeek(out _, out var smallest) && order.Compare(priority, smallest) > 0)
                {
                    kept.DequeueEnqueue((point, m), priority);
                }
            }
        }

        // The table's order is the heap's, largest first.
        return [.. kept.UnorderedItems
            .OrderByDescending(item => item.Priority, order)
            .Select(item => new ResidualRow(
                item.Element.Metric.Metric.Name,
                Describe(item.Element.Point, varying),
                item.Element.Metric.N,
                item.Element.Metric.Mean!.Value,
                item.Element.Metric.Std,
                item.Element.Metric.Theory!.Value,
                item.Element.Metric.Residual!.Value,
                item.Element.Metric.RelativeError!.Value,
                item.Element.Point.GridPoint))];
    }

    private static string Describe(ReportPoint point, IReadOnlyList<string> varying) => varying.Count == 0
        ? "(the only grid point)"
        : string.Join(", ", varying.Select(a => a == "spectrum" ? point.Value(a).Text : $"{a} = {point.Value(a).Text}"));
}
