using SweepCluster.Cli.Tests.Support;

namespace SweepCluster.Cli.Tests.Management;

/// <summary>`--set key=value` on validate (and so run and submit, which load grids the same way): the effective grid and one-line errors.</summary>
public sealed class GridOverrideTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(1);
    private readonly TempFolder _folder = new("set");

    public GridOverrideTests() => _folder.Write("grid.yaml", "name: g\nd: 20\nN: [10, 20]\nc:\n  - 0\n  - 0.1\nseeds: 2\n");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void ValidateShowsTheEffectiveGridWithTheOverrides()
    {
        var result = InProcessCli.Run(Bound, "validate", _folder["grid.yaml"], "--set", "c=[1e-4,1e-2]", "--set", "seeds=3");

        Assert.True(result.ExitCode == 0, result.Stderr);
        var lines = CliAssert.Lines(result.Stdout);
        Assert.Contains("c                    [0.0001, 0.01]", lines);
        Assert.Contains("seeds                [0, 1, 2]", lines);
        Assert.Contains("N                    [10, 20]", lines);
        Assert.Contains(lines, l => l.StartsWith("cells            12 simulation", StringComparison.Ordinal));
    }

    [Fact]
    public void ABadOverrideIsOneErrorNamingTheSetAndTheField()
    {
        CliAssert.OneError(InProcessCli.Run(Bound, "validate", _folder["grid.yaml"], "--set", "c=[1e-4,x]"), 2, "--set c=[1e-4,x]", "c:", "'x' is not a number");
        CliAssert.OneError(InProcessCli.Run(Bound, "validate", _folder["grid.yaml"], "--set", "seeds"), 2, "--set", "key=value");
        CliAssert.OneError(InProcessCli.Run(Bound, "validate", _folder["grid.yaml"], "--set", "spectrum.k=2"), 2, "--set", "top-level");
        CliAssert.OneError(InProcessCli.Run(Bound, "run", _folder["grid.yaml"], "--set", "sedes=3"), 2, "--set sedes=3", "sedes");
    }
}
