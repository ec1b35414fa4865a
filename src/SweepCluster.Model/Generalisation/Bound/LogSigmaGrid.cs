namespace SweepCluster.Model.Generalisation.Bound;

/// <summary>
/// A uniform grid in u = ln sigma from ln sigma_lo to ln sigma_hi with step at most h (the last point exactly at
/// sigma_hi), and the trapezoid rule on it.
/// </summary>
public sealed class LogSigmaGrid
{
    public LogSigmaGrid(double sigmaLo, double sigmaHi, double step)
    {
        if (!(sigmaLo > 0) || !(sigmaHi > sigmaLo) || double.IsInfinity(sigmaHi))
        {
            throw new ArgumentException($"need 0 < sigma_lo < sigma_hi < inf, got {sigmaLo} and {sigmaHi}", nameof(sigmaHi));
        }

        double lo = Math.Log(sigmaLo), hi = Math.Log(sigmaHi);
        int intervals = (int)Math.Ceiling((hi - lo) / step);
        Step = (hi - lo) / intervals;
        U = new double[intervals + 1];
        Sigma = new double[intervals + 1];
        for (int j = 0; j <= intervals; j++)
        {
            U[j] = j == intervals ? hi : lo + (j * Step);
            Sigma[j] = j == intervals ? sigmaHi : Math.Exp(U[j]);
        }
    }

    public double Step { get; }

    public double[] U { get; }

    public double[] Sigma { get; }

    public int Count => U.Length;

    public double Trapezoid(ReadOnlySpan<double> f)
    {
        double sum = 0.5 * (f[0] + f[^1]);
        for (int j = 1; j < f.Length - 1; j++)
        {
            sum += f[j];
        }

        return sum * Step;
    }
}
