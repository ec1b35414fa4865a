using System.Diagnostics;
using SweepCluster.Model.Generalisation.Reproducibility;
using SweepCluster.Model.LinearAlgebra;
using SweepCluster.Model.Spectra;
using SweepCluster.Model.Tests.Support;
using Xunit.Abstractions;

namespace SweepCluster.Model.Tests.Generalisation;

/// <summary>Spec S-12 acceptance: R1 computed from its config matches every reference value within its tolerance.</summary>
public class ReproducibilityReferenceTests(ITestOutputHelper output)
{
    private static readonly ILinearAlgebra Algebra = LinearAlgebraBackends.Detect();

    [Fact]
    public void R1MatchesEveryReferenceValue()
    {
        var entry = GeneralisationReference.Entry("R1_repro_ddpm_d200_k1_N100");
        var model = GeneralisationReference.ModelConfig(entry);
        var p = entry.GetProperty("params");
        var config = new ReproducibilityConfig
        {
            Model = model with { SpectralGrid = p.GetProperty("theory_per_decade").GetInt32() },
            Sampler = p.GetProperty("sampler").GetString() == "ode" ? Sampler.Ode : Sampler.Ddpm,
            Pairs = p.GetProperty("pairs").GetInt32(),
            Draws = p.GetProperty("draws").GetInt32(),
            NoiseSeed = p.GetProperty("noise_seed").GetUInt64(),
        };
        var seedPairs = p.GetProperty("seed_pairs").EnumerateArray().ToArray();
        for (int k = 0; k < seedPairs.Length; k++)
        {
            Assert.Equal((seedPairs[k][0].GetUInt64(), seedPairs[k][1].GetUInt64()), config.SeedsOfPair(k));
        }

        var clock = Stopwatch.StartNew();
        var result = ReproducibilityExperiment.Run(config, Spectrum.PowerLaw(model.D, model.Spectrum.K), Algebra);
        output.WriteLine($"R1: {clock.Elapsed.TotalSeconds:F2} s ({Algebra.Name})");
        var values = result.ToValues();
        foreach (var (key, v) in values.Scalars)
        {
            output.WriteLine($"{key} = {v:R}");
        }

        foreach (var (type, err) in GeneralisationReference.AssertAll(entry, values))
        {
            output.WriteLine($"largest error, {type}: {err:g3}");
        }
    }
}
