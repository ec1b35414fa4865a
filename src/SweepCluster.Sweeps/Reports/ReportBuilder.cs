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
    private static Cells.CellKind? FamilyOf(IReadOnlyList<Aggregation.GridPointSummary> summaries)
    {
        if (summaries.Count == 0)
        {
            return null;
        }

        using var document = System.Text.Json.JsonDocument.Parse(summaries[0].CanonicalParameters);
        return document.RootElement.TryGetProperty("kind", out var kind) && kind.GetString() is { } name
            && Cells.CellKindNames.Families.Contains(name) ? Cells.CellKindNames.Parse(name) : null;
    }

    public static Report Build(ReportInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(input.Summaries);
        var section = input.Section ?? ReportSection.None;
        var points = input.Summaries.Select(s => new ReportPoint(s)).ToList();
        var warnings = new List<string>(section.Warnings);

        var panels = BuildPanels(section.Panels, "report.panels", points, warnings);
        bool defaults = panels.Count == 0;
        if (defaults)
        {
            if (section.Panels.Count > 0)
            {
                warnings.Add("none of the declared panels could be drawn; showing the default panels");
            }

            panels = BuildPanels(DefaultPanels.Choose(points, input.Losses, FamilyOf(input.Summaries)), "default panel", points, warnings);
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

        var seeds = points.Select(p => p.Summary.Seeds + p.Summary.Failed + p.Summary.Pending).Distinct().Order().Select(n => n.ToString(CultureInfo.InvariantCulture)).ToList();
        if (seeds.Count > 0)
        {
            rows.Add(new ParameterSummary("seeds per grid point", seeds, seeds.Count > 1));
        }

        return rows;
    }

    private static List<ResidualRow> Residuals(IReadOnlyList<ReportPoint> points, IReadOnlyList<string> varying, LossSelection losses) => points
        .SelectMany(p => p.Summary.Metrics
            .Where(m => LossSelections.Includes(losses, m.Metric.Metric))
            .Where(m => m.RelativeError is not null && m.Mean is not null && m.Theory is not null && m.Residual is not null)
            .Select(m => new ResidualRow(
                m.Metric.Name,
                Describe(p, varying),
                m.N,
                m.Mean!.Value,
                m.Std,
                m.Theory!.Value,
                m.Residual!.Value,
                m.RelativeError!.Value,
                p.Summary.GridPoint)))
        .OrderByDescending(r => r.RelativeError)
        .ThenBy(r => r.GridPoint, StringComparer.Ordinal)
        .ThenBy(r => r.Metric, StringComparer.Ordinal)
        .Take(ResidualRows)
        .ToList();

    private static string Describe(ReportPoint point, IReadOnlyList<string> varying) => varying.Count == 0
        ? "(the only grid point)"
        : string.Join(", ", varying.Select(a => a == "spectrum" ? point.Value(a).Text : $"{a} = {point.Value(a).Text}"));
}
