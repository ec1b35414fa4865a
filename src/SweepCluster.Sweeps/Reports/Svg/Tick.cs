namespace SweepCluster.Sweeps.Reports.Svg;

/// <summary>A tick of an axis.</summary>
/// <param name="Value">Where it is, in data units.</param>
/// <param name="IsMajor">A long tick with a grid line; minor ticks are short marks.</param>
/// <param name="Label">Its label, or null for an unlabelled tick.</param>
public sealed record Tick(double Value, bool IsMajor, TickLabel? Label);
