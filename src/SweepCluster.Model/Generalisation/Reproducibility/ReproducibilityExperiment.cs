using SweepCluster.Model.LinearAlgebra;
using SweepCluster.Model.Spectra;

namespace SweepCluster.Model.Generalisation.Reproducibility;

/// <summary>
/// Spec S-12, reproducibility across disjoint training sets: the entry point of the family. For every pair it trains
/// both linear models, computes the exact second moments of the sampler and, with draws, the Monte Carlo over the
/// shared noise stream; then the deterministic-equivalent theory once (when <c>Model.Theory</c> is set).
/// </summary>
public static class ReproducibilityExperiment
{
    /// <param name="config">The configuration (validated here).</param>
    /// <param name="spectrum">The population eigenvalues (d of them), resolved by the caller.</param>
    /// <param name="algebra">The dense kernels.</param>
    public static ReproducibilityResult Run(ReproducibilityConfig config, Spectrum spectrum, ILinearAlgebra algebra)
    {
        ExperimentArguments.Check(config, spectrum, algebra, () => config.Model.D);
        config.Validate();

        var model = config.Model;
        var schedule = model.CreateSchedule();
        var pairs = new ReproducibilityPair[config.Pairs];
        for (int p = 0; p < config.Pairs; p++)
        {
            var (s1, s2) = config.SeedsOfPair(p);
            var first = SampledLinearModel.Train(model, spectrum, schedule, config.Sampler, s1, algebra);
            var second = SampledLinearModel.Train(model, spectrum, schedule, config.Sampler, s2, algebra);
            var exact = ExactPairMoments.Compute(first, second, algebra);
            var mc = config.Draws > 0 ? PairMonteCarlo.Run(first, second, config.Draws, config.NoiseSeed, algebra) : null;
            pairs[p] = new ReproducibilityPair(p, s1, s2, exact, mc);
        }

        var theory = model.Theory ? ReproducibilityTheory.Compute(model, config.Sampler, spectrum, schedule, algebra) : null;
        return new ReproducibilityResult(config, pairs, theory);
    }
}
