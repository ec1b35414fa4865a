namespace SweepCluster.Model.Spectra;

/// <summary>
/// The eigenvalues lambda_1 &gt;= ... &gt;= lambda_d &gt; 0 of the population covariance Sigma, which is taken
/// diagonal (spec S-1: every reported quantity depends on Sigma only through its eigenvalues).
/// </summary>
public sealed class Spectrum
{
    private readonly double[] _lambda;

    public Spectrum(IReadOnlyList<double> eigenvaluesDescending)
    {
        ArgumentNullException.ThrowIfNull(eigenvaluesDescending);
        if (eigenvaluesDescending.Count == 0)
        {
            throw new ArgumentException("a spectrum needs at least one eigenvalue", nameof(eigenvaluesDescending));
        }

        _lambda = [.. eigenvaluesDescending];
        for (int i = 0; i < _lambda.Length; i++)
        {
            if (!(_lambda[i] > 0) || double.IsInfinity(_lambda[i]))
            {
                throw new ArgumentException($"eigenvalue {i + 1} is {_lambda[i]}; every eigenvalue must be positive and finite", nameof(eigenvaluesDescending));
            }

            if (i > 0 && _lambda[i] > _lambda[i - 1])
            {
                throw new ArgumentException("eigenvalues must be sorted in descending order", nameof(eigenvaluesDescending));
            }
        }

        double trace = 0, traceInv = 0, sumLog = 0;
        foreach (double l in _lambda)
        {
            trace += l;
            traceInv += 1.0 / l;
            sumLog += Math.Log(l);
        }

        Trace = trace;
        TraceInverse = traceInv;
        MeanLog = sumLog / _lambda.Length;
    }

    /// <summary>Dimension d.</summary>
    public int Dimension => _lambda.Length;

    /// <summary>Eigenvalues in descending order.</summary>
    public ReadOnlySpan<double> Eigenvalues => _lambda;

    public double this[int index] => _lambda[index];

    public double Max => _lambda[0];

    /// <summary>Tr Sigma.</summary>
    public double Trace { get; }

    /// <summary>Tr Sigma^{-1}.</summary>
    public double TraceInverse { get; }

    /// <summary>&lt;ln lambda_nu&gt; = (1/d) ln det Sigma.</summary>
    public double MeanLog { get; }

    /// <summary>Power law lambda_nu = C nu^-k, nu = 1..d, with C chosen so that Tr Sigma / d = 1 (spec S-1).</summary>
    public static Spectrum PowerLaw(int d, double k)
    {
        if (d < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(d), d, "d must be at least 1");
        }

        if (double.IsNaN(k) || double.IsInfinity(k))
        {
            throw new ArgumentOutOfRangeException(nameof(k), k, "k must be finite");
        }

        var lambda = new double[d];
        double sum = 0;
        for (int nu = 1; nu <= d; nu++)
        {
            lambda[nu - 1] = Math.Pow(nu, -k);
            sum += lambda[nu - 1];
        }

        double scale = d / sum;
        for (int i = 0; i < d; i++)
        {
            lambda[i] *= scale;
        }

        if (k < 0)
        {
            Array.Reverse(lambda);
        }

        return new Spectrum(lambda);
    }

    /// <summary>Sigma = Id.</summary>
    public static Spectrum Identity(int d) => PowerLaw(d, 0.0);
}
