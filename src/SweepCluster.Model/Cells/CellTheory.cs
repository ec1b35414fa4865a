using SweepCluster.Model.Configuration;
using SweepCluster.Model.Diffusion;
using SweepCluster.Model.Metrics;
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
        var schedule = config.CreateSchedule();
        var spectral = SpectralTheory.Compute(config, spectrum, schedule, measure);
        if (!config.IsConverged)
        {
            return spectral;
        }

        var closed = ClosedFormTheory.Compute(config, spectrum, schedule);
        closed.SetScalar(MetricNames.DklDdpmFwd, spectral.Scalar(MetricNames.DklDdpmFwd));
        closed.SetScalar(MetricNames.DklDdpmRev, spectral.Scalar(MetricNames.DklDdpmRev));
        return closed;
    }
}
