using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using SweepCluster.Cli.Tests.Support;

namespace SweepCluster.Cli.Tests.Hardening;

/// <summary>
/// Errors look the same everywhere (issue 12): a missing store, a refused connection, a folder that cannot be
/// written, an impossible port or option value: one line that names the problem and what to do, no stack trace, and
/// a reading command never creates a store.
/// </summary>
public sealed class UniformErrorTests : IClassFixture<FinishedStoreFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(1);
    private static readonly string[][] ReadingCommands = [["status"], ["export", "--out", "out"], ["report", "--out", "out"]];
    private readonly FinishedStoreFixture _finished;

    public UniformErrorTests(FinishedStoreFixture finished)
    {
        _finished = finished;
    }

    [Fact]
    public void AReadingCommandOnAMissingStoreSaysSoAndCreatesNothing()
    {
        using var folder = new TempFolder("missing-store");
        foreach (string[] args in ReadingCommands)
        {
            var result = CliProcess.Run(Bound, folder.Path, [.. args, "--store", "sweeps/missing.db"]);
            CliAssert.OneError(result, 2, "no store at sqlite:", "missing.db", "sweep run GRID");
        }

        Assert.Empty(folder.Files());
        Assert.Empty(Directory.GetDirectories(folder.Path));
    }

    [Fact]
    public void AReadingCommandOnARefusedConnectionSaysWhichServerAndWhatToCheck()
    {
        using var folder = new TempFolder("refused");

        // Port 1 on loopback refuses every connection; the three wait out the store's retries side by side.
        var processes = ReadingCommands.Select(args => CliProcess.Start(folder.Path, null, [.. args, "--store", "postgres://u@127.0.0.1:1/db"])).ToList();
        try
        {
            foreach (var process in processes)
            {
                CliAssert.OneError(process.WaitForExit(Bound), 1, "cannot read the store postgres://u@127.0.0.1:1/db", "check that the database server runs");
            }
        }
        finally
        {
            processes.ForEach(p => p.Dispose());
        }

        Assert.Empty(folder.Files());
    }

    [Fact]
    public void AReadingCommandGivesUpOnAServerThatNeverAnswersWithinABound()
    {
        // A listener that never accepts: the kernel completes the handshake, then nothing ever answers, like a hung
        // server or a proxy in front of a dead one. Waits of the default policy would add up to minutes.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start(backlog: 16);
        int port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var clock = Stopwatch.StartNew();

        var result = CliProcess.Run(TimeSpan.FromSeconds(90), null, "status", "--store", $"postgres://u@127.0.0.1:{port}/db");

        CliAssert.OneError(result, 1, $"cannot read the store postgres://u@127.0.0.1:{port}/db", "check that the database server runs");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(40), $"status waited {clock.Elapsed} for a silent server");
    }

    [Fact]
    public void AnOutFolderThatCannotBeWrittenIsNamedBeforeAnythingIsRead()
    {
        using var folder = new TempFolder("bad-out");
        string store = _finished.CopyTo(folder);

        // A folder inside a regular file cannot exist, whoever runs the test (root ignores permission bits).
        string blocked = folder.Write("a-file", "not a folder") + "/exports";
        foreach (string command in new[] { "export", "report" })
        {
            var result = CliProcess.Run(Bound, folder.Path, command, "--store", store, "--out", blocked);
            CliAssert.OneError(result, 2, "--out: cannot write to", "a-file/exports", "give a folder you can write to");
        }
    }

    [Fact]
    public void RunWithAnOutFolderThatCannotBeWrittenFailsAtOnceAndComputesNothing()
    {
        using var folder = new TempFolder("run-bad-out");
        folder.Write("grid.yaml", "name: big\nd: 400\nN: [100, 200, 400, 800]\nseeds: 20\n");
        string blocked = folder.Write("a-file", "not a folder") + "/exports";

        var result = CliProcess.Run(TimeSpan.FromSeconds(30), folder.Path, "run", "grid.yaml", "--store", "store.db", "--out", blocked);

        CliAssert.OneError(result, 2, "--out: cannot write to", "a-file/exports");
        Assert.False(File.Exists(folder["store.db"]), "the run wrote its store before finding that its exports cannot be written");
    }

    [Theory]
    [InlineData("worker --store s.db --http-port 70000", "--http-port: 70000 is not a port", "1 to 65535")]
    [InlineData("coordinator --store s.db --http-port -1", "--http-port: -1 is not a port", "1 to 65535")]
    [InlineData("cell --c inf", "--c: 'inf' is not a finite number", "such as 0.5")]
    [InlineData("cell --c NaN", "--c: 'NaN' is not a finite number", "such as 0.5")]
    [InlineData("cell --d 2.5", "--d: '2.5' is not a whole number", "such as 4")]
    [InlineData("cell --d 99999999", "--d: must be at most 46340", "fit in one array")]
    [InlineData("cell --d 4 --N 999999999", "--N: N x d must be at most 2147483647", "one array")]
    [InlineData("cell --backend foo", "--backend: 'foo' is not a linear algebra backend", "allowed: openblas, lapack-reference, managed, auto")]
    [InlineData("run grid.yaml --backend foo", "--backend: 'foo' is not a linear algebra backend", "allowed: openblas")]
    [InlineData("worker --store s.db --backend foo", "--backend: 'foo' is not a linear algebra backend", "allowed: openblas")]
    [InlineData("export --store s.db --out o --format xml", "--format: 'xml' is not an export format", "allowed: csv, jsonl, parquet")]
    [InlineData("run grid.yaml --format xlsx", "--format: 'xlsx' is not an export format", "allowed: csv, jsonl, parquet")]
    public void AnImpossibleOptionValueNamesTheOptionAndWhatItAccepts(string commandLine, string problem, string allowed)
    {
        var result = InProcessCli.Run(Bound, commandLine.Split(' '));

        CliAssert.OneError(result, 2, problem, allowed);
    }

    [Fact]
    public void AnImpossiblePortFromTheSettingsIsAMessageToo()
    {
        using var folder = new TempFolder("port-setting");
        using var worker = CliProcess.Start(folder.Path, new Dictionary<string, string?> { ["Sweep__HttpPort"] = "70000" }, "worker", "--store", "s.db");

        CliAssert.OneError(worker.WaitForExit(Bound), 2, "Sweep:HttpPort must be 0 (off) or 1-65535, got 70000");
        Assert.Empty(folder.Files());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AWorkerForASweepTheStoreDoesNotHoldSaysWhichSweepsItHas(bool exitWhenIdle)
    {
        using var folder = new TempFolder("unknown-sweep");
        string store = _finished.CopyTo(folder);
        string[] args = ["worker", "--store", store, "--sweep", "tiny-typo", .. exitWhenIdle ? new[] { "--exit-when-idle" } : []];

        var result = CliProcess.Run(Bound, folder.Path, args);

        CliAssert.OneError(result, 2, "no sweep 'tiny-typo'", $"it has: {FinishedStoreFixture.SweepId}");
    }

    [Fact]
    public void AReadingCommandOnAStoreAnOlderVersionWroteBringsItUpToDate()
    {
        using var folder = new TempFolder("older-store");
        string store = _finished.CopyTo(folder);

        // The store as version 3 of the schema left it: no cancel column (4), no unit compute times (5), no record of
        // either or of the family kinds (6, which rebuilds cells and units with their rows).
        FinishedStoreFixture.Execute(store, "ALTER TABLE sweeps DROP COLUMN cancelled_at; ALTER TABLE units DROP COLUMN compute_s; DELETE FROM schema_version WHERE version >= 4");

        var status = CliProcess.Run(Bound, folder.Path, "status", "--store", store);

        Assert.True(status.ExitCode == 0, $"status on an older store exited with {status.ExitCode}:\n{status.Stderr}");
        Assert.Contains(FinishedStoreFixture.SweepId, status.Stdout, StringComparison.Ordinal);
        Assert.Equal(6, new StoreFile(store).Scalar("SELECT max(version) FROM schema_version"));
        Assert.True(new StoreFile(store).Scalar("SELECT count(*) FROM units") > 0, "the rebuilt units table lost its rows");
        Assert.Equal(0, new StoreFile(store).Scalar("SELECT count(*) FROM units WHERE compute_s IS NOT NULL"));
    }
}
