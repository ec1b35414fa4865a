using System.Text.Json;
using SweepCluster.Model.Configuration;
using SweepCluster.Model.Diffusion;
using SweepCluster.Model.Metrics;
using SweepCluster.Model.Spectra;
using SweepCluster.Model.Tests.Support;
using SweepCluster.Model.Theory;
using Xunit.Abstractions;

namespace SweepCluster.Model.Tests.Theory;

public class SpectralTheoryTests
{
    private const string SpectralBlock = "theory_spectral";
    private const string MassesKey = "spectral_masses";
    private const string GridPointsKey = "spectral_grid_points";

    private readonly ITestOutputHelper _output;

    public SpectralTheoryTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Theory]
    [MemberData(nameof(ReferenceData.ConfigIds), MemberType = typeof(ReferenceData))]
    public void EveryMetricMatchesTheReferenceToOneInTenToTheFour(string id)
    {
        var entry = ReferenceData.Config(id);
        var config = ReferenceData.ToModelConfig(entry);
        Assert.True(entry.TryGetProperty(SpectralBlock, out var expected), $"{id} has no {SpectralBlock} block");
        var spectrum = Spectrum.PowerLaw(config.D, config.Spectrum.K);
        var measure = SpectralMeasure.Create(spectrum, TheoryScaling.For(config).N, config.SpectralGrid);
        var metrics = SpectralTheory.Compute(config, spectrum, config.CreateSchedule(), measure);

        var errors = new List<(string Name, double Expected, double Actual, double Error)>();
        foreach (var p in expected.EnumerateObject())
        {
            switch (p.Name)
            {
                case MassesKey:
                    errors.Add(Compare("mass_I", p.Value.GetProperty("I"), measure.MassI));
                    errors.Add(Compare("mass_S", p.Value.GetProperty("S"), measure.MassS));
                    errors.Add(Compare("mass_Sinv", p.Value.GetProperty("Sinv"), measure.MassSinv));
                    break;
                case GridPointsKey:
                    Assert.Equal(p.Value.GetInt32(), measure.GridPointCount);
                    break;
                default:
                    if (p.Value.ValueKind == JsonValueKind.Array)
                    {
                        var actual = metrics.GetSeries(p.Name);
                        var values = p.Value.EnumerateArray().ToArray();
                        Assert.Equal(values.Length, actual.Length);
                        for (int k = 0; k < values.Length; k++)
                        {
                            errors.Add(Compare($"{p.Name}[{k}]", values[k], actual[k]));
                        }
                    }
                    else
                    {
                        errors.Add(Compare(p.Name, p.Value, metrics.Scalar(p.Name)));
                    }

                    break;
            }
        }

        var worst = errors.MaxBy(e => e.Error);
        _output.WriteLine($"{id}: {errors.Count} values, worst relative error {worst.Error:g3} ({worst.Name}: expected {worst.Expected:R}, got {worst.Actual:R})");

        // 8 scalars, 4 series at 4 reported steps, 3 masses.
        Assert.True(errors.Count >= 27, $"only {errors.Count} values compared");
        foreach (var e in errors)
        {
            Tolerance.AssertClose(e.Expected, e.Actual, e.Name.StartsWith("mass_", StringComparison.Ordinal) ? 1e-6 : 1e-4, $"{id}.{e.Name}");
        }
    }

    [Theory]
    [InlineData(100, 0.0, 49)]
    [InlineData(100, 2.0, 49)]
    [InlineData(100, 1.0, 100)]
    [InlineData(100, 1.0, 199)]
    [InlineData(1000, 0.5, 1999)]
    [InlineData(1000, 1.0, 999)]
    public void MeasuresReproduceTheDeterministicEquivalents(int d, double k, double n)
    {
        // Spec S-6 validation: masses 1, Tr Sigma/d, Tr Sigma^-1/d and the S-5.3 resolvents at real lambda.
        var spectrum = Spectrum.PowerLaw(d, k);
        var measure = SpectralMeasure.Create(spectrum, n);
        Tolerance.AssertClose(1.0, measure.MassI, 1e-5, "mass I");
        // mu_Sigma weights the top eigenvalues, whose isolated bumps have square-root edges that the trapezoid
        // rule resolves to ~1e-5 (the reference's own mass is 1 + 1.05e-5 at d = 1000, k = 1, n = 599).
        Tolerance.AssertClose(spectrum.Trace / d, measure.MassS, 3e-5, "mass Sigma");
        Tolerance.AssertClose(spectrum.TraceInverse / d, measure.MassSinv, 1e-5, "mass Sigma^-1");
        if (n < d)
        {
            Tolerance.AssertClose(1.0 - (n / d), measure.AtomI, 1e-12, "atom I");
        }
        else
        {
            Assert.Equal(0.0, measure.AtomI);
        }

        var resolvent = new Resolvent(spectrum, new KappaSolver(spectrum, n));
        foreach (double lambda in new[] { 1e-3, 0.05, 1.0, 20.0 })
        {
            var r = resolvent.At(lambda);
            Tolerance.AssertClose(r.T1, measure.IntegrateI(x => 1.0 / (x + lambda)), 1e-5, $"T1({lambda})");
            Tolerance.AssertClose(r.S1, measure.IntegrateS(x => 1.0 / (x + lambda)), 1e-5, $"S1({lambda})");
            Tolerance.AssertClose(r.R1, measure.IntegrateSinv(x => 1.0 / (x + lambda)), 1e-5, $"R1({lambda})");
            Tolerance.AssertClose(r.T2, measure.IntegrateI(x => 1.0 / ((x + lambda) * (x + lambda))), 1e-5, $"T2({lambda})");
        }
    }

    [Theory]
    [InlineData(100, 0.0, 60, 1e-4, BiasMode.Mean)]
    [InlineData(100, 1.0, 300, 0.0, BiasMode.Mean)]
    [InlineData(100, 1.0, 80, 1e-3, BiasMode.None)]
    [InlineData(200, 0.5, 200, 1e-4, BiasMode.Mean)]
    public void ConvergedLossesAgreeWithTheClosedForms(int d, double k, int n, double c, BiasMode bias)
    {
        var config = new ModelConfig { D = d, N = n, C = c, Spectrum = SpectrumSpec.PowerLaw(k), BiasMode = bias };
        var spectrum = Spectrum.PowerLaw(d, k);
        var schedule = config.CreateSchedule();
        var spectral = SpectralTheory.Compute(config, spectrum, schedule);
        var closed = ClosedFormTheory.Compute(config, spectrum, schedule);
        foreach (string loss in new[] { MetricNames.EpsTest, MetricNames.EpsTrain, MetricNames.DataTest, MetricNames.DataTrain })
        {
            string avg = MetricNames.Averaged(loss);
            Tolerance.AssertClose(closed.Scalar(avg), spectral.Scalar(avg), 1e-5, avg);
            var expected = closed.GetSeries(MetricNames.PerStep(loss));
            var actual = spectral.GetSeries(MetricNames.PerStep(loss));
            for (int i = 0; i < expected.Length; i++)
            {
                Tolerance.AssertClose(expected[i], actual[i], 1e-5, $"{loss}_t[{i}]");
            }
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.7)]
    public void UntrainedModelPredictsNothingAndKeepsItsInitialisation(double initStd)
    {
        // tau = 0: Q = 1, w = v = 0, so the losses are the measure masses plus the W_0 terms of spec S-3.
        var config = new ModelConfig { D = 100, N = 40, Spectrum = SpectrumSpec.PowerLaw(1.0), Tau = 0, InitStd = initStd };
        var spectrum = Spectrum.PowerLaw(100, 1.0);
        var schedule = config.CreateSchedule();
        var measure = SpectralMeasure.Create(spectrum, 39);
        var metrics = SpectralTheory.Compute(config, spectrum, schedule, measure);
        double mf = 1.0 / 40, rho = 39.0 / 40, s2init = initStd * initStd;
        double meanSig = rho * measure.IntegrateI(x => x);
        for (int i = 0; i < config.ReportedSteps.Count; i++)
        {
            int t = config.ReportedSteps[i];
            double a2 = schedule.AlphaBar[t], s2 = 1.0 - a2;
            double initTest = s2init * ((s2 * measure.MassI) + (a2 * (1.0 + mf) * measure.MassS));
            double initTrain = s2init * ((s2 * measure.MassI) + (a2 * meanSig));
            Tolerance.AssertClose(measure.MassI + initTest, metrics.GetSeries("eps_test_t")[i], 1e-10, $"eps_test t={t}");
            Tolerance.AssertClose(measure.MassI + initTrain, metrics.GetSeries("eps_train_t")[i], 1e-10, $"eps_train t={t}");
            Tolerance.AssertClose(((1.0 + mf) * measure.MassS) + initTest, metrics.GetSeries("data_test_t")[i], 1e-10, $"data_test t={t}");
            Tolerance.AssertClose(meanSig + initTrain, metrics.GetSeries("data_train_t")[i], 1e-10, $"data_train t={t}");
        }

        // E[S'] = Sigma, so the untrained data-model train loss is rho Tr Sigma / d.
        Tolerance.AssertClose(rho * spectrum.Trace / 100, meanSig, 1e-5, "rho <sig>");
    }

    [Fact]
    public void LongGradientFlowReachesTheConvergedModel()
    {
        var converged = new ModelConfig { D = 100, N = 150, Spectrum = SpectrumSpec.PowerLaw(1.0) };
        var flow = converged with { Tau = 1e12, Dynamics = Dynamics.GradientFlow };
        var spectrum = Spectrum.PowerLaw(100, 1.0);
        var schedule = converged.CreateSchedule();
        var measure = SpectralMeasure.Create(spectrum, 149);
        var a = SpectralTheory.Compute(converged, spectrum, schedule, measure);
        var b = SpectralTheory.Compute(flow, spectrum, schedule, measure);
        foreach (var p in a.Scalars)
        {
            Tolerance.AssertClose(p.Value, b.Scalar(p.Key), 1e-12, p.Key);
        }
    }

    [Fact]
    public void EarlyStoppingLowersTheTestLossBelowInterpolation()
    {
        // Spec S-3 / S-7 claim 4: with c = 0 and N < d, stopping early acts as a ridge on the null modes.
        var converged = new ModelConfig { D = 100, N = 60, C = 0.0, Spectrum = SpectrumSpec.PowerLaw(1.0) };
        var spectrum = Spectrum.PowerLaw(100, 1.0);
        var schedule = converged.CreateSchedule();
        var measure = SpectralMeasure.Create(spectrum, 59);
        double atInfinity = SpectralTheory.Compute(converged, spectrum, schedule, measure).Scalar("eps_test_tavg");
        double early = SpectralTheory.Compute(converged with { Tau = 1000 }, spectrum, schedule, measure).Scalar("eps_test_tavg");
        Assert.True(early < 0.5 * atInfinity, $"tau = 1000 gives {early}, tau = inf gives {atInfinity}");
    }

    [Fact]
    public void UnstableGradientDescentIsInfiniteNotNaN()
    {
        // eta_eff h > 2 for the largest modes: GD diverges and every output must say so with +inf.
        var config = new ModelConfig { D = 10, N = 40, Spectrum = SpectrumSpec.PowerLaw(2.0), Tau = 5001, Eta = 50 };
        var spectrum = Spectrum.PowerLaw(10, 2.0);
        var metrics = SpectralTheory.Compute(config, spectrum, config.CreateSchedule());
        foreach (var p in metrics.Scalars)
        {
            Assert.False(double.IsNaN(p.Value), $"{p.Key} is NaN");
        }

        Assert.Equal(double.PositiveInfinity, metrics.Scalar("eps_test_tavg"));
        Assert.Equal(double.PositiveInfinity, metrics.Scalar("dkl_ddpm_fwd"));
    }

    [Fact]
    public void TheHardEdgeAtNEqualsDKeepsItsMass()
    {
        // n = d: no atom, density ~ x^-1/2 down to 0; the part below the grid is ~1e-3 of the mass.
        var spectrum = Spectrum.PowerLaw(200, 0.5);
        var measure = SpectralMeasure.Create(spectrum, 200);
        Tolerance.AssertClose(1.0, measure.MassI, 1e-5, "mass I");
        Tolerance.AssertClose(spectrum.TraceInverse / 200, measure.MassSinv, 1e-5, "mass Sigma^-1");
    }

    [Fact]
    public void ResultsDoNotDependOnTheThreadSchedule()
    {
        var config = new ModelConfig { D = 100, N = 70, Tau = 3000, Spectrum = SpectrumSpec.PowerLaw(1.0) };
        var spectrum = Spectrum.PowerLaw(100, 1.0);
        var measure = SpectralMeasure.Create(spectrum, 69);
        var a = SpectralTheory.Compute(config, spectrum, config.CreateSchedule(), measure);
        var b = SpectralTheory.Compute(config, spectrum, config.CreateSchedule(), measure);
        foreach (var p in a.Scalars)
        {
            Assert.Equal(p.Value, b.Scalar(p.Key));
        }
    }

    private static (string Name, double Expected, double Actual, double Error) Compare(string name, JsonElement expected, double actual)
    {
        double e = Tolerance.Value(expected);
        double err = e == actual ? 0.0 : Math.Abs(actual - e) / Math.Max(Math.Abs(e), 1e-300);
        return (name, e, actual, double.IsNaN(err) ? double.PositiveInfinity : err);
    }
}
