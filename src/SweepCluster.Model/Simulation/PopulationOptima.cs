using SweepCluster.Model.Configuration;
using SweepCluster.Model.Spectra;

namespace SweepCluster.Model.Simulation;

/// <summary>
/// The population optimum of one spectrum per noise schedule, computed once: it does not depend on the cell
/// (N, c, tau, the training set), and at d = 1000 it costs as much as a third of a cell's own loop.
/// </summary>
public sealed class PopulationOptima(Spectrum spectrum)
{
    private readonly Dictionary<(int T, double BetaMin, double BetaMax), PopulationOptimum> _bySchedule = [];

    public PopulationOptimum For(ModelConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var key = (config.T, config.BetaMin, config.BetaMax);
        if (!_bySchedule.TryGetValue(key, out var optimum))
        {
            optimum = PopulationOptimum.Compute(spectrum, config.CreateSchedule());
            _bySchedule[key] = optimum;
        }

        return optimum;
    }
}
