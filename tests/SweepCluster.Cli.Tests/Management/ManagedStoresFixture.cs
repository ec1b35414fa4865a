using SweepCluster.Cli.Tests.Support;

namespace SweepCluster.Cli.Tests.Management;

/// <summary>
/// Two small sweeps computed by real `sweep run`s the way a user starts them (./sweeps/alpha.db and ./sweeps/beta.db),
/// and beta's grid run again into alpha's store as "shared", whose cells partly coincide with alpha's. Tests copy the
/// folder before changing anything in it.
/// </summary>
public sealed class ManagedStoresFixture : IDisposable
{
    public const string Alpha = "name: alpha\nd: 20\nN: [10, 20]\nc: [0, 0.1]\nseeds: 2\ntheory: true\n";

    public const string Beta = "name: beta\nd: 20\nN: [10, 20, 40]\nc: [0, 0.1]\nseeds: 2\ntheory: true\n";

    private readonly TempFolder _folder = new("managed");

    public ManagedStoresFixture()
    {
        _folder.Write("alpha.yaml", Alpha);
        _folder.Write("beta.yaml", Beta);
        Run("run", "alpha.yaml", "--workers", "2");
        Run("run", "beta.yaml", "--workers", "2");
        Run("run", "beta.yaml", "--workers", "2", "--set", "name=shared", "--store", "sweeps/alpha.db");
    }

    /// <summary>Copies everything (grids and ./sweeps) into <paramref name="folder"/>.</summary>
    public void CopyTo(TempFolder folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        foreach (string file in _folder.Files().Where(f => !f.EndsWith(".lock", StringComparison.Ordinal)))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(folder[file])!);
            File.Copy(_folder[file], folder[file]);
        }
    }

    public void Dispose() => _folder.Dispose();

    private void Run(params string[] args)
    {
        var run = CliProcess.Run(TimeSpan.FromMinutes(3), _folder.Path, args);
        Assert.True(run.ExitCode == 0, $"sweep {string.Join(' ', args)} failed ({run.ExitCode}):\n{run.Stderr}");
    }
}
