using SweepCluster.Sweeps.Cells;

namespace SweepCluster.Sweeps.Execution;

/// <summary>A cell's outcome and the seconds it took (its share of the unit's common work included).</summary>
public sealed record TimedOutcome(CellOutcome Outcome, double Seconds);
