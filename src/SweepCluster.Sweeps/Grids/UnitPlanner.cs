using SweepCluster.Sweeps.Cells;
using SweepCluster.Sweeps.Families;
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
    /// <remarks>Measured on the five paper grids (2026-12-05, the 2-core VM): 0.26 to 0.46 ns per cost unit by grid and
    /// kind, 0.33 ns in the middle. It is the ETA's prior until units finish, which on fig3 and fig4 is the first third
    /// of the sweep.</remarks>
    public const double FlopsPerCoreSecond = 3e9;

    // Forming the covariance (or Gram matrix) and its eigendecomposition run in optimised BLAS/LAPACK at about ten
    // times the rate of the per-mode loops, measured at d = 100 and 1000; counting them at a tenth keeps
    // cost / FlopsPerCoreSecond within a factor of about 3 of the measured time of both kinds of unit.
    internal const double DenseLinearAlgebraWeight = 0.1;

    // S-6 continues the spectral measure over about six decades of the spectral grid.
    internal const double SpectralDecades = 6;

    // What a simulation unit costs besides its products, fitted (least squares) to the measured computation of the
    // 1,840 simulation units of the five paper grids, in the units of the theory's cost (1 unit ~ 0.28 ns here):
    // drawing and centring the training set, about 50 per sample coordinate (the portable normals), the covariance
    // product at 0.17 per multiply-add, and about 6 ms per unit of set-up (schedule, population optima, buffers),
    // which dominates the small units of fig1 and fig2. Without them those units were predicted at a fifth of their
    // time relative to the theory units, and the ETA of a grid that hands out its theory first came out short.
    private const double SampleCost = 50;
    private const double CovarianceWeight = 0.17;
    private const double SimulationUnitOverhead = 2e7;

    // Converged theory cells of one unit share one pass over the spectral nodes, one vector lane each (any ridge c),
    // so their node loop costs a block of lanes, not a cell: fig2's units of five c were predicted at 2.5 times their
    // time relative to fig1's single cells. Four lanes is AVX2's width, the machines this runs on.
    private const int PassLanes = 4;

    /// <summary>Plans the units of the cells not yet completed; cells already done are left out, empty units dropped.</summary>
    public static IReadOnlyList<UnitDefinition> Plan(SweepDefinition sweep, IReadOnlySet<string> completedCellIds)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        ArgumentNullException.ThrowIfNull(completedCellIds);
        var plan = new UnitPlanBuilder(sweep.Id);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var cell in sweep.Cells)
        {
            // A sweep definition built by hand may repeat a cell; a unit holds each cell once.
            if (!completedCellIds.Contains(cell.Id) && seen.Add(cell.Id))
            {
                plan.Add(cell);
            }
        }

        return [.. plan.Units()];
    }

    /// <summary>
    /// Predicted cost of one unit, in flops at the per-mode rate. Simulation: drawing the training set (N d normals), the
    /// covariance (or the N x N Gram matrix when N &lt; d) and its eigendecomposition once, a fixed set-up, then O(T d) per cell. Theory: the S-6 spectral
    /// measure once, then per cell the closed forms, O(T d), and the spectral integrals over the measure's
    /// nodes, O(T * nodes), which every theory cell needs (the DDPM KL has no closed form, even at tau = inf).
    /// </summary>
    public static double PredictCost(UnitKind kind, IReadOnlyList<CellDefinition> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        var cost = new UnitCost(kind);
        foreach (var cell in cells)
        {
            cost.Add(cell);
        }

        return cost.Total;
    }

    /// <summary>
    /// <see cref="PredictCost"/> added up one cell at a time, so that a plan keeps three numbers per unit instead of its
    /// cells. The sums run in cell order, as a sum over the list would, so both give the same bits.
    /// </summary>
    internal sealed class UnitCost(UnitKind kind)
    {
        private double _d;
        private double _n;
        private int _cells;
        private int _maxSpectralGrid;
        private double _perCell;
        private double _convergedNodes;
        private int _converged;

        public void Add(CellDefinition cell)
        {
            if (_cells++ == 0)
            {
                _d = cell.Config.D;
                _n = cell.Config.N;
            }

            var c = cell.Config;
            if (kind == UnitKind.Simulation)
            {
                _perCell += c.T * _d * 48.0;
                return;
            }

            if (kind != UnitKind.Theory)
            {
                _perCell += FamilyCost.Predict(cell);
                return;
            }

            _maxSpectralGrid = Math.Max(_maxSpectralGrid, c.SpectralGrid);
            double nodeLoop = c.T * c.SpectralGrid * SpectralDecades * 20.0;
            _perCell += c.T * _d * 60.0;
            if (c.IsConverged)
            {
                _convergedNodes += nodeLoop;
                _converged++;
            }
            else
            {
                _perCell += nodeLoop;
            }
        }

        public double Total
        {
            get
            {
                if (_cells == 0)
                {
                    return 0;
                }

                if (kind is not (UnitKind.Simulation or UnitKind.Theory))
                {
                    return _perCell;
                }

                if (kind == UnitKind.Simulation)
                {
                    double m = Math.Min(_n, _d);
                    double dense = (CovarianceWeight * _n * _d * m) + (DenseLinearAlgebraWeight * 9 * m * m * m);
                    return dense + (SampleCost * _n * _d) + SimulationUnitOverhead + _perCell;
                }

                double nodes = _maxSpectralGrid * SpectralDecades;
                double measure = nodes * _d * 20;
                double convergedPass = _converged == 0 ? 0 : _convergedNodes * Math.Ceiling(_converged / (double)PassLanes) / _converged;
                return measure + _perCell + convergedPass;
            }
        }
    }
}
