using System.Diagnostics;
using SweepCluster.Model.Cells;
using SweepCluster.Model.Configuration;
using SweepCluster.Model.LinearAlgebra;
using SweepCluster.Model.Metrics;
using SweepCluster.Model.Simulation;
using SweepCluster.Model.Spectra;
using SweepCluster.Model.Theory;
using SweepCluster.Model.Training;
using SweepCluster.Sweeps.Cells;

namespace SweepCluster.Sweeps.Execution;

/// <summary>
/// Computes a work unit. A simulation unit draws its training set and diagonalises it once for all its
/// cells (every c, t, tau, eta of that draw); a theory unit builds the spectral measure once per
/// distinct setting that needs it. A numerical failure of one cell is that cell's result, not an exception.
/// </summary>
public sealed class UnitComputer : IUnitComputer
{
    private readonly ILinearAlgebra _algebra;
    private readonly Func<SpectrumSpec, int, Spectrum> _spectra;

    /// <param name="algebra">The linear algebra backend.</param>
    /// <param name="spectra">Resolves a cell's spectrum (file spectra by content hash).</param>
    public UnitComputer(ILinearAlgebra algebra, Func<SpectrumSpec, int, Spectrum> spectra)
    {
        _algebra = algebra ?? throw new ArgumentNullException(nameof(algebra));
        _spectra = spectra ?? throw new ArgumentNullException(nameof(spectra));
    }

    public IReadOnlyList<TimedOutcome> Compute(IReadOnlyList<CellDefinition> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        if (cells.Count == 0)
        {
            return [];
        }

        var kinds = cells.Select(c => c.Kind).Distinct().ToArray();
        var groups = cells.Select(c => c.GroupKey).Distinct().ToArray();
        if (kinds.Length != 1 || groups.Length != 1)
        {
            throw new ArgumentException("a unit's cells must share one kind and one group", nameof(cells));
        }

        return kinds[0] == CellKind.Simulation ? Simulate(cells) : Theory(cells);
    }

    private List<TimedOutcome> Simulate(IReadOnlyList<CellDefinition> cells)
    {
        var first = cells[0].Config;
        var watch = Stopwatch.StartNew();
        var spectrum = _spectra(first.Spectrum, first.D);
        var set = TrainingSet.Generate(spectrum, first.N, (ulong)first.Seed0);
        var basis = EmpiricalEigenbasis.Compute(set, spectrum, first.BiasMode, _algebra);

        // The shared draw and diagonalisation are charged to the cells in equal parts.
        double shared = watch.Elapsed.TotalSeconds / cells.Count;
        var outcomes = new List<TimedOutcome>(cells.Count);
        foreach (var cell in cells)
        {
            var cellWatch = Stopwatch.StartNew();
            var outcome = Guarded(cell, () => TrainingSetMetrics.Compute(cell.Config, spectrum, cell.Config.CreateSchedule(), basis));
            outcomes.Add(new TimedOutcome(outcome, shared + cellWatch.Elapsed.TotalSeconds));
        }

        return outcomes;
    }

    private List<TimedOutcome> Theory(IReadOnlyList<CellDefinition> cells)
    {
        var first = cells[0].Config;
        var spectrum = _spectra(first.Spectrum, first.D);
        var measures = new Dictionary<int, SpectralMeasure>();
        var outcomes = new List<TimedOutcome>(cells.Count);
        foreach (var cell in cells)
        {
            var watch = Stopwatch.StartNew();
            var outcome = Guarded(cell, () =>
            {
                var config = cell.Config;
                if (!measures.TryGetValue(config.SpectralGrid, out var measure))
                {
                    measure = SpectralMeasure.Create(spectrum, TheoryScaling.For(config).N, config.SpectralGrid);
                    measures[config.SpectralGrid] = measure;
                }

                return CellTheory.Compute(config, spectrum, measure);
            });
            outcomes.Add(new TimedOutcome(outcome, watch.Elapsed.TotalSeconds));
        }

        return outcomes;
    }

    private static CellOutcome Guarded(CellDefinition cell, Func<CellMetrics> compute)
    {
        CellMetrics metrics;
        try
        {
            metrics = compute();
        }
        catch (InvalidConfigException e)
        {
            return new CellOutcome(cell.Id, ResultStatus.NumericalFailure, null, e.Message);
        }

        foreach (var (name, value) in metrics.Scalars)
        {
            // A divergent KL is a legitimate +inf; a NaN or an infinite loss is a numerical failure.
            if (double.IsNaN(value) || (double.IsInfinity(value) && !name.StartsWith("dkl_", StringComparison.Ordinal)))
            {
                return new CellOutcome(cell.Id, ResultStatus.NumericalFailure, metrics, $"{name} is {value}");
            }
        }

        return new CellOutcome(cell.Id, ResultStatus.Ok, metrics, null);
    }
}
