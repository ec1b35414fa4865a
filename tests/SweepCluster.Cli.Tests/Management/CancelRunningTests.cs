using SweepCluster.Cli.Tests.Support;

namespace SweepCluster.Cli.Tests.Management;

/// <summary>`sweep cancel` from another shell while `sweep run` computes the sweep: the run stops handing out units and ends.</summary>
public sealed class CancelRunningTests : IDisposable
{
    // Enough single-slot units that the run is still busy when the cancel lands: about 14 s of computing on a quiet
    // machine (d = 60 took 4 s once the tau passes were shared, and ended before the cancel).
    private const string Grid = "name: long\nd: 400\nN: [200, 400, 800, 1600]\nc: [0, 0.01, 0.1, 1]\nseeds: 40\ntheory: false\n";

    private readonly TempFolder _folder = new("cancel-running");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void ARunStopsWhenItsSweepIsCancelledAndStatusSaysCancelled()
    {
        _folder.Write("long.yaml", Grid);
        var store = new StoreFile(_folder["sweeps/long.db"]);
        using var run = CliProcess.Start(_folder.Path, null, "run", "long.yaml", "--workers", "1");
        Poll.Until(() => store.TryScalar("SELECT count(*) FROM results") > 0, TimeSpan.FromMinutes(2), "the first results landed", run);

        var cancel = CliProcess.Run(TimeSpan.FromMinutes(1), _folder.Path, "cancel", "long");
        Assert.True(cancel.ExitCode == 0, cancel.Stderr);
        var ended = run.WaitForExit(TimeSpan.FromMinutes(1));

        Assert.True(ended.ExitCode == 130, $"exit {ended.ExitCode}:\n{ended.Stderr}");
        Assert.Contains("cancelled", ended.Stderr + ended.Stdout, StringComparison.Ordinal);
        long computed = store.Scalar("SELECT count(*) FROM results");
        Assert.True(computed < 640, $"every cell was computed ({computed}): the cancel was not honoured");
        var status = CliProcess.Run(TimeSpan.FromMinutes(1), _folder.Path, "status", "long");
        Assert.Contains("cancelled", status.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, store.Scalar("SELECT count(*) FROM events WHERE kind = 'sweep_cancelled'"));
    }
}
