using System.Runtime.CompilerServices;
using SweepCluster.Model.Spectra;

namespace SweepCluster.Model.Theory;

/// <summary>
/// The replica-symmetric order parameter of spec S-5.2: for lambda &gt; 0, kappa &gt; 0 solves
/// lambda = kappa (1 - (1/n) sum_nu lambda_nu / (lambda_nu + kappa)).
/// </summary>
public sealed class KappaSolver
{
    private readonly double[] _lambda;

    public KappaSolver(Spectrum spectrum, double n)
    {
        ArgumentNullException.ThrowIfNull(spectrum);
        if (!(n > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(n), n, "n must be positive");
        }

        _lambda = spectrum.Eigenvalues.ToArray();
        N = n;
        Trace = spectrum.Trace;
        Kappa0 = _lambda.Length <= n ? 0.0 : SolveKappa0();
    }

    /// <summary>The effective sample count n (N - 1 with a fitted mean).</summary>
    public double N { get; }

    public double Trace { get; }

    /// <summary>kappa at lambda -&gt; 0: zero when n &gt;= d, else the root of (1/n) sum lambda_nu/(lambda_nu + kappa_0) = 1.</summary>
    public double Kappa0 { get; }

    /// <summary>kappa(lambda) for lambda &gt;= 0 (lambda = 0 gives kappa_0).</summary>
    public double Solve(double lambda)
    {
        if (!(lambda >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "lambda must be >= 0");
        }

        if (lambda == 0)
        {
            return Kappa0;
        }

        double lo = Math.Max(lambda, Kappa0);
        double hi = lambda + (Trace / N);
        return FindRoot(k => (k * (1.0 - (SumRatio(k) / N))) - lambda, lo, hi);
    }

    /// <summary>kappa'(lambda) = 1 / (1 - (1/n) sum lambda_nu^2 / (lambda_nu + kappa)^2).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double Derivative(double kappa)
    {
        double sum = 0;
        foreach (double l in _lambda)
        {
            double r = l / (l + kappa);
            sum += r * r;
        }

        return 1.0 / (1.0 - (sum / N));
    }

    private double SolveKappa0() => FindRoot(k => (SumRatio(k) / N) - 1.0, 0.0, Trace / N);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double SumRatio(double kappa)
    {
        double sum = 0;
        foreach (double l in _lambda)
        {
            sum += l / (l + kappa);
        }

        return sum;
    }

    /// <summary>
    /// Root of a monotone function on [lo, hi] by Brent's method, to full relative
    /// precision: kappa can be as small as 1e-9, so an absolute tolerance would not do (spec S-10.3).
    /// </summary>
    private static double FindRoot(Func<double, double> f, double lo, double hi)
    {
        double flo = f(lo);
        double fhi = f(hi);
        if (flo == 0)
        {
            return lo;
        }

        if (fhi == 0)
        {
            return hi;
        }

        if (Math.Sign(flo) == Math.Sign(fhi))
        {
            // The bracket of spec S-5.2 is exact in exact arithmetic; a same-sign pair means rounding at
            // an end point, where that end point is the root to working precision.
            return Math.Abs(flo) < Math.Abs(fhi) ? lo : hi;
        }

        // Brent's method: bisection safety with inverse quadratic / secant speed.
        double a = lo, b = hi, fa = flo, fb = fhi;
        double c = a, fc = fa, d = b - a, e = d;
        for (int iter = 0; iter < 300; iter++)
        {
            if (Math.Sign(fb) == Math.Sign(fc))
            {
                c = a;
                fc = fa;
                d = b - a;
                e = d;
            }

            if (Math.Abs(fc) < Math.Abs(fb))
            {
                a = b;
                b = c;
                c = a;
                fa = fb;
                fb = fc;
                fc = fa;
            }

            double tol = (4.0 * double.Epsilon) + (2.0 * 1.1e-16 * Math.Abs(b));
            double m = 0.5 * (c - b);
            if (Math.Abs(m) <= tol || fb == 0)
            {
                return b;
            }

            if (Math.Abs(e) >= tol && Math.Abs(fa) > Math.Abs(fb))
            {
                double s = fb / fa;
                double p, q;
                if (a == c)
                {
                    p = 2.0 * m * s;
                    q = 1.0 - s;
                }
                else
                {
                    double qq = fa / fc;
                    double r = fb / fc;
                    p = s * ((2.0 * m * qq * (qq - r)) - ((b - a) * (r - 1.0)));
                    q = (qq - 1.0) * (r - 1.0) * (s - 1.0);
                }

                if (p > 0)
                {
                    q = -q;
                }
                else
                {
                    p = -p;
                }

                if (2.0 * p < Math.Min((3.0 * m * q) - Math.Abs(tol * q), Math.Abs(e * q)))
                {
                    e = d;
                    d = p / q;
                }
                else
                {
                    d = m;
                    e = m;
                }
            }
            else
            {
                d = m;
                e = m;
            }

            a = b;
            fa = fb;
            b += Math.Abs(d) > tol ? d : (m > 0 ? tol : -tol);
            fb = f(b);
        }

        return b;
    }
}
