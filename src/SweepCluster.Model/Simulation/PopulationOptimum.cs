using SweepCluster.Model.Diffusion;
using SweepCluster.Model.Spectra;

namespace SweepCluster.Model.Simulation;

/// <summary>
/// The population-optimal losses (N -&gt; infinity, c = 0, spec S-5.4): eps_opt_t = &lt;a^2 l/(a^2 l + s^2)&gt;,
/// data_opt_t = &lt;l s^2/(a^2 l + s^2)&gt;. They depend only on the spectrum and the schedule.
/// </summary>
public sealed record PopulationOptimum(double[] Eps, double[] Data)
{
    public static PopulationOptimum Compute(Spectrum spectrum, NoiseSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(spectrum);
        ArgumentNullException.ThrowIfNull(schedule);
        int steps = schedule.Steps;
        var eps = new double[steps];
        var data = new double[steps];
        var lambda = spectrum.Eigenvalues;
        for (int t = 0; t < steps; t++)
        {
            double a2 = schedule.AlphaBar[t];
            double s2 = schedule.NoiseScale[t] * schedule.NoiseScale[t];
            double e = 0, x = 0;
            foreach (double l in lambda)
            {
                double denom = (a2 * l) + s2;
                e += a2 * l / denom;
                x += l * s2 / denom;
            }

            eps[t] = e / lambda.Length;
            data[t] = x / lambda.Length;
        }

        return new PopulationOptimum(eps, data);
    }
}
