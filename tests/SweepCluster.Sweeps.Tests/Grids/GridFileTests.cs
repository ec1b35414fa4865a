using SweepCluster.Model.Configuration;
using SweepCluster.Model.Diffusion;
using SweepCluster.Sweeps.Cells;
using SweepCluster.Sweeps.Exports;
using SweepCluster.Sweeps.Grids;

namespace SweepCluster.Sweeps.Tests.Grids;

public sealed class GridFileTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private Grid Load(string text, string name = "grid.yaml") => GridFile.Load(_folder.Write(name, text));

    [Fact]
    public void AMinimalGridTakesTheModelDefaults()
    {
        var grid = Load("d: 100\nN: 50\n", "minimal.yaml");

        Assert.Equal("minimal", grid.Name);
        Assert.Equal([100], grid.D);
        Assert.Equal([50], grid.N);
        Assert.Null(grid.NOverD);
        Assert.Equal([SpectrumSpec.PowerLaw(0)], grid.Spectra);
        Assert.Equal([1e-4], grid.C);
        Assert.Equal([1000], grid.T);
        Assert.Equal([0, 100, 500, 999], grid.ReportedSteps);
        Assert.Equal([double.PositiveInfinity], grid.Tau);
        Assert.Equal([1.0], grid.Eta);
        Assert.Equal([Dynamics.GradientDescent], grid.Dynamics);
        Assert.Equal([BiasMode.Mean], grid.BiasMode);
        Assert.Equal([true], grid.SamplerLastNoise);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), grid.Seeds);
        Assert.True(grid.Theory);
        Assert.Equal(LossSelection.Both, grid.Loss);
        Assert.Empty(grid.Zip);
        Assert.Null(grid.Report);
    }

    [Fact]
    public void EveryKeyIsRead()
    {
        var grid = Load("""
            name: everything
            d: [50, 100]
            n_over_d: [0.5, 2]
            spectrum: identity
            c: 0
            t: [0, 99]
            tau: [10, inf]
            eta: 0.5
            dynamics: gf
            init_std: 0.1
            loss: data
            bias_mode: none
            T: 100
            beta_min: 1e-3
            beta_max: 2e-2
            sampler_last_noise: false
            seeds: 2
            seed0: 7
            theory: false
            asymptotic_theory: true
            spectral_grid: 200
            """);

        Assert.Equal("everything", grid.Name);
        Assert.Equal([0.5, 2.0], grid.NOverD);
        Assert.Null(grid.N);
        Assert.Equal([SpectrumSpec.Identity], grid.Spectra);
        Assert.Equal([0, 99], grid.ReportedSteps);
        Assert.Equal([10.0, double.PositiveInfinity], grid.Tau);
        Assert.Equal([Dynamics.GradientFlow], grid.Dynamics);
        Assert.Equal([0.1], grid.InitStd);
        Assert.Equal(LossSelection.Data, grid.Loss);
        Assert.Equal([BiasMode.None], grid.BiasMode);
        Assert.Equal([100], grid.T);
        Assert.Equal([1e-3], grid.BetaMin);
        Assert.Equal([2e-2], grid.BetaMax);
        Assert.Equal([false], grid.SamplerLastNoise);
        Assert.Equal([7L, 8L], grid.Seeds);
        Assert.False(grid.Theory);
        Assert.Equal([true], grid.AsymptoticTheory);
        Assert.Equal([200], grid.SpectralGrid);

        var points = GridExpander.Points(grid);
        Assert.Equal(8, points.Count);
        Assert.Equal([25, 25, 100, 100, 50, 50, 200, 200], points.Select(p => p.N));
        Assert.All(points, p => Assert.Equal(0.5, p.Eta));
    }

    [Fact]
    public void TheGridIsTheProductOfItsAxesWithSeedsPerPointAndOneTheoryCellPerPoint()
    {
        var grid = Load("d: 100\nN: [10, 20, 30]\nk: [0, 1]\nc: [0, 1e-4]\nseeds: 3\n");
        var sweep = GridExpander.Expand(grid);

        Assert.Equal(12, GridExpander.PointCount(grid));
        Assert.Equal(12, GridExpander.Points(grid).Count);
        Assert.Equal(36, sweep.Cells.Count(c => c.Kind == CellKind.Simulation));
        Assert.Equal(12, sweep.Cells.Count(c => c.Kind == CellKind.Theory));
        Assert.Equal(sweep.Cells.Count, sweep.Cells.Select(c => c.Id).Distinct().Count());
        Assert.Equal([0L, 1L, 2L], sweep.Cells.Where(c => c.Kind == CellKind.Simulation).Select(c => c.Config.Seed0).Distinct().Order());
        Assert.Equal("grid", sweep.Id);
    }

    [Fact]
    public void WithoutTheoryThereAreOnlySimulationCells()
    {
        var sweep = GridExpander.Expand(Load("d: 100\nN: [10, 20]\nseeds: 2\ntheory: false\n"));
        Assert.Equal(4, sweep.Cells.Count);
        Assert.All(sweep.Cells, c => Assert.Equal(CellKind.Simulation, c.Kind));
    }

    [Fact]
    public void ZippedAxesVaryTogether()
    {
        var grid = Load("d: 100\nN: [10, 20, 30]\nc: [0, 1e-3, 1e-2]\nk: [0, 1]\nzip: [N, c]\nseeds: 1\n");
        var points = GridExpander.Points(grid);

        Assert.Equal(6, points.Count);
        Assert.Equal(
            [(10, 0.0), (20, 1e-3), (30, 1e-2)],
            points.Select(p => (p.N, p.C)).Distinct().Order());
        Assert.Equal([["N", "c"]], grid.Zip);
    }

    [Fact]
    public void SeveralZipGroupsAndTheKShortFormCanBeZipped()
    {
        var grid = Load("d: [100, 200]\nN: [50, 100]\nk: [0, 1]\nc: [0, 1]\nzip: [[d, N], [k, c]]\n");
        Assert.Equal(4, GridExpander.PointCount(grid));
        Assert.Equal([["d", "N"], ["spectrum", "c"]], grid.Zip);
        Assert.All(GridExpander.Points(grid), p => Assert.Equal(p.D, 2 * p.N));
        Assert.All(GridExpander.Points(grid), p => Assert.Equal(p.Spectrum.K, p.C));
    }

    [Fact]
    public void RangesFollowNumpy()
    {
        var grid = Load("d: 100\nN: {logspace: [1, 3, 5]}\nc: {linspace: [0, 1, 5]}\ntau: [{logspace: [0, 1, 2]}, inf]\n");

        Assert.Equal([10, 32, 100, 316, 1000], grid.N);
        Assert.Equal([0, 0.25, 0.5, 0.75, 1.0], grid.C);
        Assert.Equal([1.0, 10.0, double.PositiveInfinity], grid.Tau);
    }

    [Fact]
    public void IntegerAxesAreRoundedAndRepeatsRemovedInOrder()
    {
        // 10^0.5 .. 10^1 in 8 steps rounds to 3, 4, 4, 5, 6, 7, 8, 10.
        var grid = Load("d: [100.4, 99.6, 50]\nN: {logspace: [0.5, 1, 8]}\nt: [999, 0, 0.4, 500]\nseeds: {values: [7, 3, 7.2]}\n");

        Assert.Equal([100, 50], grid.D);
        Assert.Equal([3, 4, 5, 6, 7, 8, 10], grid.N);
        Assert.Equal([999, 0, 500], grid.ReportedSteps);
        Assert.Equal([7L, 3L], grid.Seeds);
    }

    [Fact]
    public void ZippedAxesKeepTheirOwnRepeatsButNotRepeatedTuples()
    {
        var grid = Load("d: 100\nN: [50, 50, 80, 50]\nc: [0, 1, 0, 0]\nzip: [N, c]\n");
        Assert.Equal([50, 50, 80], grid.N);
        Assert.Equal([0.0, 1.0, 0.0], grid.C);
    }

    [Fact]
    public void NOverDGivesNPerDimension()
    {
        var grid = Load("d: [100, 201]\nn_over_d: [0.5, 2]\n");
        Assert.Equal([50, 200, 100, 402], GridExpander.Points(grid).Select(p => p.N));
    }

    [Fact]
    public void SeedsAreACountFromSeed0OrExplicitValues()
    {
        Assert.Equal([5L, 6L, 7L], Load("d: 10\nN: 5\nseeds: 3\nseed0: 5\n").Seeds);
        Assert.Equal([42L, 3L], Load("d: 10\nN: 5\nseeds: {values: [42, 3]}\n").Seeds);

        var sweep = GridExpander.Expand(Load("d: 10\nN: 5\nseeds: {values: [42, 3]}\n"));
        Assert.Equal([3L, 42L], sweep.Cells.Where(c => c.Kind == CellKind.Simulation).Select(c => c.Config.Seed0).Order());
        Assert.Single(sweep.Cells, c => c.Kind == CellKind.Theory);
    }

    [Fact]
    public void SpectraCanMixIdentityPowerLawsAndFiles()
    {
        _folder.Write("spectra/mnist.txt", "# eigenvalues\n4 3 2 1\n0.5\n");
        var grid = Load("""
            d: 4
            N: 10
            spectrum:
              - identity
              - {powerlaw: {k: [0.5, 1]}}
              - {file: spectra/mnist.txt, normalize: false}
            """);

        Assert.Equal(4, grid.Spectra.Count);
        var file = grid.Spectra[3];
        Assert.Equal(SpectrumKind.File, file.Kind);
        Assert.False(file.Normalize);
        Assert.Equal(ContentHash.Sha256Hex("# eigenvalues\n4 3 2 1\n0.5\n"), file.ContentHash);
        Assert.Equal(64, file.ContentHash!.Length);
        Assert.Equal(Path.Combine(_folder.Root, "spectra", "mnist.txt"), file.File);

        var sweep = GridExpander.Expand(grid);
        Assert.Equal("# eigenvalues\n4 3 2 1\n0.5\n", Assert.Single(sweep.Spectra).Value);
        Assert.Equal(file.ContentHash, sweep.Spectra.Keys.Single());
        Assert.Contains(sweep.Cells, c => c.CanonicalParameters.Contains(file.ContentHash, StringComparison.Ordinal));
    }

    [Fact]
    public void TheReportSectionIsKeptAsRawText()
    {
        var grid = Load("""
            d: 100
            report:
              plots:
                - x: N   # the horizontal axis
                  y: eps_test_tavg
              title: "Figure 1h"
            N: 50
            """);
        Assert.Equal("plots:\n  - x: N   # the horizontal axis\n    y: eps_test_tavg\ntitle: \"Figure 1h\"\n", grid.Report);

        Assert.Equal("{a: 1, b: [2, 3]}\n", Load("d: 1\nN: 2\nreport: {a: 1, b: [2, 3]}\n").Report);
    }

    [Fact]
    public void TheNameKeySetsTheSweepIdAndTheGridHashIsTheTextsHash()
    {
        const string text = "name: fig1h\nd: 100\nN: 50\n";
        var sweep = GridExpander.Expand(Load(text));
        Assert.Equal("fig1h", sweep.Id);
        Assert.Equal(ContentHash.Sha256Hex(text), sweep.GridHash);
        Assert.Equal(text, sweep.GridText);
    }

    [Fact]
    public void IdsAreStableAcrossParses()
    {
        const string text = "d: 100\nN: {logspace: [1, 3, 4]}\nk: [0, 1]\nc: 1e-4\nseeds: 3\n";
        var first = GridExpander.Expand(Load(text, "a.yaml"));
        var second = GridExpander.Expand(Load(text, "b.yaml"));
        Assert.Equal(first.Cells.Select(c => c.Id), second.Cells.Select(c => c.Id));
    }

    [Fact]
    public void EditingAGridKeepsTheIdsOfTheCellsItKeeps()
    {
        var before = GridExpander.Expand(Load("d: 100\nN: [50, 100]\nc: [0, 1e-4]\nseeds: 2\n"));
        var after = GridExpander.Expand(Load("# more c, fewer N, one more seed\nd: 100\nc: [0, 1e-4, 1e-2]\nN: [100]\nseeds: 3\n"));

        var kept = before.Cells.Where(c => c.Config.N == 100).Select(c => c.Id).ToHashSet();
        Assert.Equal(6, kept.Count);
        Assert.Subset(after.Cells.Select(c => c.Id).ToHashSet(), kept);
        Assert.Equal(9 + 3, after.Cells.Count);
    }

    [Fact]
    public void AFileSpectrumIsKnownByItsContentNotItsPath()
    {
        _folder.Write("one/e.txt", "3 2 1\n");
        _folder.Write("two/e-copy.txt", "3 2 1\n");
        var a = GridExpander.Expand(Load("d: 3\nN: 5\nspectrum: {file: one/e.txt}\n"));
        var b = GridExpander.Expand(Load("d: 3\nN: 5\nspectrum: {file: two/e-copy.txt}\n"));
        Assert.Equal(a.Cells.Select(c => c.Id), b.Cells.Select(c => c.Id));
    }

    [Fact]
    public void CellsThatDifferOnlyInSettingsTheyIgnoreAreMadeOnce()
    {
        // At tau = inf eta does not matter, so both eta values give the same cells.
        var grid = Load("d: 100\nN: 50\neta: [1, 2]\nseeds: 2\n");
        var sweep = GridExpander.Expand(grid);
        Assert.Equal(2, GridExpander.PointCount(grid));
        Assert.Equal(3, sweep.Cells.Count);
    }

    [Fact]
    public void DefaultReportedStepsFollowTheSmallestT()
    {
        Assert.Equal([0, 20, 100, 199], Load("d: 10\nN: 5\nT: [200, 400]\n").ReportedSteps);
        Assert.Empty(Load("d: 10\nN: 5\nt: []\n").ReportedSteps);
    }
}
