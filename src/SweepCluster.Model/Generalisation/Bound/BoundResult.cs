namespace SweepCluster.Model.Generalisation.Bound;

/// <summary>The S-14 outputs of every seed of a configuration, in seed order.</summary>
public sealed record BoundResult(BoundConfig Config, IReadOnlyList<BoundSeedResult> Seeds)
{
    /// <summary>
    /// Flat values in the layout of generalisation-public.json: "seed{r}.{name}" per seed (r = replicate) and
    /// "mean.{name}" over the seeds, names as in S-14.6 (B_inf, KL_sde_inf, prior_kl, B_T, KL_sde_T, tight_T,
    /// KL_ddpm, ddpm_over_B_T, B_grid, sigma_max, ddpm_floor) plus KL_ideal_rev.
    /// </summary>
    public GeneralisationValues ToValues()
    {
        var values = new GeneralisationValues();
        var sums = new Dictionary<string, double>();
        foreach (var seed in Seeds)
        {
            foreach (var (name, value) in seed.Named())
            {
                values.Add($"seed{seed.Replicate}.{name}", value);
                sums[name] = sums.GetValueOrDefault(name) + value;
            }
        }

        foreach (var (name, sum) in sums)
        {
            values.Add($"mean.{name}", sum / Seeds.Count);
        }

        return values;
    }
}
