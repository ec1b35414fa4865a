using SweepCluster.Sweeps.Cells;
using SweepCluster.Sweeps.Grids;

namespace SweepCluster.Sweeps.Families;

/// <summary>
/// The predicted cost of one generalisation-family cell, in the flops of <see cref="UnitPlanner"/> (cost / 2e9 is a
/// rough time on one core). What dominates: repro, the sampler's draws through both models of every pair and the
/// theory's spectral measure; gl, the optimal empirical denoiser, T N d per draw and model (in batched BLAS, so at
/// the dense rate); bound, the ln-sigma quadrature per mode; molrg, K-subspaces, K (N d r + d^3) per iteration of
/// every restart and trial (an upper bound: most runs stop early). The ETA calibrates these by measured times.
/// </summary>
internal static class FamilyCost
{
    // The ln-sigma grid of S-14 spans about 12 in ln sigma (sigma from 1e-3 to 1e2 and beyond).
    private const double LogSigmaSpan = 12;

    public static double Predict(CellDefinition cell)
    {
        var c = cell.Config;
        var s = cell.Family ?? FamilySettings.Empty;
        double d = c.D;
        double n = c.N;
        double m = Math.Min(n, d);
        double training = UnitPlanner.DenseLinearAlgebraWeight * ((n * d * m) + (9 * m * m * m));
        double theory = c.SpectralGrid * UnitPlanner.SpectralDecades * ((c.T * 20.0) + (d * 20.0));
        switch (cell.Kind)
        {
            case CellKind.Repro:
                int pairs = s.Get(FamilyKeys.Pairs, 1);
                int draws = s.Get(FamilyKeys.Draws, 500);
                return (pairs * ((2 * training) + (draws * 2.0 * c.T * d * 4))) + theory;
            case CellKind.Gl:
                int glDraws = s.Get(FamilyKeys.Draws, 200);
                double empirical = UnitPlanner.DenseLinearAlgebraWeight * glDraws * 2.0 * c.T * n * d * 2;
                return (2 * training) + empirical + (glDraws * 3.0 * c.T * d * 4);
            case CellKind.Bound:
                double step = s.Get(FamilyKeys.LogStep, 0.002);
                return training + (LogSigmaSpan / step * d * 200) + (c.T * d * 40.0);
            case CellKind.Molrg when !FamilyKeys.IsSubspaces(cell.Kind, s):
                return training + (c.T * d * 40.0) + theory;
            default:
                int k = s.Get(FamilyKeys.K, 2);
                int r = s.Get(FamilyKeys.R, 1);
                double samples = (double)k * s.Get(FamilyKeys.Nk, 1);
                double perIteration = k * ((samples * d * r) + (d * d * d));
                return UnitPlanner.DenseLinearAlgebraWeight * s.Get(FamilyKeys.Trials, 20) * s.Get(FamilyKeys.Restarts, 10) * s.Get(FamilyKeys.MaxIter, 100) * perIteration;
        }
    }
}
