using SweepCluster.Sweeps.Cells;
using SweepCluster.Sweeps.Families;
using SweepCluster.Sweeps.Grids;
using SweepCluster.Sweeps.Tests.Grids;

namespace SweepCluster.Sweeps.Tests.Families;

/// <summary>Grid files of the generalisation families: what they expand to, and what they refuse.</summary>
public sealed class FamilyGridTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private Grid Load(string text) => GridFile.Load(_folder.Write("grid.yaml", text));

    private GridValidationException Fail(string text)
    {
        string path = _folder.Write("grid.yaml", text);
        return Assert.Throws<GridValidationException>(() => GridFile.Load(path));
    }

    [Fact]
    public void AReproGridHasOneCellPerPointWithItsSettings()
    {
        var grid = Load("family: repro\nd: 100\nN: [50, 200]\nk: [0, 1]\nsampler: [ddpm, ode]\npairs: 3\ndraws: 50\n");

        var cells = GridExpander.Cells(grid).ToList();

        Assert.Equal(CellKind.Repro, grid.Family);
        Assert.Equal(8, cells.Count);
        Assert.All(cells, c => Assert.Equal(CellKind.Repro, c.Kind));
        Assert.All(cells, c => Assert.Equal(3, c.Family!.Get(FamilyKeys.Pairs, 1)));
        Assert.Equal(["ddpm", "ode"], cells.Select(c => c.Family!.Name(FamilyKeys.Sampler)).Distinct().Order());
        Assert.Equal(8, cells.Select(c => c.GroupKey).Distinct().Count());
        Assert.Equal(8, GridExpander.CellCount(grid));
    }

    [Fact]
    public void GlAndBoundHaveOneCellPerSeedAndOneSeedByDefault()
    {
        var gl = Load("family: gl\nd: 64\nN: [1, 16]\ndraws: 20\nseeds: 3\n");
        var bound = Load("family: bound\nd: 50\nN: 100\nc: [0, 1e-2]\n");

        Assert.Equal(6, GridExpander.Cells(gl).Count());
        Assert.Equal([0L, 1, 2], GridExpander.Cells(gl).Select(c => c.Config.Seed0).Distinct().Order());
        Assert.Equal(2, GridExpander.Cells(bound).Count());
        Assert.All(GridExpander.Cells(bound), c => Assert.Equal(0, c.Config.Seed0));
    }

    [Fact]
    public void MolrgWithSeveralComponentsHasNEqualToKTimesNk()
    {
        var grid = Load("family: molrg\nd: 30\nK: 2\nr: [1, 3]\nNk: [2, 8]\ntrials: 5\nrestarts: 2\n");

        var cells = GridExpander.Cells(grid).ToList();

        Assert.Equal(4, cells.Count);
        Assert.Equal([4, 16], cells.Select(c => c.Config.N).Distinct().Order());
        Assert.All(cells, c => Assert.Equal(30, c.Config.D));
    }

    [Fact]
    public void AFamilyCellIsItsOwnCanonicalForm()
    {
        var grid = Load("family: molrg\nd: 30\nK: 2\nr: 2\nNk: 3\ndelta: 0.01\northogonal: false\nthreshold: 0.2\nseed0: 7\n");
        var cell = Assert.Single(GridExpander.Cells(grid));

        var parsed = CellParameters.Parse(cell.CanonicalParameters);

        Assert.Equal(cell.Id, parsed.Id);
        Assert.Equal(CellKind.Molrg, parsed.Kind);
        Assert.Equal(cell.GroupKey, parsed.GroupKey);
        Assert.Equal(7, parsed.Config.Seed0);
        Assert.Equal(0.01, parsed.Family!.Get(FamilyKeys.Delta, 0.0));
        Assert.False(parsed.Family.Get(FamilyKeys.Orthogonal, true));
        Assert.Equal(2, parsed.Family.Get(FamilyKeys.R, 1));
        Assert.Contains("\"family\":{", cell.CanonicalParameters, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSameSettingsGiveTheSameCellWhateverTheirOrderInTheFile()
    {
        var a = Assert.Single(GridExpander.Cells(Load("family: repro\nd: 20\nN: 10\npairs: 2\ndraws: 5\n")));
        var b = Assert.Single(GridExpander.Cells(Load("draws: 5\npairs: 2\nN: 10\nd: 20\nfamily: repro\n")));
        var c = Assert.Single(GridExpander.Cells(Load("family: repro\nd: 20\nN: 10\npairs: 3\ndraws: 5\n")));

        Assert.Equal(a.Id, b.Id);
        Assert.NotEqual(a.Id, c.Id);
    }

    [Theory]
    [InlineData("family: repro\nd: 100\nN: 50\ntau: 100\nsampler: ode\n", 5, "sampler", "needs tau = inf")]
    [InlineData("family: molrg\nd: 10\nK: 3\nr: 4\nNk: 5\n", 4, "r", "K r = 12 exceeds d = 10")]
    [InlineData("family: molrg\nd: 30\nK: 6\nr: 1\nNk: 5\n", 3, "K", "an integer from 1 to 5")]
    [InlineData("family: molrg\nd: 30\nK: 1\nr: 3\nN: 50\ndelta: 0\n", 6, "delta", "K = 1 needs a floor delta > 0")]
    [InlineData("family: molrg\nd: 30\nK: [1, 2]\nr: 3\nNk: 5\n", 3, "K", "put them in two grid files")]
    [InlineData("family: molrg\nd: 30\nNk: 5\n", 1, "r", "needs r")]
    [InlineData("family: molrg\nd: 30\nr: 2\nNk: 5\nc: 1e-3\n", 5, "c", "has no effect in a molrg grid")]
    [InlineData("family: repro\nd: 100\nN: 50\nseeds: 4\n", 4, "seeds", "set pairs")]
    [InlineData("family: gl\nd: 64\nN: 16\nt: [0, 10]\n", 4, "t", "no effect in a family grid")]
    [InlineData("family: gl\nd: 64\nN: 16\nsampler: ode\n", 4, "sampler", "not of gl")]
    [InlineData("family: gl\nd: 64\nN: 16\ndraws: 0\n", 4, "draws", "at least one draw")]
    [InlineData("family: bound\nd: 64\nN: 1\n", 3, "N", "N must be an integer >= 2")]
    [InlineData("family: bound\nd: 64\nN: 100\ninit_std: 0.1\n", 4, "init_std", "init_std must be 0")]
    [InlineData("d: 64\nN: 16\npairs: 2\n", 3, "pairs", "add 'family: repro'")]
    [InlineData("family: reproo\nd: 64\nN: 16\n", 1, "family", "did you mean 'repro'?")]
    public void AFamilyGridThatCannotRunNamesTheLineAndTheKey(string text, int line, string key, string fragment)
    {
        GridErrorTests.Expect(Fail(text), line, key, fragment);
    }

    [Fact]
    public void OneTrainingSampleIsAllowedWhereTheSpecAllowsIt()
    {
        Assert.Equal(2, GridExpander.Cells(Load("family: gl\nd: 8\nN: [1, 2]\ndraws: 5\n")).Count());
        Assert.Single(GridExpander.Cells(Load("family: repro\nd: 8\nN: 1\ndraws: 5\n")));
    }

    [Fact]
    public void TheSummaryCountsFamilyCellsAndTheirCost()
    {
        var grid = Load("family: gl\nd: 64\nN: [16, 256]\ndraws: 50\nseeds: 2\n");

        var summary = GridSummary.For(grid);

        Assert.Equal(CellKind.Gl, summary.Family);
        Assert.Equal(4, summary.FamilyCells);
        Assert.Equal(0, summary.SimulationCells + summary.TheoryCells);
        Assert.Equal(4, summary.Units);
        Assert.True(summary.TotalCost > 0);
    }
}
