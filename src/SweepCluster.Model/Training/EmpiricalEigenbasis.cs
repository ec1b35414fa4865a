using SweepCluster.Model.Diffusion;
using SweepCluster.Model.LinearAlgebra;
using SweepCluster.Model.Spectra;

namespace SweepCluster.Model.Training;

/// <summary>
/// The training set seen in the eigenbasis of its covariance Sigma0 (spec S-10.1). Every loss and KL is
/// a sum over modes of functions of the empirical variance sig_i and the overlaps u_i^T Sigma u_i,
/// u_i^T Sigma^-1 u_i and (u_i^T mu0)^2, so this is all the simulation keeps of a training set.
/// The structurally zero modes (d - rank of them) may be held as one block with a multiplicity: they
/// share sig = 0 and enter every formula only through sums of their overlaps.
/// </summary>
public sealed class EmpiricalEigenbasis
{
    private readonly double[] _basis;
    private readonly double[]? _nullProjection;

    internal EmpiricalEigenbasis(
        int dimension,
        double[] variance,
        double[] multiplicity,
        double[] overlapSigma,
        double[] overlapSigmaInverse,
        double[] meanCoordinate,
        double[] meanCoordinateSquared,
        double[] basis,
        double[]? nullProjection,
        double[] mean,
        string route)
    {
        Dimension = dimension;
        Variance = variance;
        Multiplicity = multiplicity;
        OverlapSigma = overlapSigma;
        OverlapSigmaInverse = overlapSigmaInverse;
        MeanCoordinate = meanCoordinate;
        MeanCoordinateSquared = meanCoordinateSquared;
        _basis = basis;
        _nullProjection = nullProjection;
        Mean = mean;
        Route = route;
    }

    public int Dimension { get; }

    /// <summary>Number of modes (explicit eigenvectors plus at most one null block).</summary>
    public int ModeCount => Variance.Length;

    /// <summary>sig_i, the empirical variance of each mode (0 for structural null modes).</summary>
    public double[] Variance { get; }

    /// <summary>How many eigen-directions a mode stands for: 1, or d - rank for the null block.</summary>
    public double[] Multiplicity { get; }

    /// <summary>u_i^T Sigma u_i (summed over the block).</summary>
    public double[] OverlapSigma { get; }

    /// <summary>u_i^T Sigma^-1 u_i (summed over the block).</summary>
    public double[] OverlapSigmaInverse { get; }

    /// <summary>u_i^T mu0 (the norm of the projection for the block).</summary>
    public double[] MeanCoordinate { get; }

    /// <summary>(u_i^T mu0)^2, which equals (u_i^T (mu - mu0))^2 since mu = 0.</summary>
    public double[] MeanCoordinateSquared { get; }

    /// <summary>mu0 (zero without a bias).</summary>
    public double[] Mean { get; }

    /// <summary>"covariance" (d x d eigendecomposition) or "gram" (N x N route for N &lt; d).</summary>
    public string Route { get; }

    /// <summary>
    /// The explicit eigenvectors as rows: u_i is elements i*d .. i*d+d-1, in the order of <see cref="Variance"/>.
    /// All d of them on the covariance route; the null block of the Gram route has no explicit vectors.
    /// </summary>
    public ReadOnlySpan<double> Eigenvectors => _basis;

    /// <summary>The largest empirical eigenvalue, which bounds the stable learning rate.</summary>
    public double MaxVariance => Variance.Length == 0 ? 0 : Variance.Max();

    /// <summary>
    /// m = sum_i f_i (u_i^T mu0) u_i, the mean after a mode-wise shrink f (the DDPM mean of spec S-4).
    /// </summary>
    public double[] ShrinkMean(ReadOnlySpan<double> factor)
    {
        int d = Dimension;
        var m = new double[d];
        int explicitModes = _nullProjection is null ? ModeCount : ModeCount - 1;
        for (int i = 0; i < explicitModes; i++)
        {
            double coef = factor[i] * MeanCoordinate[i];
            if (coef == 0)
            {
                continue;
            }

            var u = _basis.AsSpan(i * d, d);
            for (int j = 0; j < d; j++)
            {
                m[j] += coef * u[j];
            }
        }

        if (_nullProjection is not null)
        {
            double f = factor[ModeCount - 1];
            for (int j = 0; j < d; j++)
            {
                m[j] += f * _nullProjection[j];
            }
        }

        return m;
    }

    /// <summary>Computes the eigenbasis of a training set (spec S-1: 1/N-normalised, centred when the bias is the mean).</summary>
    /// <param name="useGramRoute">Use the N x N Gram matrix when it is smaller than d; null lets the size decide.</param>
    /// <param name="centreInPlace">
    /// Centre the set's own samples (the caller no longer needs them): no N x d copy, which at N = 31,623, d = 784
    /// is 198 MB of fresh pages per training set. The bits are those of a centred copy.
    /// </param>
    public static EmpiricalEigenbasis Compute(TrainingSet set, Spectrum spectrum, BiasMode biasMode, ILinearAlgebra algebra, bool? useGramRoute = null, bool centreInPlace = false)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(spectrum);
        ArgumentNullException.ThrowIfNull(algebra);
        int n = set.Count, d = set.Dimension;
        var mean = new double[d];
        double[] x = set.Samples;
        if (biasMode == BiasMode.Mean)
        {
            for (int row = 0; row < n; row++)
            {
                var r = x.AsSpan(row * d, d);
                for (int j = 0; j < d; j++)
                {
                    mean[j] += r[j];
                }
            }

            for (int j = 0; j < d; j++)
            {
                mean[j] /= n;
            }

            x = centreInPlace ? set.Samples : new double[set.Samples.Length];
            for (int row = 0; row < n; row++)
            {
                var src = set.Samples.AsSpan(row * d, d);
                var dst = x.AsSpan(row * d, d);
                for (int j = 0; j < d; j++)
                {
                    dst[j] = src[j] - mean[j];
                }
            }
        }

        // Centring removes one direction, so the rank is N - 1 with a mean and N without.
        int rank = Math.Min(d, biasMode == BiasMode.Mean ? n - 1 : n);
        bool gram = useGramRoute ?? (n < d);
        return gram && rank < d
            ? FromGram(x, n, d, rank, mean, spectrum, algebra)
            : FromCovariance(x, n, d, rank, mean, spectrum, algebra);
    }

    private static EmpiricalEigenbasis FromCovariance(double[] x, int n, int d, int rank, double[] mean, Spectrum spectrum, ILinearAlgebra algebra)
    {
        var cov = new double[d * d];
        algebra.CrossProduct(x, n, d, 1.0 / n, cov);
        var sig = new double[d];
        algebra.SymmetricEigen(cov, d, sig);

        // Ascending order: the first d - rank eigenvalues are zero in exact arithmetic.
        for (int i = 0; i < d; i++)
        {
            sig[i] = i < d - rank ? 0.0 : Math.Max(0.0, sig[i]);
        }

        var qS = new double[d];
        var qSinv = new double[d];
        var mc = new double[d];
        var mc2 = new double[d];
        var lambda = spectrum.Eigenvalues.ToArray();
        Parallel.For(0, d, i =>
        {
            var u = cov.AsSpan(i * d, d);
            double s1 = 0, s2 = 0, p = 0;
            for (int j = 0; j < d; j++)
            {
                double u2 = u[j] * u[j];
                s1 += lambda[j] * u2;
                s2 += u2 / lambda[j];
                p += u[j] * mean[j];
            }

            qS[i] = s1;
            qSinv[i] = s2;
            mc[i] = p;
            mc2[i] = p * p;
        });

        var mult = new double[d];
        Array.Fill(mult, 1.0);
        return new EmpiricalEigenbasis(d, sig, mult, qS, qSinv, mc, mc2, cov, null, mean, "covariance");
    }

    private static EmpiricalEigenbasis FromGram(double[] x, int n, int d, int rank, double[] mean, Spectrum spectrum, ILinearAlgebra algebra)
    {
        var gram = new double[n * n];
        algebra.OuterProduct(x, n, d, 1.0 / n, gram);
        var g = new double[n];
        algebra.SymmetricEigen(gram, n, g);

        // The top `rank` Gram eigenpairs (v, sig) give the covariance eigenvectors u = X^T v / sqrt(N sig).
        int skip = n - rank;
        var top = gram.AsSpan(skip * n, rank * n);
        var basis = new double[rank * d];
        algebra.Multiply(false, false, rank, d, n, 1.0, top, x, basis);

        int modes = rank + 1;
        var sig = new double[modes];
        var qS = new double[modes];
        var qSinv = new double[modes];
        var mc = new double[modes];
        var mc2 = new double[modes];
        var mult = new double[modes];
        var lambda = spectrum.Eigenvalues.ToArray();
        Parallel.For(0, rank, i =>
        {
            double value = Math.Max(0.0, g[skip + i]);
            var u = basis.AsSpan(i * d, d);
            double norm = 0;
            for (int j = 0; j < d; j++)
            {
                norm += u[j] * u[j];
            }

            // Normalising explicitly equals dividing by sqrt(N sig) but stays accurate for tiny sig.
            double inv = norm > 0 ? 1.0 / Math.Sqrt(norm) : 0.0;
            double s1 = 0, s2 = 0, p = 0;
            for (int j = 0; j < d; j++)
            {
                u[j] *= inv;
                double u2 = u[j] * u[j];
                s1 += lambda[j] * u2;
                s2 += u2 / lambda[j];
                p += u[j] * mean[j];
            }

            sig[i] = value;
            mult[i] = 1.0;
            qS[i] = s1;
            qSinv[i] = s2;
            mc[i] = p;
            mc2[i] = p * p;
        });

        // The null block: whatever of Tr Sigma, Tr Sigma^-1 and mu0 the explicit modes do not carry.
        var nullProjection = (double[])mean.Clone();
        double sumS = 0, sumSinv = 0;
        for (int i = 0; i < rank; i++)
        {
            sumS += qS[i];
            sumSinv += qSinv[i];
            var u = basis.AsSpan(i * d, d);
            for (int j = 0; j < d; j++)
            {
                nullProjection[j] -= mc[i] * u[j];
            }
        }

        double nullNorm2 = 0;
        foreach (double v in nullProjection)
        {
            nullNorm2 += v * v;
        }

        sig[rank] = 0.0;
        mult[rank] = d - rank;
        qS[rank] = Math.Max(0.0, spectrum.Trace - sumS);
        qSinv[rank] = Math.Max(0.0, spectrum.TraceInverse - sumSinv);
        mc[rank] = Math.Sqrt(nullNorm2);
        mc2[rank] = nullNorm2;
        return new EmpiricalEigenbasis(d, sig, mult, qS, qSinv, mc, mc2, basis, nullProjection, mean, "gram");
    }
}
