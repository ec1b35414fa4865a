using SweepCluster.Model.Configuration;
using SweepCluster.Sweeps.Families;

namespace SweepCluster.Sweeps.Cells;

/// <summary>
/// One cell: a content-addressed computation. <see cref="Id"/> is a hash of <see cref="CanonicalParameters"/>
/// (which include the model version), so the same cell in two sweeps is the same row, computed once.
/// </summary>
/// <param name="Id">The content hash.</param>
/// <param name="Kind">Simulation (one seed) or theory.</param>
/// <param name="Config">The model settings; for a simulation cell Seeds = 1 and Seed0 is the cell's seed.</param>
/// <param name="CanonicalParameters">The canonical JSON the id hashes; also what is stored.</param>
/// <param name="GroupKey">Cells with equal keys share a work unit (one training set, or one theory computation).</param>
/// <param name="Family">The settings of a generalisation-family cell beyond the model's; null for simulation and theory cells.</param>
public sealed record CellDefinition(string Id, CellKind Kind, ModelConfig Config, string CanonicalParameters, string GroupKey, FamilySettings? Family = null);
