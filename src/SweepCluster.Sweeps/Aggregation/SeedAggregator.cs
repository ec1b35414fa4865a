using SweepCluster.Model.Configuration;
using SweepCluster.Model.Metrics;
using SweepCluster.Sweeps.Cells;
using SweepCluster.Sweeps.Families;

namespace SweepCluster.Sweeps.Aggregation;

/// <summary>
/// Summarises simulation seeds per grid point (mean and sample std over the ok seeds of every metric
/// column) and compares each with the grid point's theory cell. A pure function of the cells given:
/// it can run on partial results while a sweep is in progress.
/// </summary>
public static class SeedAggregator
{
    private static readonly int _defaultSpectralGrid = new ModelConfig().SpectralGrid;

    /// <summary>
    /// The grid point of a cell: the id of the theory cell with the same settings. A theory cell does not
    /// depend on the seed, so simulation seeds of one point share it. The theory-only settings are set to
    /// their defaults because a simulation cell's canonical parameters do not carry them (a simulation cell
    /// read back from a store has the defaults), and so that every theory variant of a point lands on it.
    /// </summary>
    public static string GridPointKey(ModelConfig config) => TheoryEquivalent(config).Id;

    /// <summary>
    /// The grid point of any cell: <see cref="GridPointKey(ModelConfig)"/> for simulation and theory cells; for a
    /// family cell, the id of the same cell at seed 0 when its seeds are cells of their own (gl, bound, molrg K = 1),
    /// else its own id, so that family settings (sampler, r, Nk...) tell points apart.
    /// </summary>
    public static string GridPointKey(CellDefinition cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        return PointOf(cell).Id;
    }

    private static CellDefinition PointOf(CellDefinition cell)
    {
        if (cell.Family is not { } settings)
        {
            return TheoryEquivalent(cell.Config);
        }

        return FamilyKeys.IsPerSeed(cell.Kind, settings) ? CellParameters.Family(cell.Kind, cell.Config with { Seed0 = 0 }, settings) : cell;
    }

    /// <summary>
    /// A family cell carries its own prediction beside the simulated value: "exact.nmsd" and "theory.nmsd" (repro),
    /// "eps_test_tavg" and "theory.eps_test_tavg" (molrg with K = 1). The summary compares the two like a simulation
    /// with its theory cell.
    /// </summary>
    internal static string? TheoryMetricOf(string metric)
    {
        if (metric.StartsWith("theory.", StringComparison.Ordinal))
        {
            return null;
        }

        return "theory." + (metric.StartsWith("exact.", StringComparison.Ordinal) ? metric["exact.".Length..] : metric);
    }

    /// <summary>One summary per grid point with at least one cell, ordered by grid point key (ordinal).</summary>
    public static IReadOnlyList<GridPointSummary> Aggregate(IEnumerable<ExportCell> cells)
    {
        var points = new SortedDictionary<string, PointCells>(StringComparer.Ordinal);
        foreach (var cell in ExportCellSet.Distinct(cells))
        {
            var equivalent = PointOf(cell.Cell);
            if (!points.TryGetValue(equivalent.Id, out var point))
            {
                point = new PointCells(equivalent.CanonicalParameters);
                points.Add(equivalent.Id, point);
            }

            point.Add(cell);
        }

        return points.Select(p => Summarise(p.Key, p.Value)).ToList();
    }

    private static CellDefinition TheoryEquivalent(ModelConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return CellParameters.Theory(config with { Seed0 = 0, AsymptoticTheory = false, SpectralGrid = _defaultSpectralGrid });
    }

    private static GridPointSummary Summarise(string key, PointCells point)
    {
        var theory = ChooseTheory(point.Theories);
        var theoryValues = theory is { Status: ResultStatus.Ok }
            ? MetricColumn.Flatten(theory).ToDictionary(p => p.Key, p => p.Value)
            : [];
        var seedValues = point.Ok.Select(c => MetricColumn.Flatten(c).ToDictionary(p => p.Key, p => p.Value)).ToList();
        if (point.Ok.Count > 0 && CellKindNames.IsFamily(point.Ok[0].Cell.Kind))
        {
            theoryValues = FamilyTheory(seedValues);
        }

        var columns = new SortedSet<MetricColumn>(theoryValues.Keys, MetricOrder.Instance);
        foreach (var values in seedValues)
        {
            columns.UnionWith(values.Keys);
        }

        var metrics = new List<MetricAggregate>(columns.Count);
        foreach (var column in columns)
        {
            var values = new List<double>(seedValues.Count);
            foreach (var seed in seedValues)
            {
                if (seed.TryGetValue(column, out double v))
                {
                    values.Add(v);
                }
            }

            double? mean = null;
            double? std = null;
            if (values.Count > 0)
            {
                (double m, double s) = MetricSummary.MeanStd(values);

                // One seed has no spread to speak of: an empty std, not a 0 a reader would take for a measured one.
                (mean, std) = (m, values.Count > 1 ? s : null);
            }

            double? theoryValue = theoryValues.TryGetValue(column, out double t) ? t : null;
            double? residual = mean is { } mu && double.IsFinite(mu) && theoryValue is { } th && double.IsFinite(th) ? mu - th : null;
            double? relative = residual is { } r && theoryValue is { } tv && tv != 0.0 ? Math.Abs(r) / Math.Abs(tv) : null;
            metrics.Add(new MetricAggregate(column, values.Count, mean, std, theoryValue, residual, relative));
        }

        return new GridPointSummary(key, point.CanonicalParameters, theory?.Cell.Id, point.Ok.Count, point.Failed, point.Pending, metrics);
    }

    /// <summary>Per metric with a prediction in the same cells, the prediction (the same for every seed; their mean if not).</summary>
    private static Dictionary<MetricColumn, double> FamilyTheory(List<Dictionary<MetricColumn, double>> seedValues)
    {
        var theory = new Dictionary<MetricColumn, double>();
        foreach (var column in seedValues.SelectMany(v => v.Keys).Distinct())
        {
            if (TheoryMetricOf(column.Metric) is not { } name)
            {
                continue;
            }

            var predicted = column with { Metric = name };
            var values = seedValues.Where(v => v.ContainsKey(predicted)).Select(v => v[predicted]).ToList();
            if (values.Count > 0)
            {
                theory[column] = MetricSummary.MeanStd(values).Mean;
            }
        }

        return theory;
    }

    // A grid may ask for more than one theory variant of a point. The finite-size theory is the one a
    // finite-d, finite-N simulation should match, and a finer spectral grid is the more accurate one;
    // the id only breaks remaining ties so the choice never depends on input order.
    private static ExportCell? ChooseTheory(List<ExportCell> theories) => theories
        .OrderBy(c => c.Cell.Config.AsymptoticTheory)
        .ThenByDescending(c => c.Cell.Config.SpectralGrid)
        .ThenBy(c => c.Cell.Id, StringComparer.Ordinal)
        .FirstOrDefault();

    /// <summary>The cells of one grid point, sorted into what the summary needs.</summary>
    private sealed class PointCells(string canonicalParameters)
    {
        public string CanonicalParameters { get; } = canonicalParameters;

        public List<ExportCell> Ok { get; } = [];

        public List<ExportCell> Theories { get; } = [];

        public int Failed { get; private set; }

        public int Pending { get; private set; }

        public void Add(ExportCell cell)
        {
            if (cell.Cell.Kind == CellKind.Theory)
            {
                Theories.Add(cell);
                return;
            }

            switch (cell.Status)
            {
                case ResultStatus.Ok:
                    Ok.Add(cell);
                    break;
                case ResultStatus.NumericalFailure:
                    Failed++;
                    break;
                default:
                    Pending++;
                    break;
            }
        }
    }
}
