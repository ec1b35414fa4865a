using System.Numerics;
using System.Runtime.CompilerServices;
using SweepCluster.Model.Spectra;

namespace SweepCluster.Model.Theory;

/// <summary>
/// The limiting spectral measures mu_A of S' (spec S-6) for A in {I, Sigma, Sigma^-1}:
/// (1/d) Tr A f(S') = atom_A f(0) + sum_j weight_A[j] f(x_j). The densities come from Stieltjes inversion,
/// Im m_A(x + i 1e-9 x) / pi, with the complex order parameter kappa(z) followed by Newton continuation
/// down a log grid.
/// </summary>
public sealed class SpectralMeasure
{
    /// <summary>Relative imaginary part of z = x (1 + i eps) at which the Stieltjes transforms are taken.</summary>
    public const double Broadening = 1e-9;

    public const int DefaultPointsPerDecade = 4000;

    private const double NewtonTolerance = 1e-13;

    // Rounding limits Newton near the spectral edges, where F'(kappa) ~ sqrt(eps): a step this small that
    // no longer shrinks is as good as the arithmetic allows, and m_A is then still accurate to ~1e-10.
    private const double StagnationTolerance = 1e-10;

    private const int MaxNewtonIterations = 60;

    // Outside the support the broadening leaves a density ~ eps x / dist^2. It is harmless for the masses but
    // not for integrands that grow with x (P ~ x in the forward KL picks up ~1e-6 from far above the top edge)
    // or that overflow there (Q = (1 - eta h)^tau once eta h > 2). Points where all three densities are below
    // this fraction of their maxima are dropped, as the reference implementation does.
    private const double PruneThreshold = 1e-6;

    // Im kappa (1 - (1/n) sum lambda^2/|lambda+kappa|^2) = -Im z, so inside the support, where Im kappa is O(kappa),
    // the stability factor is O(eps), and off it O(1). Near a hard edge (n close to d) the density maxima are
    // huge and the relative cut above would also drop true support at the spike edges (7e-4 of mu_Sigma at
    // d = 3000, n = d + 1); this keeps such points.
    private const double SupportStability = 1e-5;

    private readonly double[] _x;
    private readonly double[] _weightI;
    private readonly double[] _weightS;
    private readonly double[] _weightSinv;

    // Per kept node: the trapezoid width, the point where its density was taken and kappa there, so that the
    // measure of a single direction (spec S-12.4) can be formed on the same nodes and support.
    private readonly double[] _width;
    private readonly double[] _densityPoint;
    private readonly Complex[] _kappa;

    private SpectralMeasure(Spectrum spectrum, double n, int pointsPerDecade)
    {
        SampleCount = n;
        Dimension = spectrum.Dimension;
        PointsPerDecade = pointsPerDecade;

        var solver = new KappaSolver(spectrum, n);
        Kappa0 = solver.Kappa0;
        var sums = new SpectrumSums(spectrum, n);
        if (Kappa0 > 0)
        {
            sums.AtRealKappa(Kappa0, out double meanG, out double meanLg, out double meanGinv);
            AtomI = Kappa0 * meanG;
            AtomS = Kappa0 * meanLg;
            AtomSinv = Kappa0 * meanGinv;
        }

        double d = Dimension;
        double xMax = (1.5 * spectrum.Max * Square(1.0 + Math.Sqrt(d / n))) + (4.0 * spectrum.Trace / n);
        double lambdaMin = spectrum[Dimension - 1];

        // Below the spectrum: S' >= lambda_min W (Loewner), so the white-Wishart edge lambda_min (1 -+ sqrt(d/n))^2
        // bounds the bulk from below. The reference uses 0.2 of it for n > d and 1e-6 lambda_min for n < d; the
        // latter cuts into the bulk once n is within ~0.1% of d, hence the min. At n = d the bulk reaches 0
        // like x^-1/2 and gets the tail node below.
        double edge = 0.2 * lambdaMin * Square(1.0 - Math.Sqrt(d / n));
        double xMin = n > d ? edge : n < d ? Math.Min(1e-6 * lambdaMin, edge) : 1e-6 * lambdaMin;
        int count = Math.Max(2, (int)(Math.Log10(xMax / xMin) * pointsPerDecade));
        GridPointCount = count;

        var x = new double[count];
        double logMax = Math.Log(xMax), logMin = Math.Log(xMin);
        for (int j = 0; j < count; j++)
        {
            x[j] = Math.Exp(logMax + ((logMin - logMax) * j / (count - 1)));
        }

        x[0] = xMax;
        x[count - 1] = xMin;

        var densI = new double[count];
        var densS = new double[count];
        var densSinv = new double[count];
        var stability = new double[count];
        var kappas = new Complex[count];
        Continue(sums, x, densI, densS, densSinv, stability, kappas);

        // Trapezoid rule in x on the descending grid, keeping only the support (see PruneThreshold).
        double cutI = PruneThreshold * Max(densI), cutS = PruneThreshold * Max(densS), cutSinv = PruneThreshold * Max(densSinv);
        var weightI = new List<double>(count + 1);
        var weightS = new List<double>(count + 1);
        var weightSinv = new List<double>(count + 1);
        var nodes = new List<double>(count + 1);
        var widths = new List<double>(count + 1);
        var densityPoints = new List<double>(count + 1);
        var keptKappa = new List<Complex>(count + 1);
        for (int j = count - 1; j >= 0; j--)
        {
            if (!(densI[j] > cutI || densS[j] > cutS || densSinv[j] > cutSinv || stability[j] < SupportStability))
            {
                continue;
            }

            double width = 0.5 * ((j > 0 ? x[j - 1] : x[j]) - (j < count - 1 ? x[j + 1] : x[j]));
            nodes.Add(x[j]);
            widths.Add(width);
            densityPoints.Add(x[j]);
            keptKappa.Add(kappas[j]);
            weightI.Add(width * densI[j]);
            weightS.Add(width * densS[j]);
            weightSinv.Add(width * densSinv[j]);
        }

        if (n == d)
        {
            // Hard edge: the density grows like C x^-1/2 down to 0, so [0, x_min] carries 2 x_min rho(x_min)
            // (about 1e-3 of the mass at x_min = 1e-6 lambda_min). One node at the mean position x_min/3 of
            // that tail integrates linear f exactly.
            int last = count - 1;
            nodes.Insert(0, xMin / 3.0);
            widths.Insert(0, 2.0 * xMin);
            densityPoints.Insert(0, xMin);
            keptKappa.Insert(0, kappas[last]);
            weightI.Insert(0, 2.0 * xMin * densI[last]);
            weightS.Insert(0, 2.0 * xMin * densS[last]);
            weightSinv.Insert(0, 2.0 * xMin * densSinv[last]);
        }

        _x = [.. nodes];
        _weightI = [.. weightI];
        _weightS = [.. weightS];
        _weightSinv = [.. weightSinv];
        _width = [.. widths];
        _densityPoint = [.. densityPoints];
        _kappa = [.. keptKappa];
        MassI = AtomI + Sum(_weightI);
        MassS = AtomS + Sum(_weightS);
        MassSinv = AtomSinv + Sum(_weightSinv);
    }

    /// <summary>The sample count n of S' = (1/n) sum_j z_j z_j^T.</summary>
    public double SampleCount { get; }

    public int Dimension { get; }

    public int PointsPerDecade { get; }

    /// <summary>Number of points of the continuation grid (before dropping the points off the support).</summary>
    public int GridPointCount { get; }

    /// <summary>Grid points where Newton from the extrapolated root failed and a fallback was needed (diagnostics).</summary>
    internal int RecoveredPoints { get; private set; }

    /// <summary>kappa at z -&gt; 0 (zero when n &gt;= d).</summary>
    public double Kappa0 { get; }

    /// <summary>Mass of mu_I at 0: 1 - n/d for n &lt; d, else 0.</summary>
    public double AtomI { get; }

    public double AtomS { get; }

    public double AtomSinv { get; }

    /// <summary>Total mass of mu_I (should be 1).</summary>
    public double MassI { get; }

    /// <summary>Total mass of mu_Sigma (should be Tr Sigma / d).</summary>
    public double MassS { get; }

    /// <summary>Total mass of mu_Sigma^-1 (should be Tr Sigma^-1 / d).</summary>
    public double MassSinv { get; }

    /// <summary>The quadrature nodes x_j &gt; 0 on the support, in ascending order (the atom at 0 is separate).</summary>
    public ReadOnlySpan<double> Points => _x;

    public ReadOnlySpan<double> WeightsI => _weightI;

    public ReadOnlySpan<double> WeightsS => _weightS;

    public ReadOnlySpan<double> WeightsSinv => _weightSinv;

    public static SpectralMeasure Create(Spectrum spectrum, double n, int pointsPerDecade = DefaultPointsPerDecade)
    {
        ArgumentNullException.ThrowIfNull(spectrum);
        if (!(n >= 1) || double.IsInfinity(n))
        {
            throw new ArgumentOutOfRangeException(nameof(n), n, "n must be a finite number >= 1");
        }

        if (pointsPerDecade < 10)
        {
            throw new ArgumentOutOfRangeException(nameof(pointsPerDecade), pointsPerDecade, "need at least 10 points per decade");
        }

        return new SpectralMeasure(spectrum, n, pointsPerDecade);
    }

    /// <summary>
    /// The measure mu_nu of one population direction with eigenvalue <paramref name="lambda"/> (spec S-12.4):
    /// [(S' - z)^-1]_{nu nu} has the deterministic equivalent (kappa(z)/(-z)) / (lambda + kappa(z)). Fills
    /// <paramref name="weights"/> with width times density at the nodes <see cref="Points"/>[start ..], the density
    /// clipped at 0 and taken on the same support as the three trace measures; returns the atom at 0.
    /// </summary>
    public double DirectionWeights(double lambda, int start, Span<double> weights)
    {
        if (!(lambda > 0) || double.IsInfinity(lambda))
        {
            throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "a population eigenvalue must be positive and finite");
        }

        if (start < 0 || start + weights.Length > _x.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(start), start, $"nodes {start} .. {start + weights.Length - 1} are not all among the {_x.Length} nodes");
        }

        double atom = Kappa0 > 0 ? Kappa0 / (lambda + Kappa0) : 0.0;
        for (int k = 0; k < weights.Length; k++)
        {
            int j = start + k;
            double x = _densityPoint[j];
            var z = new Complex(x, Broadening * x);
            var kappa = _kappa[j];
            double atomShape = Broadening / (x * (1.0 + (Broadening * Broadening)));
            double density = (((kappa / -z) / (lambda + kappa)).Imaginary - (atom * atomShape)) / Math.PI;
            weights[k] = density > 0 ? _width[j] * density : 0.0;
        }

        return atom;
    }

    /// <summary>(1/d) Tr f(S').</summary>
    public double IntegrateI(Func<double, double> f) => Integrate(f, AtomI, _weightI);

    /// <summary>(1/d) Tr Sigma f(S').</summary>
    public double IntegrateS(Func<double, double> f) => Integrate(f, AtomS, _weightS);

    /// <summary>(1/d) Tr Sigma^-1 f(S').</summary>
    public double IntegrateSinv(Func<double, double> f) => Integrate(f, AtomSinv, _weightSinv);

    private double Integrate(Func<double, double> f, double atom, double[] weights)
    {
        ArgumentNullException.ThrowIfNull(f);
        double sum = atom > 0 ? atom * f(0.0) : 0.0;
        for (int j = 0; j < _x.Length; j++)
        {
            sum += weights[j] * f(_x[j]);
        }

        return sum;
    }

    private static double Sum(double[] values)
    {
        double s = 0;
        foreach (double v in values)
        {
            s += v;
        }

        return s;
    }

    private static double Square(double v) => v * v;

    private static double Max(double[] values)
    {
        double m = 0;
        foreach (double v in values)
        {
            m = Math.Max(m, v);
        }

        return m;
    }

    /// <summary>
    /// Follows the physical root kappa(z) from above the spectrum (where it is real and close to
    /// Tr Sigma / n - x) down the grid, and stores the three densities at every point.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Continue(SpectrumSums sums, double[] x, double[] densI, double[] densS, double[] densSinv, double[] stability, Complex[] kappas)
    {
        int count = x.Length;
        double n = SampleCount;
        Complex k1 = default, k2 = default, k3 = default;
        for (int j = 0; j < count; j++)
        {
            var z = new Complex(x[j], Broadening * x[j]);
            Complex guess = j switch
            {
                0 => new Complex((sums.Trace / n) - x[j], 0.0),
                1 => k1,
                2 => (2.0 * k1) - k2,
                _ => (3.0 * k1) - (3.0 * k2) + k3,
            };

            if (!TrySolve(sums, z, guess, out var kappa, out var eval))
            {
                RecoveredPoints++;
                if ((j == 0 || !TrySolve(sums, z, k1, out kappa, out eval))
                    && !TryNudged(sums, z, j == 0 ? guess : k1, out kappa, out eval)
                    && !TryHomotopy(sums, x[j], j == 0 ? guess : k1, out kappa, out eval))
                {
                    throw new InvalidOperationException($"no physical root kappa(z) found at x = {x[j]:R} (n = {n}, d = {Dimension})");
                }
            }

            // m_A(z) = (kappa / -z) <A / (lambda + kappa)>, minus the atom's Lorentzian atom_A Im(1/-z).
            Complex factor = kappa / -z;
            double atomShape = Broadening / (x[j] * (1.0 + (Broadening * Broadening)));
            densI[j] = (((factor * eval.MeanG).Imaginary) - (AtomI * atomShape)) / Math.PI;
            densS[j] = (((factor * eval.MeanLg).Imaginary) - (AtomS * atomShape)) / Math.PI;
            densSinv[j] = (((factor * eval.MeanGinv).Imaginary) - (AtomSinv * atomShape)) / Math.PI;
            stability[j] = eval.Stability;
            kappas[j] = kappa;

            k3 = k2;
            k2 = k1;
            k1 = kappa;
        }
    }

    /// <summary>Newton on F(kappa) = kappa - (kappa/n) sum lambda/(lambda+kappa) + z, accepting only the physical root.</summary>
    private static bool TrySolve(SpectrumSums sums, Complex z, Complex start, out Complex kappa, out Evaluation eval)
    {
        kappa = start;
        double previousStep = double.PositiveInfinity;
        for (int iter = 0; iter < MaxNewtonIterations; iter++)
        {
            eval = sums.Evaluate(kappa);
            Complex f = kappa - (kappa * eval.SumLg / sums.N) + z;
            Complex fPrime = 1.0 - (eval.SumL2G2 / sums.N);
            Complex step = -f / fPrime;
            double size = step.Magnitude;
            double scale = kappa.Magnitude;
            if (!double.IsFinite(size))
            {
                break;
            }

            if (size <= NewtonTolerance * scale || (size <= StagnationTolerance * scale && size >= 0.5 * previousStep))
            {
                // Physical root: Im kappa <= 0 and 1 - (1/n) sum lambda^2/|lambda+kappa|^2 > 0 (spec S-6).
                return kappa.Imaginary <= 0 && eval.Stability > 0;
            }

            previousStep = size;
            kappa += step;
        }

        eval = default;
        return false;
    }

    private static bool TryNudged(SpectrumSums sums, Complex z, Complex start, out Complex kappa, out Evaluation eval)
    {
        double scale = Math.Max(start.Magnitude, Math.Abs(z.Real));
        foreach (double nudge in (ReadOnlySpan<double>)[1e-8, 1e-6, 1e-4, 1e-3, 1e-2, 1e-1, 0.5])
        {
            if (TrySolve(sums, z, start - new Complex(0.0, nudge * scale), out kappa, out eval))
            {
                return true;
            }
        }

        kappa = default;
        eval = default;
        return false;
    }

    /// <summary>
    /// Last resort: solve at a large Im z, where the root is well separated from its conjugate partner, and
    /// lower Im z step by step to the target broadening.
    /// </summary>
    private static bool TryHomotopy(SpectrumSums sums, double x, Complex start, out Complex kappa, out Evaluation eval)
    {
        kappa = start;
        for (double eps = 0.3; ; eps = Math.Max(0.3 * eps, Broadening))
        {
            var z = new Complex(x, eps * x);
            if (!TrySolve(sums, z, kappa, out var next, out eval) && !TryNudged(sums, z, kappa, out next, out eval))
            {
                return false;
            }

            kappa = next;
            if (eps == Broadening)
            {
                return true;
            }
        }
    }

    /// <summary>The spectrum sums at one kappa (raw sums over nu, and the means over nu for m_A).</summary>
    private readonly record struct Evaluation(Complex SumLg, Complex SumL2G2, double Stability, Complex MeanG, Complex MeanLg, Complex MeanGinv);

    /// <summary>
    /// The O(d) sums over the population eigenvalues, over distinct values with multiplicities (the identity
    /// spectrum has one), vectorised: this is the inner loop of the whole construction.
    /// </summary>
    private sealed class SpectrumSums
    {
        private readonly double[] _lambda;
        private readonly double[] _count;
        private readonly double[] _countLambda;
        private readonly double[] _countLambda2;
        private readonly double[] _countInvLambda;
        private readonly double _dimension;

        public SpectrumSums(Spectrum spectrum, double n)
        {
            N = n;
            Trace = spectrum.Trace;
            _dimension = spectrum.Dimension;
            var values = new List<double>();
            var counts = new List<double>();
            foreach (double l in spectrum.Eigenvalues)
            {
                if (values.Count > 0 && values[^1] == l)
                {
                    counts[^1] += 1.0;
                }
                else
                {
                    values.Add(l);
                    counts.Add(1.0);
                }
            }

            // Padding with zero multiplicity keeps the vector loop free of a scalar tail.
            int lanes = Vector<double>.Count;
            int padded = (values.Count + lanes - 1) / lanes * lanes;
            _lambda = new double[padded];
            _count = new double[padded];
            _countLambda = new double[padded];
            _countLambda2 = new double[padded];
            _countInvLambda = new double[padded];
            for (int i = 0; i < padded; i++)
            {
                double l = i < values.Count ? values[i] : 1.0;
                double c = i < values.Count ? counts[i] : 0.0;
                _lambda[i] = l;
                _count[i] = c;
                _countLambda[i] = c * l;
                _countLambda2[i] = c * l * l;
                _countInvLambda[i] = c / l;
            }
        }

        public double N { get; }

        public double Trace { get; }

        /// <summary>&lt;1/(l+k)&gt;, &lt;l/(l+k)&gt;, &lt;1/(l(l+k))&gt; at a real kappa &gt; 0.</summary>
        public void AtRealKappa(double kappa, out double meanG, out double meanLg, out double meanGinv)
        {
            double g = 0, lg = 0, ginv = 0;
            for (int i = 0; i < _lambda.Length; i++)
            {
                double u = 1.0 / (_lambda[i] + kappa);
                g += _count[i] * u;
                lg += _countLambda[i] * u;
                ginv += _countInvLambda[i] * u;
            }

            meanG = g / _dimension;
            meanLg = lg / _dimension;
            meanGinv = ginv / _dimension;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public Evaluation Evaluate(Complex kappa)
        {
            int lanes = Vector<double>.Count;
            var kr = new Vector<double>(kappa.Real);
            var ki = new Vector<double>(kappa.Imaginary);
            var one = Vector<double>.One;
            Vector<double> gr = default, gi = default, lgr = default, lgi = default, ginvr = default, ginvi = default;
            Vector<double> l2g2r = default, l2g2i = default, mod = default;
            var lambdaSpan = _lambda.AsSpan();
            var countSpan = _count.AsSpan();
            var countLambdaSpan = _countLambda.AsSpan();
            var countLambda2Span = _countLambda2.AsSpan();
            var countInvSpan = _countInvLambda.AsSpan();
            for (int i = 0; i < lambdaSpan.Length; i += lanes)
            {
                var l = new Vector<double>(lambdaSpan.Slice(i, lanes));
                var c = new Vector<double>(countSpan.Slice(i, lanes));
                var cl = new Vector<double>(countLambdaSpan.Slice(i, lanes));
                var cl2 = new Vector<double>(countLambda2Span.Slice(i, lanes));
                var cinv = new Vector<double>(countInvSpan.Slice(i, lanes));

                // u = 1/(l + kappa) = (re - i ki) / |l + kappa|^2
                var re = l + kr;
                var inv = one / ((re * re) + (ki * ki));
                var ur = re * inv;
                var ui = -ki * inv;
                gr += c * ur;
                gi += c * ui;
                lgr += cl * ur;
                lgi += cl * ui;
                ginvr += cinv * ur;
                ginvi += cinv * ui;

                // l^2 u^2 = l^2 (ur^2 - ui^2 + 2 i ur ui)
                l2g2r += cl2 * ((ur * ur) - (ui * ui));
                l2g2i += cl2 * (ur * ui);
                mod += cl2 * inv;
            }

            double d = _dimension;
            var sumLg = new Complex(Vector.Sum(lgr), Vector.Sum(lgi));
            return new Evaluation(
                sumLg,
                new Complex(Vector.Sum(l2g2r), 2.0 * Vector.Sum(l2g2i)),
                1.0 - (Vector.Sum(mod) / N),
                new Complex(Vector.Sum(gr) / d, Vector.Sum(gi) / d),
                sumLg / d,
                new Complex(Vector.Sum(ginvr) / d, Vector.Sum(ginvi) / d));
        }
    }
}
