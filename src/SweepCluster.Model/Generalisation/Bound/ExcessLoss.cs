using SweepCluster.Model.Spectra;
using SweepCluster.Model.Training;

namespace SweepCluster.Model.Generalisation.Bound;

/// <summary>
/// eps_excess = eps_test - eps_opt of the trained eps-model at any signal/noise scales (a, s) (spec S-14.1): the
/// S-3 test loss (init_std = 0) with h = a^2 (sig + c) + s^2, w = (s/h)(1 - Q(h)), minus the population optimum.
/// d sigma^2 eps_excess is MSE(f_theta) - MSE(f*), the integrand of the KSM bound.
/// </summary>
public sealed class ExcessLoss(Spectrum spectrum, EmpiricalEigenbasis basis, TrainedDenoiser denoiser)
{
    private readonly double[] _lambda = spectrum.Eigenvalues.ToArray();

    /// <summary>
    /// Per dimension. Both losses are close to 1 for a &gt; s and close to 0 for s &gt; a, so each side subtracts the
    /// large part analytically (1 - s w = (a^2 (sig + c) + s^2 Q)/h, 1 - eps_opt = s^2/(a^2 lambda + s^2)) instead of
    /// differencing two numbers near 1; the result is the same function with less rounding.
    /// </summary>
    public double At(double a, double s)
    {
        double a2 = a * a, s2 = s * s;
        double model = 0;
        bool small = s2 < a2;
        for (int i = 0; i < basis.ModeCount; i++)
        {
            double sig = basis.Variance[i];
            double h = denoiser.Curvature(sig, a, s);
            double q = denoiser.Decay(denoiser.DecayBase(h));
            double w = s / h * (1.0 - q);
            double sw = s * w;
            double signal = a2 * w * w * (basis.OverlapSigma[i] + basis.MeanCoordinateSquared[i]);
            if (small)
            {
                model += (-basis.Multiplicity[i] * sw * (2.0 - sw)) + signal;
            }
            else
            {
                double rw = ((a2 * (sig + denoiser.Ridge)) + (s2 * q)) / h;
                model += (basis.Multiplicity[i] * rw * rw) + signal;
            }
        }

        double optimum = 0;
        foreach (double l in _lambda)
        {
            double denom = (a2 * l) + s2;
            optimum += small ? s2 / denom : -(a2 * l / denom);
        }

        return (model + optimum) / _lambda.Length;
    }

    /// <summary>The same at continuous noise level sigma, through a^2 = 1/(1 + sigma^2), s = sigma a (spec S-14.1).</summary>
    public double AtSigma(double sigma)
    {
        double a = 1.0 / Math.Sqrt(1.0 + (sigma * sigma));
        return At(a, sigma * a);
    }
}
