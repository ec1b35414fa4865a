using SweepCluster.Model.Generalisation;
using SweepCluster.Model.Metrics;

namespace SweepCluster.Sweeps.Families;

/// <summary>
/// A family's values as a cell's stored metrics: every scalar and vector under its dotted key (docs/generalisation.md).
/// A vector of one value is stored as a scalar, so that the success rate of one MoLRG (r, Nk) cell is a number
/// like any other. A value the spec reports as null (a ratio score at N = 1) stays NaN, stored as "nan".
/// A cell of one seed (bound, molrg with K = 1) keeps its seed's values without the "seed0." prefix and drops the
/// mean and standard deviation over its one seed: the export takes those over the grid's seeds, as for simulations.
/// </summary>
public static class FamilyMetrics
{
    private const string FirstSeed = "seed0.";

    public static CellMetrics From(GeneralisationValues values, bool oneSeed)
    {
        ArgumentNullException.ThrowIfNull(values);
        var metrics = new CellMetrics();
        foreach (var (key, value) in values.Scalars)
        {
            if (Kept(key, oneSeed) is { } name)
            {
                metrics.SetScalar(name, value);
            }
        }

        foreach (var (dotted, vector) in values.Vectors)
        {
            if (Kept(dotted, oneSeed) is not { } key)
            {
                continue;
            }

            if (vector.Length == 1)
            {
                metrics.SetScalar(key, vector[0]);
            }
            else
            {
                metrics.SetSeries(key, vector);
            }
        }

        return metrics;
    }

    private static string? Kept(string key, bool oneSeed)
    {
        if (!oneSeed)
        {
            return key;
        }

        if (key.StartsWith(FirstSeed, StringComparison.Ordinal))
        {
            return key[FirstSeed.Length..];
        }

        return key.StartsWith("mean.", StringComparison.Ordinal) || key.StartsWith("std.", StringComparison.Ordinal) ? null : key;
    }
}
