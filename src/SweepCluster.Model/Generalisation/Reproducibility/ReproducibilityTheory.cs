using SweepCluster.Model.Configuration;
using SweepCluster.Model.Diffusion;
using SweepCluster.Model.LinearAlgebra;
using SweepCluster.Model.Spectra;
using SweepCluster.Model.Theory;
using SweepCluster.Model.Training;

namespace SweepCluster.Model.Generalisation.Reproducibility;

/// <summary>
/// The deterministic-equivalent prediction of spec S-12.4, per dimension. The two training sets are independent and
/// sign-flip invariant, so E[G_j] is diagonal in the population basis with entries Gbar_{j nu} = int g_j(rho x) dmu_nu,
/// and E[x . x'] = sum_nu sum_j Gbar_{j nu}^2 (E[m . m'] = 0).
/// </summary>
/// <param name="Ex2">int P(rho x) dmu_I + m_f int h_mean(rho x)^2 dmu_S.</param>
/// <param name="Exx">(1/d) sum_nu sum_j Gbar_{j nu}^2.</param>
/// <param name="Nmsd">2 (Ex2 - Exx) / Ex2.</param>
/// <param name="CosConc">Exx / Ex2.</param>
/// <param name="MassMin">Smallest total mass of a direction's measure (should be 1 within 1e-3).</param>
/// <param name="MassMax">Largest total mass of a direction's measure.</param>
public sealed record ReproducibilityTheory(double Ex2, double Exx, double Nmsd, double CosConc, double MassMin, double MassMax)
{
    // Nodes per block of G (J x nodes): about 16 MB of gains at J = 1001.
    private const int NodesPerChunk = 2000;

    public static ReproducibilityTheory Compute(ModelConfig config, Sampler sampler, Spectrum spectrum, NoiseSchedule schedule, ILinearAlgebra algebra)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(spectrum);
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(algebra);
        var scaling = TheoryScaling.For(config);
        var denoiser = new TrainedDenoiser(config.C, config.EffectiveLearningRate, config.EffectiveTau, config.Dynamics);

        // N = 1 with a fitted mean: Sigma0 = 0 exactly, so every measure is a unit atom at 0 (n = 0 has no S').
        var measure = scaling.N >= 1 ? SpectralMeasure.Create(spectrum, scaling.N, config.SpectralGrid) : null;
        var directions = Distinct(spectrum);
        int q = directions.Count, nodes = measure?.Points.Length ?? 0;

        var zero = SamplerGains.For(sampler, [0.0], schedule, denoiser, config.SamplerLastNoise);
        int blocks = zero.Blocks;
        double atomI = measure is null ? 1.0 : measure.AtomI;
        double atomS = measure is null ? spectrum.Trace / spectrum.Dimension : measure.AtomS;
        double ex2 = 0;
        if (atomI > 0)
        {
            ex2 += (atomI * zero.Variance[0]) + (scaling.MeanFactor * atomS * zero.MeanShrink[0] * zero.MeanShrink[0]);
        }

        // Gbar (J x directions) and the masses, starting with the atoms at x = 0.
        var gbar = new double[blocks * q];
        var mass = new double[q];
        for (int k = 0; k < q; k++)
        {
            double atom = measure is null ? 1.0 : measure.DirectionWeights(directions[k].Lambda, 0, []);
            mass[k] = atom;
            for (int j = 0; j < blocks; j++)
            {
                gbar[(j * q) + k] = atom * zero.Gains[j];
            }
        }

        if (measure is not null)
        {
            var product = new double[blocks * q];
            for (int start = 0; start < nodes; start += NodesPerChunk)
            {
                int count = Math.Min(NodesPerChunk, nodes - start);
                var sig = new double[count];
                for (int i = 0; i < count; i++)
                {
                    sig[i] = scaling.Rho * measure.Points[start + i];
                }

                var gains = SamplerGains.For(sampler, sig, schedule, denoiser, config.SamplerLastNoise);
                for (int i = 0; i < count; i++)
                {
                    double h = gains.MeanShrink[i];
                    ex2 += (measure.WeightsI[start + i] * gains.Variance[i]) + (scaling.MeanFactor * measure.WeightsS[start + i] * h * h);
                }

                // Wd[node, direction]: the directions' weights on this block of nodes.
                var wd = new double[count * q];
                var column = new double[count];
                for (int k = 0; k < q; k++)
                {
                    measure.DirectionWeights(directions[k].Lambda, start, column);
                    for (int i = 0; i < count; i++)
                    {
                        wd[(i * q) + k] = column[i];
                        mass[k] += column[i];
                    }
                }

                algebra.Multiply(true, false, blocks, q, count, 1.0, gains.Gains, wd, product);
                for (int k = 0; k < product.Length; k++)
                {
                    gbar[k] += product[k];
                }
            }
        }

        double exx = 0;
        for (int k = 0; k < q; k++)
        {
            double sum = 0;
            for (int j = 0; j < blocks; j++)
            {
                double g = gbar[(j * q) + k];
                sum += g * g;
            }

            exx += directions[k].Count * sum;
        }

        exx /= spectrum.Dimension;
        return new ReproducibilityTheory(ex2, exx, 2.0 * (ex2 - exx) / ex2, exx / ex2, mass.Min(), mass.Max());
    }

    /// <summary>Directions with equal lambda share their measure: each distinct value once, with its multiplicity.</summary>
    private static List<(double Lambda, int Count)> Distinct(Spectrum spectrum)
    {
        var list = new List<(double Lambda, int Count)>();
        foreach (double l in spectrum.Eigenvalues)
        {
            if (list.Count > 0 && list[^1].Lambda == l)
            {
                list[^1] = (l, list[^1].Count + 1);
            }
            else
            {
                list.Add((l, 1));
            }
        }

        return list;
    }
}
