using System.Text.Json;
using SweepCluster.Cli.Tests.Support;

namespace SweepCluster.Cli.Tests.Management;

/// <summary>Issue 13's commands through the real program on real SQLite stores: list, status NAME/--json/--watch, cancel, delete, default output folders.</summary>
public sealed class SweepManagementTests : IClassFixture<ManagedStoresFixture>, IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(2);
    private readonly TempFolder _folder = new("manage");

    public SweepManagementTests(ManagedStoresFixture stores)
    {
        ArgumentNullException.ThrowIfNull(stores);
        stores.CopyTo(_folder);
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void ListShowsEverySweepOfEveryStoreInSweeps()
    {
        var list = Sweep("list");

        Assert.Equal(0, list.ExitCode);
        var lines = CliAssert.Lines(list.Stdout);
        Assert.StartsWith("NAME", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("alpha ", StringComparison.Ordinal) && l.Contains("sweeps/alpha.db", StringComparison.Ordinal) && l.Contains("complete  12/12", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("shared ", StringComparison.Ordinal) && l.Contains("sweeps/alpha.db", StringComparison.Ordinal) && l.Contains("18/18", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("beta ", StringComparison.Ordinal) && l.Contains("sweeps/beta.db", StringComparison.Ordinal));
        Assert.Equal(4, lines.Count);
    }

    [Fact]
    public void StatusNameFindsItsStoreAmongSeveralAndJsonFollowsTheSchema()
    {
        Assert.Contains("Sweep beta (sqlite:", Sweep("status", "beta").Stdout, StringComparison.Ordinal);
        CliAssert.OneError(Sweep("status"), 2, "several stores in ./sweeps", "name the sweep");

        var json = Sweep("status", "beta", "--json");
        Assert.Equal(0, json.ExitCode);
        using var doc = JsonDocument.Parse(json.Stdout);
        var root = doc.RootElement;
        Assert.Equal(1, root.GetProperty("schema").GetInt32());
        Assert.Equal("beta", root.GetProperty("sweep").GetString());
        Assert.Equal("complete", root.GetProperty("state").GetString());
        Assert.Equal(18, root.GetProperty("cells").GetProperty("done").GetInt32());
        Assert.Equal(18, root.GetProperty("cells").GetProperty("total").GetInt32());
        Assert.Equal(1.0, root.GetProperty("work_fraction").GetDouble());
        Assert.Equal(0, root.GetProperty("units").GetProperty("in_flight").GetInt32());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("cancelled_at").ValueKind);
        Assert.EndsWith("Z", root.GetProperty("started_at").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Array, root.GetProperty("members").ValueKind);
    }

    [Fact]
    public void WatchWithoutATerminalPrintsOneLinePerLookAndEndsWithTheSweep()
    {
        var watch = Sweep("status", "alpha", "--watch", "--interval", "0.2");

        Assert.Equal(0, watch.ExitCode);
        var line = Assert.Single(CliAssert.Lines(watch.Stdout));
        Assert.Contains("alpha: 12/12 cells (100.0%)", line, StringComparison.Ordinal);
        Assert.EndsWith("complete", line, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", watch.Stdout, StringComparison.Ordinal);
        CliAssert.OneError(Sweep("status", "alpha", "--watch", "--interval", "0"), 2, "--interval", "0.1");
    }

    [Fact]
    public void ExportAndReportWithoutOutWriteBesideTheStoreAndSaySo()
    {
        var export = Sweep("export", "beta");
        Assert.Equal(0, export.ExitCode);
        Assert.Contains(_folder["sweeps/beta"], export.Stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(_folder["sweeps/beta/cells.csv"]));

        var report = Sweep("report", "shared", "--store", "sweeps/alpha.db");
        Assert.Equal(0, report.ExitCode);
        Assert.Contains(_folder["sweeps/shared/report/report.html"], report.Stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(_folder["sweeps/shared/report/report.html"]));
    }

    [Fact]
    public void DeleteAsksForYesWithoutATerminalAndKeepsTheCellsAnotherSweepShares()
    {
        var store = new StoreFile(_folder["sweeps/alpha.db"]);
        long cells = store.Scalar("SELECT count(*) FROM cells");

        CliAssert.OneError(Sweep("delete", "alpha", "--store", "sweeps/alpha.db"), 2, "--yes", "no terminal");
        Assert.Equal(cells, store.Scalar("SELECT count(*) FROM cells"));

        var delete = Sweep("delete", "alpha", "--store", "sweeps/alpha.db", "--yes");
        Assert.Equal(0, delete.ExitCode);
        Assert.Contains("12 cells shared with other sweeps were kept", delete.Stdout, StringComparison.Ordinal);

        // alpha's cells are all in shared (beta's grid is a superset): nothing of them is lost.
        Assert.Equal(0, store.Scalar("SELECT count(*) FROM sweeps WHERE id = 'alpha'"));
        Assert.Equal(cells, store.Scalar("SELECT count(*) FROM cells"));
        Assert.Equal(18, store.Scalar("SELECT count(*) FROM results"));
        var status = Sweep("status", "shared", "--store", "sweeps/alpha.db", "--json");
        using var doc = JsonDocument.Parse(status.Stdout);
        Assert.Equal(18, doc.RootElement.GetProperty("cells").GetProperty("done").GetInt32());

        var alone = Sweep("delete", "shared", "--store", "sweeps/alpha.db", "-y");
        Assert.Equal(0, alone.ExitCode);
        Assert.Equal(0, store.Scalar("SELECT count(*) FROM cells") + store.Scalar("SELECT count(*) FROM results") + store.Scalar("SELECT count(*) FROM units"));
        CliAssert.OneError(Sweep("delete", "nosuch", "--store", "sweeps/beta.db", "--yes"), 2, "no sweep 'nosuch'");
    }

    [Fact]
    public void CancelMarksTheSweepAndARunOfItsGridResumesIt()
    {
        var cancel = Sweep("cancel", "beta");
        Assert.Equal(0, cancel.ExitCode);
        Assert.Contains("already finished", cancel.Stdout, StringComparison.Ordinal);

        // A grid grown by --set gets new units: cancelled before any worker, it stays cancelled with them pending.
        var submit = Sweep("submit", "beta.yaml", "--set", "seeds=3", "--store", "sweeps/beta.db");
        Assert.Equal(0, submit.ExitCode);
        Assert.Equal(0, Sweep("cancel", "beta").ExitCode);
        using (var doc = JsonDocument.Parse(Sweep("status", "beta", "--json").Stdout))
        {
            Assert.Equal("cancelled", doc.RootElement.GetProperty("state").GetString());
            Assert.True(doc.RootElement.GetProperty("units").GetProperty("pending").GetInt32() > 0);
            Assert.InRange(doc.RootElement.GetProperty("work_fraction").GetDouble(), 0, 0.9999);
        }

        Assert.Contains("already cancelled", Sweep("cancel", "beta").Stdout, StringComparison.Ordinal);
        var run = CliProcess.Run(Bound, _folder.Path, "run", "beta.yaml", "--set", "seeds=3", "--workers", "2");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("resum", run.Stderr + run.Stdout, StringComparison.OrdinalIgnoreCase);
        using var after = JsonDocument.Parse(Sweep("status", "beta", "--json").Stdout);
        Assert.Equal("complete", after.RootElement.GetProperty("state").GetString());
    }

    private CliProcess.Result Sweep(params string[] args) => CliProcess.Run(Bound, _folder.Path, args);
}
