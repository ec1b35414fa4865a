namespace SweepCluster.Sweeps.Reports;

/// <summary>A row of the parameter table: one axis and the values the sweep gives it.</summary>
/// <param name="Name">The axis (grid file name).</param>
/// <param name="Values">The distinct values in order, as text.</param>
/// <param name="Varies">Whether the sweep has more than one value.</param>
public sealed record ParameterSummary(string Name, IReadOnlyList<string> Values, bool Varies);
