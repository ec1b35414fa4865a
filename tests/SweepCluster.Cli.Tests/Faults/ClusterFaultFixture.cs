using SweepCluster.Cli.Tests.Support;

namespace SweepCluster.Cli.Tests.Faults;

/// <summary>
/// The fault tests' grid (200 simulation units, each a d = 250 training set) and its cells.csv from one
/// uninterrupted embedded run: every cluster run must end byte-identical to it.
/// </summary>
public sealed class ClusterFaultFixture : IDisposable
{
    public const string Grid = """
        name: faults
        d: 250
        N: {logspace: [2.0, 3.0, 10]}
        k: [0, 1]
        c: 1e-4
        seeds: 10
        theory: false
        """;

    private readonly TempFolder _folder = new("sweep-faults-ref");

    public ClusterFaultFixture()
    {
        GridFile = _folder.Write("faults.yaml", Grid);
        var run = CliProcess.Run(TimeSpan.FromMinutes(5), _folder.Path, "run", GridFile, "--store", _folder["reference.db"], "--out", _folder["out"]);
        Assert.True(run.ExitCode == 0, "the reference run failed: " + run.Stderr);
        ReferenceCells = File.ReadAllBytes(_folder[Path.Combine("out", "cells.csv")]);
    }

    public string GridFile { get; }

    public byte[] ReferenceCells { get; }

    public void Dispose() => _folder.Dispose();
}
