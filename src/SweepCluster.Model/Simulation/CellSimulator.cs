using SweepCluster.Model.Configuration;
using SweepCluster.Model.LinearAlgebra;
using SweepCluster.Model.Metrics;
using SweepCluster.Model.Spectra;
using SweepCluster.Model.Training;

namespace SweepCluster.Model.Simulation;

/// <summary>
/// Simulates one cell for one seed: draws its training set, diagonalises it and evaluates every metric.
/// The seed is seed0 + replicate, never a scheduling detail, so results are bitwise reproducible.
/// </summary>
public sealed class CellSimulator
{
    private readonly ILinearAlgebra _algebra;

    public CellSimulator(ILinearAlgebra algebra)
    {
        _algebra = algebra ?? throw new ArgumentNullException(nameof(algebra));
    }

    public ILinearAlgebra Algebra => _algebra;

    public SeedResult Run(ModelConfig config, Spectrum spectrum, int replicate)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(spectrum);
        ulong seed = (ulong)(config.Seed0 + replicate);
        var set = TrainingSet.Generate(spectrum, config.N, seed);
        var first = set.Samples.AsSpan(0, Math.Min(4, set.Samples.Length)).ToArray();
        var basis = EmpiricalEigenbasis.Compute(set, spectrum, config.BiasMode, _algebra, centreInPlace: true);
        var metrics = TrainingSetMetrics.Compute(config, spectrum, config.CreateSchedule(), basis);
        return new SeedResult(replicate, seed, metrics, first);
    }

    /// <summary>All seeds of a cell, in seed order; seeds run side by side, each on its own core.</summary>
    public IReadOnlyList<SeedResult> RunAll(ModelConfig config, Spectrum spectrum)
    {
        ArgumentNullException.ThrowIfNull(config);
        var results = new SeedResult[config.Seeds];
        try
        {
            Parallel.For(0, config.Seeds, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, r => results[r] = Run(config, spectrum, r));
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            // Callers handle the seed's own exception (an unstable eta, say), not the parallel wrapper.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }

        return results;
    }
}
