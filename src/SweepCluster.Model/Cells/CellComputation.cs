using SweepCluster.Model.Configuration;
using SweepCluster.Model.LinearAlgebra;
using SweepCluster.Model.Metrics;
using SweepCluster.Model.Simulation;
using SweepCluster.Model.Spectra;

namespace SweepCluster.Model.Cells;

/// <summary>Simulates every seed of one cell and, if asked, its theory: what `sweep cell` prints.</summary>
public static class CellComputation
{
    public static CellResult Run(ModelConfig config, Spectrum spectrum, ILinearAlgebra algebra)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(spectrum);
        ModelConfigValidator.ThrowIfInvalid(config);
        if (spectrum.Dimension != config.D)
        {
            throw new InvalidConfigException("d", $"the spectrum has {spectrum.Dimension} eigenvalues but d = {config.D}");
        }

        var seeds = new CellSimulator(algebra).RunAll(config, spectrum);
        var summary = MetricSummary.Over(seeds.Select(s => s.Metrics).ToArray());
        var theory = config.Theory ? CellTheory.Compute(config, spectrum) : null;
        return new CellResult(config, seeds, summary, theory);
    }
}
