using SweepCluster.Model.Cells;
using SweepCluster.Model.Metrics;

namespace SweepCluster.Model.Generalisation.MoLrg;

/// <summary>The linear model's cell result for a K = 1 MoLRG: every seed, their summary and the theory.</summary>
public sealed record MolrgLinearResult(MolrgLinearConfig Config, CellResult Cell)
{
    /// <summary>
    /// Flat values: "seed{r}.{metric}", "mean.{metric}", "std.{metric}" and "theory.{metric}" with the metric names of
    /// reference-public.json (eps_test_tavg, dkl_ideal_fwd, ...). Scalars are one-element arrays; per-step series
    /// ("eps_test_t") hold one value per reported step.
    /// </summary>
    public GeneralisationValues ToValues()
    {
        var values = new GeneralisationValues();
        foreach (var seed in Cell.Seeds)
        {
            Add(values, $"seed{seed.Replicate}", seed.Metrics);
        }

        foreach (var (name, (mean, std)) in Cell.Summary.Scalars)
        {
            values.Add($"mean.{name}", mean);
            values.Add($"std.{name}", std);
        }

        foreach (var (name, (mean, std)) in Cell.Summary.Series)
        {
            values.Add($"mean.{name}", mean);
            values.Add($"std.{name}", std);
        }

        if (Cell.Theory is { } theory)
        {
            Add(values, "theory", theory);
        }

        return values;
    }

    private static void Add(GeneralisationValues values, string prefix, CellMetrics metrics)
    {
        foreach (var (name, value) in metrics.Scalars)
        {
            values.Add($"{prefix}.{name}", value);
        }

        foreach (var (name, series) in metrics.Series)
        {
            values.Add($"{prefix}.{name}", series);
        }
    }
}
