using System.Text.Json;
using SweepCluster.Model.Configuration;
using SweepCluster.Model.LinearAlgebra;
using SweepCluster.Model.Metrics;
using SweepCluster.Model.Simulation;
using SweepCluster.Model.Spectra;
using SweepCluster.Model.Tests.Support;

namespace SweepCluster.Model.Tests.Simulation;

/// <summary>Spec acceptance: sim_seed0 and the sim means within 1e-8 relative (1e-6 for N &lt; d with c = 0).</summary>
public class ReferenceSimulationTests
{
    private static readonly ILinearAlgebra Algebra = LinearAlgebraBackends.Detect();

    public static TheoryData<string> Configs() => ReferenceData.ConfigIds();

    private static double ToleranceFor(ModelConfig c) => c.N < c.D && c.C == 0 ? 1e-6 : 1e-8;

    [Theory]
    [MemberData(nameof(Configs))]
    public void EverySeedMatchesTheReferenceAndTheirMeansToo(string id)
    {
        var entry = ReferenceData.Config(id);
        var config = ReferenceData.ToModelConfig(entry);
        var spectrum = Spectrum.PowerLaw(config.D, config.Spectrum.K);
        double tol = ToleranceFor(config);
        var seeds = new CellSimulator(Algebra).RunAll(config, spectrum);

        var seed0 = entry.GetProperty("sim_seed0");
        int compared = Tolerance.AssertMetrics(seed0, seeds[0].Metrics, tol, id + ".sim_seed0", ignore: new HashSet<string> { "first_data_values" });
        Assert.True(compared >= 30, $"only {compared} seed-0 values compared");
        var first = seed0.GetProperty("first_data_values").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        for (int k = 0; k < first.Length; k++)
        {
            Tolerance.AssertClose(first[k], seeds[0].FirstDataValues[k], 1e-12, $"{id}.first_data_values[{k}]");
        }

        var summary = MetricSummary.Over(seeds.Select(s => s.Metrics).ToArray());
        foreach (var p in entry.GetProperty("sim").EnumerateObject())
        {
            var expectedMean = p.Value.GetProperty("mean");
            var expectedStd = p.Value.GetProperty("std");
            if (expectedMean.ValueKind == JsonValueKind.Array)
            {
                var (mean, std) = summary.Series.Single(s => s.Key == p.Name).Value;
                var em = expectedMean.EnumerateArray().Select(Tolerance.Value).ToArray();
                var es = expectedStd.EnumerateArray().Select(Tolerance.Value).ToArray();
                for (int k = 0; k < em.Length; k++)
                {
                    Tolerance.AssertClose(em[k], mean[k], tol, $"{id}.sim.{p.Name}.mean[{k}]");
                    AssertStd(es[k], std[k], em[k], $"{id}.sim.{p.Name}.std[{k}]");
                }
            }
            else
            {
                var (mean, std) = summary.Scalars.Single(s => s.Key == p.Name).Value;
                Tolerance.AssertClose(Tolerance.Value(expectedMean), mean, tol, $"{id}.sim.{p.Name}.mean");
                AssertStd(Tolerance.Value(expectedStd), std, Tolerance.Value(expectedMean), $"{id}.sim.{p.Name}.std");
            }
        }
    }

    /// <summary>
    /// The spread is a difference of nearly equal numbers, so it is compared to 1e-6 of itself plus 1e-9 of
    /// the mean: a spread at rounding level is noise in both implementations.
    /// </summary>
    private static void AssertStd(double expected, double actual, double mean, string what)
    {
        double err = Math.Abs(actual - expected);
        double allowed = (1e-6 * expected) + (1e-9 * Math.Abs(mean));
        Assert.True(err <= allowed, $"{what}: expected {expected:R}, got {actual:R}, error {err:g3} > {allowed:g3}");
    }
}
