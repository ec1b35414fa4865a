using System.Globalization;

namespace SweepCluster.Model.Generalisation.Reproducibility;

/// <summary>One pair of disjoint training sets: its exact moments and, with draws, its Monte Carlo.</summary>
public sealed record ReproducibilityPair(int Index, ulong FirstSeed, ulong SecondSeed, ExactPairMoments Exact, PairMonteCarlo? MonteCarlo);

/// <summary>
/// Every output of spec S-12.6: per pair the exact moments and the Monte Carlo, their means (and standard errors)
/// over pairs, the theory of S-12.4 and the draw-0 test vectors of pair 0.
/// </summary>
public sealed record ReproducibilityResult(ReproducibilityConfig Config, IReadOnlyList<ReproducibilityPair> Pairs, ReproducibilityTheory? Theory)
{
    /// <summary>
    /// The flat layout of generalisation-public.json: pair{p}.exact.{Ex2_1_per_d, Ex2_2_per_d, Exx_per_d, nmsd,
    /// cos_conc}, pair{p}.mc.{cos_mean, cos_mean_se, rp, rp_se}, mean.* of those over pairs (also unprefixed:
    /// exact.nmsd = mean.exact.nmsd) and, with two pairs or
    /// more, se.* (std with ddof 1 over sqrt(pairs); not for the *_se values), theory.{Ex2_per_d, Exx_per_d, nmsd, cos_conc, mass_min, mass_max}
    /// and draw0.{x_first4, xprime_first4, cos}.
    /// </summary>
    public GeneralisationValues ToValues()
    {
        var values = new GeneralisationValues();
        var perPair = new List<(string Key, double Value)>[Pairs.Count];
        for (int p = 0; p < Pairs.Count; p++)
        {
            var pair = Pairs[p];
            var list = perPair[p] = [];
            list.Add(("exact.Ex2_1_per_d", pair.Exact.Ex2First));
            list.Add(("exact.Ex2_2_per_d", pair.Exact.Ex2Second));
            list.Add(("exact.Exx_per_d", pair.Exact.Exx));
            list.Add(("exact.nmsd", pair.Exact.Nmsd));
            list.Add(("exact.cos_conc", pair.Exact.CosConc));
            if (pair.MonteCarlo is { } mc)
            {
                list.Add(("mc.cos_mean", mc.Statistics.CosMean));
                list.Add(("mc.cos_mean_se", mc.Statistics.CosMeanSe));
                list.Add(("mc.rp", mc.Statistics.Rp));
                list.Add(("mc.rp_se", mc.Statistics.RpSe));
            }

            foreach (var (key, value) in list)
            {
                values.Add(string.Create(CultureInfo.InvariantCulture, $"pair{p}.{key}"), value);
            }
        }

        foreach (var (key, _) in perPair[0])
        {
            var samples = perPair.Select(l => l.Single(e => e.Key == key).Value).ToArray();
            double mean = samples.Average();
            values.Add("mean." + key, mean);

            // The spec calls these "the means over pairs" without naming them: also under the per-pair names unprefixed.
            values.Add(key, mean);
            if (samples.Length > 1 && !key.EndsWith("_se", StringComparison.Ordinal))
            {
                values.Add("se." + key, Math.Sqrt(samples.Sum(v => (v - mean) * (v - mean)) / (samples.Length - 1) / samples.Length));
            }
        }

        if (Theory is { } theory)
        {
            values.Add("theory.Ex2_per_d", theory.Ex2);
            values.Add("theory.Exx_per_d", theory.Exx);
            values.Add("theory.nmsd", theory.Nmsd);
            values.Add("theory.cos_conc", theory.CosConc);
            values.Add("theory.mass_min", theory.MassMin);
            values.Add("theory.mass_max", theory.MassMax);
        }

        if (Pairs[0].MonteCarlo is { } first)
        {
            values.Add("draw0.x_first4", First4(first.FirstDraw0));
            values.Add("draw0.xprime_first4", First4(first.SecondDraw0));
            values.Add("draw0.cos", first.Draw0Cosine);
        }

        return values;
    }

    internal static double[] First4(double[] x) => x.AsSpan(0, Math.Min(4, x.Length)).ToArray();
}
