using System.Diagnostics;
using SweepCluster.Model.Generalisation.Memorisation;
using SweepCluster.Model.LinearAlgebra;
using SweepCluster.Model.Spectra;
using SweepCluster.Model.Tests.Support;
using Xunit.Abstractions;

namespace SweepCluster.Model.Tests.Generalisation;

/// <summary>Spec S-13 acceptance: G1 computed from its config matches every reference value within its tolerance.</summary>
public class MemorisationReferenceTests(ITestOutputHelper output)
{
    private static readonly ILinearAlgebra Algebra = LinearAlgebraBackends.Detect();

    [Fact]
    public void G1MatchesEveryReferenceValue()
    {
        var entry = GeneralisationReference.Entry("G1_gl_d64_k0_N16");
        var model = GeneralisationReference.ModelConfig(entry);
        var p = entry.GetProperty("params");
        var config = new MemorisationConfig
        {
            Model = model with { Seed0 = p.GetProperty("training_seed").GetInt64() },
            Draws = p.GetProperty("draws").GetInt32(),
            NoiseSeed = p.GetProperty("noise_seed").GetUInt64(),
            FreshSeed = p.GetProperty("fresh_seed").GetUInt64(),
        };
        var pairSeeds = p.GetProperty("pair_seeds").EnumerateArray().Select(e => e.GetUInt64()).ToArray();
        Assert.Equal([config.TrainingSeed, config.PairSeed], pairSeeds);

        var clock = Stopwatch.StartNew();
        var result = MemorisationExperiment.Run(config, Spectrum.PowerLaw(model.D, model.Spectrum.K), Algebra);
        output.WriteLine($"G1: {clock.Elapsed.TotalSeconds:F2} s ({Algebra.Name})");
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
