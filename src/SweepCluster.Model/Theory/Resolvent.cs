using System.Runtime.CompilerServices;
using SweepCluster.Model.Spectra;

namespace SweepCluster.Model.Theory;

/// <summary>
/// The one-point functions of spec S-5.3 at a real lambda &gt; 0: normalised traces of (S' + lambda)^-1
/// and (S' + lambda)^-2 weighted by I, Sigma and Sigma^-1, from the order parameter kappa(lambda).
/// </summary>
public sealed class Resolvent
{
    private readonly double[] _lambda;
    private readonly KappaSolver _solver;

    public Resolvent(Spectrum spectrum, KappaSolver solver)
    {
        ArgumentNullException.ThrowIfNull(spectrum);
        _lambda = spectrum.Eigenvalues.ToArray();
        _solver = solver ?? throw new ArgumentNullException(nameof(solver));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ResolventValues At(double lambda)
    {
        double kappa = _solver.Solve(lambda);
        double kp = _solver.Derivative(kappa);
        double sg = 0, sg2 = 0, slg = 0, slg2 = 0, sginv = 0;
        foreach (double l in _lambda)
        {
            double g = 1.0 / (l + kappa);
            sg += g;
            sg2 += g * g;
            slg += l * g;
            slg2 += l * g * g;
            sginv += g / l;
        }

        int d = _lambda.Length;
        double mg = sg / d, mg2 = sg2 / d, mlg = slg / d, mlg2 = slg2 / d, mginv = sginv / d;
        double ratio = kappa / lambda;
        double t1 = ratio * mg;
        double s1 = ratio * mlg;
        double r1 = ratio * mginv;
        double t2 = (kappa * mg / (lambda * lambda)) - (kp * mg / lambda) + (ratio * kp * mg2);
        double s2 = (kappa * mlg / (lambda * lambda)) - (kp * mlg / lambda) + (ratio * kp * mlg2);
        return new ResolventValues(kappa, t1, s1, r1, t2, s2);
    }
}
