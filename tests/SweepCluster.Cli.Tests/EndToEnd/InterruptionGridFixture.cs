using SweepCluster.Cli.Tests.Support;

namespace SweepCluster.Cli.Tests.EndToEnd;

/// <summary>
/// A grid big enough to interrupt (216 units, 432 cells, a few seconds on 2 cores) and its exports from one
/// uninterrupted `sweep run --workers 2`, computed once for the collection on first use.
/// </summary>
public sealed class InterruptionGridFixture : IDisposable
{
    public const string Name = "interrupt";

    /// <summary>12 N x 3 spectra x 2 ridges = 72 grid points; 5 seeds: 360 simulation cells (180 units) + 72 theory cells (36 units).</summary>
    public const string Grid = """
        name: interrupt
        d: 200
        N: {logspace: [1.5, 3.6, 12]}
        k: [0, 1, 2]
        c: [1e-4, 1e-2]
        seeds: 5
        theory: true
        """;

    public const int Cells = 432;

    public const int Units = 216;

    private readonly TempFolder _folder = new("reference");
    private readonly Lock _gate = new();
    private byte[]? _cells;
    private byte[]? _summary;

    /// <summary>cells.csv of the uninterrupted run.</summary>
    public byte[] CellsCsv
    {
        get
        {
            EnsureRun();
            return _cells!;
        }
    }

    /// <summary>summary.csv of the uninterrupted run.</summary>
    public byte[] SummaryCsv
    {
        get
        {
            EnsureRun();
            return _summary!;
        }
    }

    /// <summary>Seconds the uninterrupted run took.</summary>
    public double Seconds { get; private set; }

    public void Dispose() => _folder.Dispose();

    private void EnsureRun()
    {
        lock (_gate)
        {
            if (_cells is not null)
            {
                return;
            }

            string grid = _folder.Write("interrupt.yaml", Grid);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var run = CliProcess.Run(TimeSpan.FromMinutes(2), _folder.Path, "run", grid, "--store", _folder["ref.db"], "--out", _folder["out"], "--workers", "2");
            Seconds = clock.Elapsed.TotalSeconds;
            Assert.True(run.ExitCode == 0, $"the reference run failed with {run.ExitCode}:\n{run.Stderr}");
            _cells = File.ReadAllBytes(_folder["out/cells.csv"]);
            _summary = File.ReadAllBytes(_folder["out/summary.csv"]);
        }
    }
}
