using SweepCluster.Sweeps.Cells;

namespace SweepCluster.Sweeps.Execution;

/// <summary>Computes the cells of one work unit. Implementations are pure CPU work, called on a compute slot.</summary>
public interface IUnitComputer
{
    IReadOnlyList<TimedOutcome> Compute(IReadOnlyList<CellDefinition> cells);
}
