namespace SweepCluster.Sweeps.Cells;

/// <summary>What a cell computes. Stored as text (see <see cref="CellKindNames"/>).</summary>
public enum CellKind
{
    /// <summary>One training-set draw (one seed) of one grid point.</summary>
    Simulation = 1,

    /// <summary>The replica prediction of one grid point; it does not depend on the seed.</summary>
    Theory = 2,
}
