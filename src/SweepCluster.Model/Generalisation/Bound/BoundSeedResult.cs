namespace SweepCluster.Model.Generalisation.Bound;

/// <summary>
/// Every output of spec S-14.6 for one training set, all per dimension. +infinity where the quantity diverges
/// (B_inf of a finite-tau model; everything but the DDPM values for a converged model with c = 0 and N &lt;= d).
/// </summary>
/// <param name="Replicate">r, the training set drawn with seed seed0 + r.</param>
/// <param name="BInf">The infinite-horizon bound (converged models only), equal to <paramref name="KlIdealRev"/>.</param>
/// <param name="KlSdeInf">KL(p_data || reverse SDE from infinite horizon): the ideal rev KL when converged, else quadrature.</param>
/// <param name="PriorKl">KL(N(0, Sigma + sigma_max^2) || N(0, (1 + sigma_max^2) I)).</param>
/// <param name="BT">The finite-horizon bound: prior term plus the excess integral up to sigma_max.</param>
/// <param name="KlSdeT">KL(p_data || reverse SDE started from the DDPM prior at sigma_max).</param>
/// <param name="TightT">KL_sde_T / B_T (NaN when both are infinite).</param>
/// <param name="KlDdpm">dkl_ddpm_rev of S-4, the discrete sampler (not covered by the bound).</param>
/// <param name="DdpmOverBT">KL_ddpm / B_T.</param>
/// <param name="BGrid">The excess integral on the schedule's sigma_t only: a diagnostic, not a bound.</param>
/// <param name="SigmaMax">sigma_{T-1}.</param>
/// <param name="DdpmFloor">dkl_ddpm_rev of the population-optimal denoiser: the sampler's own error.</param>
/// <param name="KlIdealRev">dkl_ideal_rev of S-4 (converged models; NaN otherwise).</param>
public sealed record BoundSeedResult(
    int Replicate,
    double BInf,
    double KlSdeInf,
    double PriorKl,
    double BT,
    double KlSdeT,
    double TightT,
    double KlDdpm,
    double DdpmOverBT,
    double BGrid,
    double SigmaMax,
    double DdpmFloor,
    double KlIdealRev)
{
    /// <summary>The S-14.6 names, in the spec's order, with their values.</summary>
    public IEnumerable<KeyValuePair<string, double>> Named()
    {
        yield return new("B_inf", BInf);
        yield return new("KL_sde_inf", KlSdeInf);
        yield return new("prior_kl", PriorKl);
        yield return new("B_T", BT);
        yield return new("KL_sde_T", KlSdeT);
        yield return new("tight_T", TightT);
        yield return new("KL_ddpm", KlDdpm);
        yield return new("ddpm_over_B_T", DdpmOverBT);
        yield return new("B_grid", BGrid);
        yield return new("sigma_max", SigmaMax);
        yield return new("ddpm_floor", DdpmFloor);
        yield return new("KL_ideal_rev", KlIdealRev);
    }
}
