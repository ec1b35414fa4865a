namespace SweepCluster.Sweeps.Reports.Svg;

/// <summary>How a chart shows one coordinate.</summary>
/// <param name="Label">The axis label (plain text; it is escaped when written).</param>
/// <param name="Log">A base-10 log axis: values that are not positive have no position and are left out.</param>
/// <param name="Min">The lower end of the domain; null to fit the data.</param>
/// <param name="Max">The upper end of the domain; null to fit the data.</param>
/// <param name="Include">A range the fitted domain must cover besides the data (padded and rounded like the data), so that
/// charts compared side by side can share one range; ignored when an end is not showable on the axis.</param>
public sealed record Axis(string Label, bool Log = false, double? Min = null, double? Max = null, (double Low, double High)? Include = null);
