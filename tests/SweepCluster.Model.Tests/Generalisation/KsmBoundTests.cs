using System.Diagnostics;
using System.Globalization;
using SweepCluster.Model.Configuration;
using SweepCluster.Model.Diffusion;
using SweepCluster.Model.Generalisation.Bound;
using SweepCluster.Model.LinearAlgebra;
using SweepCluster.Model.Spectra;
using Xunit.Abstractions;

namespace SweepCluster.Model.Tests.Generalisation;

/// <summary>
/// S-14 has no public reference configuration, so these check the identities the spec states and the rows of its
/// S-14.5 table (seed 0, d = 100), each to half a unit of the last digit printed there.
/// </summary>
public sealed class KsmBoundTests(ITestOutputHelper output)
{
    private static readonly ILinearAlgebra Algebra = LinearAlgebraBackends.Detect();

    /// <summary>k, N, c, tau, dynamics, then "B_inf B_T KL_sde_T/B_T KL_ddpm/B_T B_grid floor" as printed ("-" for inf).</summary>
    public static TheoryData<double, int, double, double, string, string> Table() => new()
    {
        { 0, 50, 1e-4, double.PositiveInfinity, "gd", "2620.07 2620.07 1.0000 0.596 1299.2 0" },
        { 1, 200, 1e-4, double.PositiveInfinity, "gd", "0.345138 0.345160 0.9998 0.991 0.344563 1.45e-6" },
        { 2, 200, 0, double.PositiveInfinity, "gd", "0.345897 0.346194 0.9990 0.950 0.33343 6.3e-5" },
        { 3, 10000, 1e-4, double.PositiveInfinity, "gd", "0.0249400 0.0254609 0.9812 1.868 0.01150 0.0134" },
        { 1, 60, 0, 1e3, "gd", "- 2.02497 0.9636 0.956 2.02225 1.45e-6" },
        { 1, 60, 0, 1e3, "gf", "- 2.02405 0.9637 0.956 2.02132 1.45e-6" },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void ReproducesTheSpecTable(double k, int n, double c, double tau, string dynamics, string printed)
    {
        var p = printed.Split(' ');
        string bInf = p[0], bT = p[1], tight = p[2], ddpmRatio = p[3], bGrid = p[4], floor = p[5];
        var clock = Stopwatch.StartNew();
        var seed = Run(Model(k, n, c, tau, dynamics)).Seeds[0];
        output.WriteLine($"{clock.Elapsed.TotalSeconds:F2} s: {string.Join(", ", seed.Named().Select(p => $"{p.Key} = {p.Value:R}"))}");
        if (bInf == "-")
        {
            Assert.Equal(double.PositiveInfinity, seed.BInf);
        }
        else
        {
            AssertPrinted(bInf, seed.BInf, "B_inf");
        }

        AssertPrinted(bT, seed.BT, "B_T");
        AssertPrinted(tight, seed.TightT, "KL_sde_T / B_T");
        AssertPrinted(ddpmRatio, seed.DdpmOverBT, "KL_ddpm / B_T");
        AssertPrinted(bGrid, seed.BGrid, "B_grid");
        AssertPrinted(floor, seed.DdpmFloor, "floor");

        // The bound holds for the reverse SDE in every row (spec S-14.5).
        Assert.True(seed.KlSdeT <= seed.BT, $"KL_sde_T = {seed.KlSdeT} exceeds B_T = {seed.BT}");
        Assert.Equal(seed.KlSdeT / seed.BT, seed.TightT);
        Assert.Equal(seed.KlDdpm / seed.BT, seed.DdpmOverBT);
    }

    /// <summary>S-14.3: at infinite horizon the bound of the converged model is the rev KL of its ideal sampler.</summary>
    [Theory]
    [InlineData(1.0, 200, 1e-4)]
    [InlineData(0.0, 50, 1e-4)]
    [InlineData(3.0, 50, 1e-2)]
    [InlineData(1.0, 10000, 0.0)]
    public void ConvergedInfiniteHorizonBoundIsTheIdealRevKl(double k, int n, double c)
    {
        var seed = Run(Model(k, n, c, double.PositiveInfinity, "gd")).Seeds[0];
        double rel = Math.Abs(seed.BInf - seed.KlIdealRev) / seed.KlIdealRev;
        output.WriteLine($"B_inf = {seed.BInf:R}, KL_ideal_rev = {seed.KlIdealRev:R}, relative difference {rel:g3}");
        Assert.True(rel < 1e-9, $"B_inf = {seed.BInf:R} vs KL_ideal_rev = {seed.KlIdealRev:R}: {rel:g3}");
        Assert.Equal(seed.KlIdealRev, seed.KlSdeInf);
    }

    /// <summary>The value S-14.3 quotes for its check (d = 100, N = 200, k = 1, c = 1e-4): 0.345138023216.</summary>
    [Fact]
    public void QuotedIdentityValue()
    {
        var seed = Run(Model(1, 200, 1e-4, double.PositiveInfinity, "gd")).Seeds[0];
        Assert.True(Math.Abs(seed.BInf - 0.345138023216) < 1e-11, $"B_inf = {seed.BInf:R}");
    }

    /// <summary>S-14.4: the finite-tau KL_sde_T converges as O(h^2), 1e-6 relative at h = 0.002.</summary>
    [Fact]
    public void FiniteTauQuadratureConverges()
    {
        var model = Model(1, 60, 0, 1e3, "gd");
        var coarse = Run(model).Seeds[0];
        var fine = Run(model, 0.001).Seeds[0];
        double rel = Math.Abs(coarse.KlSdeT - fine.KlSdeT) / fine.KlSdeT;
        output.WriteLine($"KL_sde_T: h = 0.002 {coarse.KlSdeT:R}, h = 0.001 {fine.KlSdeT:R}, relative {rel:g3}; B_T {coarse.BT:R} vs {fine.BT:R}");
        Assert.True(rel < 1e-5, $"relative change {rel:g3}");
        Assert.True(Math.Abs(coarse.BT - fine.BT) / fine.BT < 1e-7, $"B_T {coarse.BT:R} vs {fine.BT:R}");
        Assert.Equal(double.PositiveInfinity, coarse.BInf);
        Assert.True(double.IsFinite(coarse.KlSdeInf) && coarse.KlSdeInf > 0, $"KL_sde_inf = {coarse.KlSdeInf}");
    }

    /// <summary>S-14.3/S-14.6: a converged model with c = 0 and N &lt;= d has null modes, so the bound and the SDE KL are +inf; DDPM stays finite.</summary>
    [Fact]
    public void NullModesWithoutRidgeAreInfinite()
    {
        var seed = Run(Model(1, 50, 0, double.PositiveInfinity, "gd")).Seeds[0];
        Assert.Equal(double.PositiveInfinity, seed.BInf);
        Assert.Equal(double.PositiveInfinity, seed.BT);
        Assert.Equal(double.PositiveInfinity, seed.KlSdeT);
        Assert.Equal(double.PositiveInfinity, seed.KlSdeInf);
        Assert.True(double.IsFinite(seed.KlDdpm), $"KL_ddpm = {seed.KlDdpm}");
        Assert.True(double.IsFinite(seed.BGrid), $"B_grid = {seed.BGrid}");
    }

    /// <summary>The prior term with sigma_max of the default schedule, against the formula evaluated directly.</summary>
    [Fact]
    public void PriorTermAndSigmaMax()
    {
        var seed = Run(Model(1, 200, 1e-4, double.PositiveInfinity, "gd")).Seeds[0];
        Assert.True(Math.Abs(seed.SigmaMax - 12.557312) < 1e-6, $"sigma_max = {seed.SigmaMax:R}");
        double tm = seed.SigmaMax * seed.SigmaMax, sum = 0;
        foreach (double l in Spectrum.PowerLaw(100, 1).Eigenvalues)
        {
            double q = (l + tm) / (1 + tm);
            sum += q - 1 - Math.Log(q);
        }

        Assert.True(Math.Abs(seed.PriorKl - (sum / 200)) <= 1e-9 * seed.PriorKl, $"prior {seed.PriorKl:R} vs {sum / 200:R}");
    }

    [Fact]
    public void ValuesNameEverySeed()
    {
        var values = Run(Model(1, 200, 1e-4, double.PositiveInfinity, "gd") with { Seeds = 2 }).ToValues();
        foreach (string name in new[] { "B_inf", "KL_sde_inf", "prior_kl", "B_T", "KL_sde_T", "tight_T", "KL_ddpm", "ddpm_over_B_T", "B_grid", "sigma_max", "ddpm_floor" })
        {
            Assert.True(values.ContainsKey($"seed0.{name}") && values.ContainsKey($"seed1.{name}") && values.ContainsKey($"mean.{name}"), name);
        }

        Assert.NotEqual(values["seed0.B_inf"], values["seed1.B_inf"]);
    }

    [Fact]
    public void RejectsWhatTheSpecDoesNotCover()
    {
        var model = Model(1, 200, 1e-4, double.PositiveInfinity, "gd");
        var spectrum = Spectrum.PowerLaw(100, 1);
        var init = Assert.Throws<ArgumentException>(() => KsmBound.Run(new BoundConfig(model with { InitStd = 0.5 }), spectrum, Algebra));
        Assert.Equal("Model", init.ParamName);
        Assert.Contains("init_std", init.Message, StringComparison.Ordinal);
        var step = Assert.Throws<ArgumentException>(() => KsmBound.Run(new BoundConfig(model) { LogStep = 0 }, spectrum, Algebra));
        Assert.Equal("LogStep", step.ParamName);
        var d = Assert.Throws<ArgumentException>(() => KsmBound.Run(new BoundConfig(model), Spectrum.PowerLaw(50, 1), Algebra));
        Assert.Equal("spectrum", d.ParamName);
    }

    private static ModelConfig Model(double k, int n, double c, double tau, string dynamics) => new()
    {
        D = 100,
        N = n,
        Spectrum = SpectrumSpec.PowerLaw(k),
        C = c,
        Tau = tau,
        Dynamics = dynamics == "gf" ? Dynamics.GradientFlow : Dynamics.GradientDescent,
        Seeds = 1,
        Seed0 = 0,
    };

    private static BoundResult Run(ModelConfig model, double step = BoundConfig.DefaultLogStep) =>
        KsmBound.Run(new BoundConfig(model) { LogStep = step }, Spectrum.PowerLaw(model.D, model.Spectrum.K), Algebra);

    /// <summary>Within half a unit of the last digit the spec prints (plus rounding slack).</summary>
    private static void AssertPrinted(string printed, double actual, string what)
    {
        double expected = double.Parse(printed, CultureInfo.InvariantCulture);
        string mantissa = printed.Split('e', 'E')[0];
        int exponent = printed.Contains('e', StringComparison.OrdinalIgnoreCase) ? int.Parse(printed.Split('e', 'E')[1], CultureInfo.InvariantCulture) : 0;
        int decimals = mantissa.Contains('.', StringComparison.Ordinal) ? mantissa.Length - mantissa.IndexOf('.', StringComparison.Ordinal) - 1 : 0;
        double halfUnit = 0.5 * Math.Pow(10, exponent - decimals);
        if (expected == 0)
        {
            // "0" in the table (isotropic spectrum): the DDPM sampler with the exact denoiser of Sigma = I is exact.
            halfUnit = 1e-12;
        }

        Assert.True(Math.Abs(actual - expected) <= halfUnit * 1.000001, $"{what}: printed {printed}, got {actual:R} (allowed +- {halfUnit:g3})");
    }
}
