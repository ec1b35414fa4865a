using SweepCluster.Sweeps.Cells;
using SweepCluster.Sweeps.Units;

namespace SweepCluster.Sweeps.Grids;

/// <summary>
/// Groups a sweep's outstanding cells into work units: simulation cells that share a training set, theory
/// cells that share one order-parameter computation (<see cref="CellDefinition.GroupKey"/>). Units come most
/// expensive first, so that the longest ones start early and do not form the tail of the sweep.
/// </summary>
public static class UnitPlanner
{
    /// <summary>The rate at which <see cref="UnitDefinition.Cost"/> is spent, per core; cost / rate is a rough time.</summary>
    public const double FlopsPerCoreSecond = 2e9;

    // Forming the covariance (or Gram matrix) and its eigendecomposition run in optimised BLAS/LAPACK at about ten
    // times the rate of the per-mode loops, measured at d = 100 and 1000; counting them at a tenth keeps
    // cost / FlopsPerCoreSecond within a factor of about 3 of the measured time of both kinds of unit.
    private const double DenseLinearAlgebraWeight = 0.1;

    // S-6 continues the spectral measure over about six decades of the spectral grid.
    private const double SpectralDecades = 6;

    /// <summary>Plans the units of the cells not yet completed; cells already done are left out, empty units dropped.</summary>
    public static IReadOnlyList<UnitDefinition> Plan(SweepDefinition sweep, IReadOnlySet<string> completedCellIds)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        ArgumentNullException.ThrowIfNull(completedCellIds);
        var groups = new Dictionary<string, List<CellDefinition>>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var cell in sweep.Cells)
        {
            // A sweep definition built by hand may repeat a cell; a unit holds each cell once.
            if (completedCellIds.Contains(cell.Id) || !seen.Add(cell.Id))
            {
                continue;
            }

            if (!groups.TryGetValue(cell.GroupKey, out var members))
            {
                members = [];
                groups[cell.GroupKey] = members;
            }

            members.Add(cell);
        }

        var units = new List<UnitDefinition>(groups.Count);
        foreach (var (groupKey, cells) in groups)
        {
            var kind = cells[0].Kind == CellKind.Theory ? UnitKind.Theory : UnitKind.Simulation;
            var ids = cells.Select(c => c.Id).Order(StringComparer.Ordinal).ToList();
            string id = CellParameters.Hash(sweep.Id + "|" + groupKey + "|" + string.Join(",", ids));
            units.Add(new UnitDefinition(id, sweep.Id, kind, groupKey, ids, PredictCost(kind, cells)));
        }

        units.Sort((a, b) =>
        {
            int byCost = b.Cost.CompareTo(a.Cost);
            return byCost != 0 ? byCost : string.CompareOrdinal(a.Id, b.Id);
        });
        return units;
    }

    /// <summary>
    /// Predicted cost of one unit, in flops at the per-mode rate. Simulation: the covariance (or the N x N Gram
    /// matrix when N &lt; d) and its eigendecomposition once, then O(T d) per cell. Theory: the S-6 spectral
    /// measure once, then per cell the closed forms, O(T d), and the spectral integrals over the measure's
    /// nodes, O(T * nodes), which every theory cell needs (the DDPM KL has no closed form, even at tau = inf).
    /// </summary>
    public static double PredictCost(UnitKind kind, IReadOnlyList<CellDefinition> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        if (cells.Count == 0)
        {
            return 0;
        }

        double d = cells[0].Config.D;
        double n = cells[0].Config.N;
        if (kind == UnitKind.Simulation)
        {
            double m = Math.Min(n, d);
            double dense = (n * d * m) + (9 * m * m * m);
            return (DenseLinearAlgebraWeight * dense) + cells.Sum(c => c.Config.T * d * 40.0);
        }

        double nodes = cells.Max(c => c.Config.SpectralGrid) * SpectralDecades;
        double measure = nodes * d * 20;
        return measure + cells.Sum(c => (c.Config.T * d * 60.0) + (c.Config.T * c.Config.SpectralGrid * SpectralDecades * 20.0));
    }
}
