using System.Globalization;
using SweepCluster.Model.Metrics;
using SweepCluster.Sweeps.Cells;

namespace SweepCluster.Sweeps.Aggregation;

/// <summary>
/// One number of a cell's metrics: a scalar ("eps_test_tavg", Step null) or one reported step of a series
/// ("eps_test_t" at Step 100, named "eps_test_t100"). Tables have one column per metric column.
/// </summary>
/// <param name="Metric">The metric name as in <see cref="CellMetrics"/>.</param>
/// <param name="Step">The diffusion step t for a series value, or its position in a family's vector; null for a scalar.</param>
/// <param name="Indexed">Step is a position in a vector of a generalisation family ("draw0_x_first4_2"), not a diffusion step.</param>
public readonly record struct MetricColumn(string Metric, int? Step, bool Indexed = false)
{
    /// <summary>
    /// The column name in every export and report: the metric, with the step appended for a series value
    /// ("eps_test_t500"). Only letters, digits and underscores, so that pandas (df.eps_test_t500), polars,
    /// SQL and R take it as it is; any other character a stored metric name might hold becomes '_'.
    /// </summary>
    public string Name => Step is int t
        ? string.Create(CultureInfo.InvariantCulture, $"{Identifier(Metric)}{(Indexed ? "_" : string.Empty)}{t}")
        : Identifier(Metric);

    /// <summary>
    /// The column name a report panel asks for, accepting the older spelling of a series value ("eps_test_t[500]",
    /// written by versions before the names became identifiers) so that existing report files keep working.
    /// </summary>
    public static string NormalizeName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        int open = name.LastIndexOf('[');
        return open > 0 && name.EndsWith(']') && int.TryParse(name.AsSpan(open + 1, name.Length - open - 2), NumberStyles.None, CultureInfo.InvariantCulture, out int step)
            ? string.Create(CultureInfo.InvariantCulture, $"{name[..open]}{step}")
            : name;
    }

    private static string Identifier(string metric) =>
        metric.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') ? metric : string.Concat(metric.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_'));

    public override string ToString() => Name;

    /// <summary>
    /// Every number of a cell's metrics, each series value labelled by the step it was reported at
    /// (the cell's reported steps); empty when the cell has no metrics.
    /// </summary>
    /// <exception cref="InvalidOperationException">A series does not have one value per reported step.</exception>
    public static IReadOnlyList<KeyValuePair<MetricColumn, double>> Flatten(ExportCell cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        var values = new List<KeyValuePair<MetricColumn, double>>();
        if (cell.Metrics is not { } metrics)
        {
            return values;
        }

        foreach (var (name, value) in metrics.Scalars)
        {
            values.Add(new(new MetricColumn(name, null), value));
        }

        // A family's vectors (the first coordinates of a sample, say) are numbered by position.
        if (CellKindNames.IsFamily(cell.Cell.Kind))
        {
            foreach (var (name, vector) in metrics.Series)
            {
                for (int k = 0; k < vector.Length; k++)
                {
                    values.Add(new(new MetricColumn(name, k, Indexed: true), vector[k]));
                }
            }

            return values;
        }

        var steps = cell.Cell.Config.ReportedSteps;
        foreach (var (name, series) in metrics.Series)
        {
            // Labelling by position would silently put values under the wrong t, so a mismatch is an error.
            if (series.Length != steps.Count)
            {
                throw new InvalidOperationException(
                    $"cell {cell.Cell.Id}: series '{name}' has {series.Length} values but the cell reports {steps.Count} steps");
            }

            for (int k = 0; k < series.Length; k++)
            {
                values.Add(new(new MetricColumn(name, steps[k]), series[k]));
            }
        }

        return values;
    }
}
