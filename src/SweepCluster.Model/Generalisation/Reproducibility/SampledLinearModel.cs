using SweepCluster.Model.Configuration;
using SweepCluster.Model.Diffusion;
using SweepCluster.Model.LinearAlgebra;
using SweepCluster.Model.Spectra;
using SweepCluster.Model.Training;

namespace SweepCluster.Model.Generalisation.Reproducibility;

/// <summary>
/// The linear model of one training set (spec S-2/S-3) together with its sampler written as a linear map
/// (spec S-12.2): the full eigenbasis U of Sigma0, the gains g_j of every mode and the generated mean m.
/// </summary>
public sealed class SampledLinearModel
{
    private readonly double[] _eigenvectors;
    private readonly int _nullModes;
    private readonly double[] _referenceGains;
    private readonly double[] _explicitGains;

    private SampledLinearModel(ulong seed, TrainingSet set, double[] eigenvectors, double[] variance, SamplerGains gains, double[] mean)
    {
        Seed = seed;
        TrainingSet = set;
        _eigenvectors = eigenvectors;
        EmpiricalVariance = variance;
        Gains = gains;
        Mean = mean;
        double norm2 = 0;
        foreach (double v in mean)
        {
            norm2 += v * v;
        }

        double trace = 0;
        foreach (double p in gains.Variance)
        {
            trace += p;
        }

        SecondMoment = trace + norm2;

        // Structural null modes (sig exactly 0, the first ones in ascending order) share one gain row g0, and
        // sum_{null} u_i g0_j (u_i . xi_j) = g0_j (xi_j - sum_{explicit} u_i (u_i . xi_j)). Sampling therefore needs
        // the explicit modes only, with gains g - g0, plus v = sum_j g0_j xi_j: half the work at N = d/2.
        int blocks = gains.Blocks, d = variance.Length;
        while (_nullModes < d && variance[_nullModes] == 0)
        {
            _nullModes++;
        }

        _referenceGains = _nullModes > 0 ? gains.Row(0).ToArray() : new double[blocks];
        _explicitGains = new double[(d - _nullModes) * blocks];
        for (int i = _nullModes; i < d; i++)
        {
            var row = gains.Row(i);
            var target = _explicitGains.AsSpan((i - _nullModes) * blocks, blocks);
            for (int j = 0; j < blocks; j++)
            {
                target[j] = row[j] - _referenceGains[j];
            }
        }
    }

    public ulong Seed { get; }

    /// <summary>The raw (uncentred) training points y_i.</summary>
    public TrainingSet TrainingSet { get; }

    public int Dimension => EmpiricalVariance.Length;

    /// <summary>u_i as rows (u_i at i * d), one per mode of <see cref="EmpiricalVariance"/>.</summary>
    public ReadOnlySpan<double> Eigenvectors => _eigenvectors;

    /// <summary>sig_i (clipped at 0; structural null modes exactly 0, so they share their gains).</summary>
    public double[] EmpiricalVariance { get; }

    public SamplerGains Gains { get; }

    /// <summary>m = U diag(h_mean) U^T mu0, the mean of the generated samples.</summary>
    public double[] Mean { get; }

    /// <summary>E||x||^2 = sum_i P_i + ||m||^2.</summary>
    public double SecondMoment { get; }

    /// <summary>Draws the training set of <paramref name="seed"/> (spec S-9) and builds its model and sampler.</summary>
    public static SampledLinearModel Train(ModelConfig config, Spectrum spectrum, NoiseSchedule schedule, Sampler sampler, ulong seed, ILinearAlgebra algebra)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(spectrum);
        ArgumentNullException.ThrowIfNull(algebra);
        var set = TrainingSet.Generate(spectrum, config.N, seed);

        // The covariance route gives all d eigenvectors: the cross-set overlaps need the null space explicitly.
        var basis = EmpiricalEigenbasis.Compute(set, spectrum, config.BiasMode, algebra, useGramRoute: false);
        var denoiser = new TrainedDenoiser(config.C, config.EffectiveLearningRate, config.EffectiveTau, config.Dynamics);
        var gains = SamplerGains.For(sampler, basis.Variance, schedule, denoiser, config.SamplerLastNoise);
        var mean = basis.ShrinkMean(gains.MeanShrink);
        return new SampledLinearModel(seed, set, basis.Eigenvectors.ToArray(), basis.Variance, gains, mean);
    }

    /// <summary>
    /// Samples of <paramref name="draws"/> consecutive draws: <paramref name="noise"/> holds each draw's J blocks of
    /// d normals (draw-major, as <see cref="NoiseBlocks"/> lays them out); row b of <paramref name="samples"/> gets
    /// x_b = m + U sum_j g_j o (U^T xi_{b,j}).
    /// </summary>
    public void Sample(ReadOnlySpan<double> noise, int draws, Span<double> samples, ILinearAlgebra algebra)
    {
        ArgumentNullException.ThrowIfNull(algebra);
        int d = Dimension, blocks = Gains.Blocks, columns = draws * blocks;
        if (noise.Length != (long)columns * d || samples.Length != (long)draws * d)
        {
            throw new ArgumentException($"need {columns * d} normals and room for {draws * d} values", nameof(noise));
        }

        // Projections of every block on every explicit mode at once: proj[k, b J + j] = u_{z+k} . xi_{b,j}.
        int rank = d - _nullModes;
        var explicitVectors = _eigenvectors.AsSpan(_nullModes * d, rank * d);
        var proj = new double[(long)rank * columns];
        algebra.Multiply(false, true, rank, columns, d, 1.0, explicitVectors, noise, proj);
        var coef = new double[draws * rank];
        for (int k = 0; k < rank; k++)
        {
            var g = _explicitGains.AsSpan(k * blocks, blocks);
            var row = proj.AsSpan(k * columns, columns);
            for (int b = 0; b < draws; b++)
            {
                var p = row.Slice(b * blocks, blocks);
                double sum = 0;
                for (int j = 0; j < blocks; j++)
                {
                    sum += g[j] * p[j];
                }

                coef[(b * rank) + k] = sum;
            }
        }

        algebra.Multiply(false, false, draws, d, rank, 1.0, coef, explicitVectors, samples);
        for (int b = 0; b < draws; b++)
        {
            var x = samples.Slice(b * d, d);
            for (int k = 0; k < d; k++)
            {
                x[k] += Mean[k];
            }

            if (_nullModes == 0)
            {
                continue;
            }

            for (int j = 0; j < blocks; j++)
            {
                double g0 = _referenceGains[j];
                var xi = noise.Slice(((b * blocks) + j) * d, d);
                for (int k = 0; k < d; k++)
                {
                    x[k] += g0 * xi[k];
                }
            }
        }
    }
}
