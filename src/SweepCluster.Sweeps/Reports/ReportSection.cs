namespace SweepCluster.Sweeps.Reports;

/// <summary>
/// A grid's report section, read: the panels it declares and what was wrong with it. Problems never stop a
/// report; they are listed on the page and the rest of the section is used.
/// </summary>
/// <param name="Title">A title for the report page; null for the default.</param>
/// <param name="Panels">Declared panels, in order; empty means the default panels.</param>
/// <param name="Warnings">Problems found, each naming the key.</param>
public sealed record ReportSection(string? Title, IReadOnlyList<PanelDeclaration> Panels, IReadOnlyList<string> Warnings)
{
    /// <summary>No report section: default panels, nothing to warn about.</summary>
    public static ReportSection None { get; } = new(null, [], []);

    /// <summary>Reads a report section's YAML text (Grid.Report); null or blank is <see cref="None"/>.</summary>
    public static ReportSection Parse(string? yaml) => ReportSectionReader.Parse(yaml);

    /// <summary>
    /// Reads the report section straight from a grid file's text, without validating the rest of the grid:
    /// for a stored grid that no longer validates (for example its spectrum files have moved).
    /// </summary>
    public static ReportSection FromGridText(string gridText) => ReportSectionReader.FromGridText(gridText);

    /// <summary>The same section with one more warning.</summary>
    public ReportSection WithWarning(string warning) => this with { Warnings = [.. Warnings, warning] };
}
