using SweepCluster.Model.Spectra;
using SweepCluster.Sweeps.Grids;

namespace SweepCluster.Sweeps.Tests.Datasets;

/// <summary>The grids of examples/paper and the dataset spectrum they use stay loadable and of the size their comments state.</summary>
public sealed class PaperExampleTests
{
    private static string PaperFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string path = Path.Combine(dir.FullName, "examples", "paper");
            if (Directory.Exists(path))
            {
                return path;
            }
        }

        throw new DirectoryNotFoundException($"examples/paper not found above {AppContext.BaseDirectory}");
    }

    [Fact]
    public void TheFashionMnistFileHas784UsableEigenvalues()
    {
        string path = Path.Combine(PaperFolder(), "fashion-mnist-eigenvalues.txt");
        string text = File.ReadAllText(path);

        var raw = EigenvalueFile.Parse(text, path, d: 784, normalize: false);
        var normalised = EigenvalueFile.Parse(text, path, d: 784);

        Assert.Equal(784, raw.Dimension);
        Assert.Equal(19.80980567304379, raw.Max);
        Assert.Equal(784, normalised.Trace, 9);
        Assert.Contains("apt-get install -y dataset-fashion-mnist", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fig1-loss-kl.yaml", 100, 1000, 100)]
    [InlineData("fig2-kl-ridge.yaml", 300, 3000, 300)]
    [InlineData("fig3-early-stopping.yaml", 252, 1260, 252)]
    [InlineData("fig4-loss-vs-time.yaml", 105, 525, 105)]
    [InlineData("fig1mno-real-spectrum.yaml", 40, 400, 40)]
    public void EveryPaperGridLoadsWithItsReportSection(string file, long gridPoints, int simulationCells, int theoryCells)
    {
        var grid = GridFile.Load(Path.Combine(PaperFolder(), file));
        var summary = GridSummary.For(grid);

        Assert.Equal(gridPoints, summary.GridPoints);
        Assert.Equal(simulationCells, summary.SimulationCells);
        Assert.Equal(theoryCells, summary.TheoryCells);
        Assert.Contains("panels:", grid.Report, StringComparison.Ordinal);
    }
}
