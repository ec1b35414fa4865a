using SweepCluster.Model.Configuration;
using SweepCluster.Model.Metrics;
using SweepCluster.Model.Simulation;
using SweepCluster.Model.Spectra;
using SweepCluster.Model.Theory;

namespace SweepCluster.Model.Cells;

/// <summary>
/// The theory reported for a cell: the S-5 closed forms for the converged model (plus the DDPM KL of S-6,
/// which has no closed form), the S-6 spectral values when tau is finite.
/// </summary>
public static class CellTheory
{
    public static CellMetrics Compute(ModelConfig config, Spectrum spectrum) =>
        Compute(config, spectrum, SpectralMeasure.Create(spectrum, TheoryScaling.For(config).N, config.SpectralGrid));

    /// <summary>The same with a measure built beforehand, so that one measure serves every cell of a unit.</summary>
    public static CellMetrics Compute(ModelConfig config, Spectrum spectrum, SpectralMeasure measure)
    {
        ArgumentNullException.ThrowIfNull(config);
        return ComputeAll([config], spectrum, measure)[0];
    }

    /// <summary>
    /// The theory of several cells on one measure, in their order: finite-tau cells that differ only in tau share
    /// one S-6 pass, converged cells that differ only in c share one DDPM KL pass, and the population optimum is
    /// computed once per schedule. Each result has the bits of
    /// <see cref="Compute(ModelConfig, Spectrum, SpectralMeasure)"/> for its cell alone.
    /// </summary>
    public static CellMetrics[] ComputeAll(IReadOnlyList<ModelConfig> configs, Spectrum spectrum, SpectralMeasure measure)
    {
        ArgumentNullException.ThrowIfNull(configs);
        ArgumentNullException.ThrowIfNull(spectrum);
        var results = new CellMetrics[configs.Count];
        var optima = new PopulationOptima(spectrum);
        foreach (var group in configs.Select((config, index) => (config, index)).GroupBy(x => PassKey.Of(x.config)))
        {
            var members = group.ToArray();
            var first = members[0].config;
            var schedule = first.CreateSchedule();
            var optimum = optima.For(first);

            if (!first.IsConverged)
            {
                var metrics = SpectralTheory.ComputeAll([.. members.Select(m => m.config)], spectrum, schedule, measure, optimum);
                for (int k = 0; k < members.Length; k++)
                {
                    results[members[k].index] = metrics[k];
                }

                continue;
            }

            // Converged: the losses are closed forms; S-6 gives only the DDPM KL, one lane per ridge c.
            var kl = SpectralTheory.DdpmKl([.. members.Select(m => m.config)], spectrum, schedule, measure);
            for (int k = 0; k < members.Length; k++)
            {
                var closed = ClosedFormTheory.Compute(members[k].config, spectrum, schedule, optimum);
                closed.SetScalar(MetricNames.DklDdpmFwd, kl[k].Fwd);
                closed.SetScalar(MetricNames.DklDdpmRev, kl[k].Rev);
                results[members[k].index] = closed;
            }
        }

        return results;
    }
}
