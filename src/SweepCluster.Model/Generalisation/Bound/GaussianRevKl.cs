using SweepCluster.Model.Spectra;
using SweepCluster.Model.Training;

namespace SweepCluster.Model.Generalisation.Bound;

/// <summary>
/// KL(N(0, Sigma) || N(m, U diag(v) U^T)) per dimension, with U the eigenbasis of Sigma0 and m = U diag(g) U^T mu0
/// (the rev direction of S-4): every generated law of S-14 is of this form.
/// </summary>
public static class GaussianRevKl
{
    /// <param name="variance">v_i per mode (a null block shares one value).</param>
    /// <param name="meanGain">g_i, the fraction of (u_i^T mu0) the generated mean keeps.</param>
    public static double PerDimension(Spectrum spectrum, EmpiricalEigenbasis basis, ReadOnlySpan<double> variance, ReadOnlySpan<double> meanGain)
    {
        ArgumentNullException.ThrowIfNull(spectrum);
        ArgumentNullException.ThrowIfNull(basis);
        int d = basis.Dimension;
        double sumLog = 0, trace = 0, mean = 0;
        for (int i = 0; i < basis.ModeCount; i++)
        {
            double v = variance[i];
            if (!(v > 0) || double.IsPositiveInfinity(v))
            {
                return double.PositiveInfinity;
            }

            // The true mean is 0, so the mean term of mode i is (g_i u_i^T mu0)^2 / v_i.
            double g = meanGain[i];
            sumLog += basis.Multiplicity[i] * Math.Log(v);
            trace += basis.OverlapSigma[i] / v;
            mean += g * g * basis.MeanCoordinateSquared[i] / v;
        }

        double kl = 0.5 * (sumLog - (spectrum.MeanLog * d) - d + mean + trace) / d;
        return double.IsNaN(kl) ? double.PositiveInfinity : kl;
    }
}
