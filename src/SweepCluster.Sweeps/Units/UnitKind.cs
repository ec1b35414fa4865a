namespace SweepCluster.Sweeps.Units;

/// <summary>
/// Simulation units share one training set; theory units share one order-parameter computation; a unit of a
/// generalisation family holds one cell of that family. The values are those of the cell kinds.
/// </summary>
public enum UnitKind
{
    Simulation = 1,
    Theory = 2,
    Repro = 3,
    Gl = 4,
    Bound = 5,
    Molrg = 6,
}
