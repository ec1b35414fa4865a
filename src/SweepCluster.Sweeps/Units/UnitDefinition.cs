namespace SweepCluster.Sweeps.Units;

/// <summary>
/// A work unit: the cells of one sweep that share a training set (or a theory computation) and still
/// need computing. Its id hashes the sweep, the group and the cell ids, so writing it again is a no-op.
/// </summary>
/// <param name="Id">Deterministic id.</param>
/// <param name="SweepId">The sweep that asked for it.</param>
/// <param name="Kind">Simulation or theory.</param>
/// <param name="GroupKey">What its cells share.</param>
/// <param name="CellIds">Its cells, sorted.</param>
/// <param name="Cost">Predicted cost in arbitrary units (about flops); the most expensive units are claimed first.</param>
public sealed record UnitDefinition(string Id, string SweepId, UnitKind Kind, string GroupKey, IReadOnlyList<string> CellIds, double Cost);
