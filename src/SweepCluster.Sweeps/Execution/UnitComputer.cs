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
using SweepCluster.Sweeps.Families;

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

        return kinds[0] switch
        {
            CellKind.Simulation => Simulate(cells),
            CellKind.Theory => Theory(cells),
            _ => [.. cells.Select(Family)],
        };
    }

    private TimedOutcome Family(CellDefinition cell)
    {
        var watch = Stopwatch.StartNew();
        CellOutcome outcome;
        try
        {
            var settings = cell.Family ?? FamilySettings.Empty;
            var values = FamilyComputer.Compute(cell.Kind, cell.Config, settings, _spectra, _algebra);
            outcome = new CellOutcome(cell.Id, ResultStatus.Ok, FamilyMetrics.From(values, FamilyKeys.IsPerSeed(cell.Kind, settings)), null);
        }
        catch (ArgumentException e)
        {
            // A configuration the family does not cover (the grid's checks should have caught it) is that cell's result.
            outcome = new CellOutcome(cell.Id, ResultStatus.NumericalFailure, null, e.Message);
        }

        return new TimedOutcome(outcome, watch.Elapsed.TotalSeconds);
    }

    private TimedOutcome[] Simulate(IReadOnlyList<CellDefinition> cells)
    {
        var first = cells[0].Config;
        var watch = Stopwatch.StartNew();
        var spectrum = _spectra(first.Spectrum, first.D);
        var set = TrainingSet.Generate(spectrum, first.N, (ulong)first.Seed0);
        var basis = EmpiricalEigenbasis.Compute(set, spectrum, first.BiasMode, _algebra, centreInPlace: true);

        // The shared draw and diagonalisation are charged to the cells in equal parts.
        double shared = watch.Elapsed.TotalSeconds / cells.Count;
        var optima = new PopulationOptima(spectrum);
        var outcomes = new TimedOutcome[cells.Count];
        foreach (var group in InPasses(cells))
        {
            var groupWatch = Stopwatch.StartNew();
            var schedule = group[0].Cell.Config.CreateSchedule();

            // A cell whose eta is unstable on this training set fails alone; the others share one pass over the modes.
            var stable = new List<(CellDefinition Cell, int Index)>(group.Length);
            var failed = new List<(CellOutcome Outcome, int Index)>();
            foreach (var (cell, index) in group)
            {
                try
                {
                    ModelConfigValidator.ThrowIfUnstable(cell.Config, schedule, basis.MaxVariance);
                    stable.Add((cell, index));
                }
                catch (InvalidConfigException e)
                {
                    failed.Add((Failure(cell, e), index));
                }
            }

            var metrics = stable.Count == 0 ? [] : TrainingSetMetrics.ComputeAll([.. stable.Select(m => m.Cell.Config)], spectrum, schedule, basis, optima.For(group[0].Cell.Config));
            double each = shared + (groupWatch.Elapsed.TotalSeconds / group.Length);
            for (int k = 0; k < stable.Count; k++)
            {
                outcomes[stable[k].Index] = new TimedOutcome(Checked(stable[k].Cell, metrics[k]), each);
            }

            foreach (var (outcome, index) in failed)
            {
                outcomes[index] = new TimedOutcome(outcome, each);
            }
        }

        return outcomes;
    }

    private TimedOutcome[] Theory(IReadOnlyList<CellDefinition> cells)
    {
        var first = cells[0].Config;
        var spectrum = _spectra(first.Spectrum, first.D);
        var outcomes = new TimedOutcome[cells.Count];

        // One measure per spectral grid; CellTheory shares one pass among the cells that differ only in tau.
        foreach (var group in cells.Select((cell, index) => (Cell: cell, Index: index)).GroupBy(x => x.Cell.Config.SpectralGrid))
        {
            var members = group.ToArray();
            var watch = Stopwatch.StartNew();
            var config = members[0].Cell.Config;
            var measure = SpectralMeasure.Create(spectrum, TheoryScaling.For(config).N, config.SpectralGrid);
            var metrics = CellTheory.ComputeAll([.. members.Select(m => m.Cell.Config)], spectrum, measure);
            double each = watch.Elapsed.TotalSeconds / members.Length;
            for (int k = 0; k < members.Length; k++)
            {
                outcomes[members[k].Index] = new TimedOutcome(Checked(members[k].Cell, metrics[k]), each);
            }
        }

        return outcomes;
    }

    /// <summary>The unit's cells with their positions, in groups that can share one pass (they differ only in tau).</summary>
    private static IEnumerable<(CellDefinition Cell, int Index)[]> InPasses(IReadOnlyList<CellDefinition> cells) =>
        cells.Select((cell, index) => (Cell: cell, Index: index)).GroupBy(x => PassKey.Of(x.Cell.Config)).Select(g => g.ToArray());

    private static CellOutcome Failure(CellDefinition cell, InvalidConfigException e) => new(cell.Id, ResultStatus.NumericalFailure, null, e.Message);

    private static CellOutcome Checked(CellDefinition cell, CellMetrics metrics)
    {
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
