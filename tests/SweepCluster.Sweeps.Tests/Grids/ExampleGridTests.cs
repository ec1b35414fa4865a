using SweepCluster.Model.Configuration;
using SweepCluster.Sweeps.Grids;

namespace SweepCluster.Sweeps.Tests.Grids;

public sealed class ExampleGridTests
{
    private static string Example(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string path = Path.Combine(dir.FullName, "examples", name);
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new FileNotFoundException($"examples/{name} not found above {AppContext.BaseDirectory}");
    }

    [Fact]
    public void TheQuickstartIsSmall()
    {
        var grid = GridFile.Load(Example("quickstart.yaml"));
        var summary = GridSummary.For(grid);

        Assert.Equal([100], grid.D);
        Assert.Equal([20, 39, 75, 144, 278, 537, 1036, 2000], grid.N);
        Assert.Equal([SpectrumSpec.PowerLaw(0), SpectrumSpec.PowerLaw(1)], grid.Spectra);
        Assert.Equal(16, summary.GridPoints);
        Assert.Equal(80, summary.SimulationCells);
        Assert.Equal(16, summary.TheoryCells);
        Assert.True(summary.EstimatedSeconds(2) < 20, summary.ToString());
    }

    [Fact]
    public void TheFiniteTimeExampleSharesOneTrainingSetPerSeed()
    {
        var grid = GridFile.Load(Example("finite-time.yaml"));
        var summary = GridSummary.For(grid);

        Assert.Equal(9, grid.Tau.Count);
        Assert.Equal(10.0, grid.Tau[0], 12);
        Assert.Equal(1e5, grid.Tau[8], 6);
        Assert.Equal(27, summary.SimulationCells);
        Assert.Equal(9, summary.TheoryCells);
        Assert.Equal(3, summary.SimulationUnits);
        Assert.Equal(1, summary.TheoryUnits);
        Assert.True(summary.EstimatedSeconds(2) < 20, summary.ToString());
    }

    [Theory]
    [InlineData("repro-nmsd.yaml", "repro", 14)]
    [InlineData("repro-rp.yaml", "repro", 12)]
    [InlineData("gl-transition.yaml", "gl", 9)]
    [InlineData("bound-tightness.yaml", "bound", 16)]
    [InlineData("molrg-heatmap.yaml", "molrg", 72)]
    public void EveryGeneralisationExampleIsOneTableOfTheSpecAndFitsTwoCores(string file, string family, int cells)
    {
        var grid = GridFile.Load(Example(Path.Combine("generalisation", file)));
        var summary = GridSummary.For(grid);

        Assert.Equal(family, Cells.CellKindNames.ToName(grid.Family!.Value));
        Assert.Equal(cells, summary.FamilyCells);
        Assert.Equal(cells, summary.Units);
        Assert.True(summary.EstimatedSeconds(2) < 120, summary.ToString());
    }
}
