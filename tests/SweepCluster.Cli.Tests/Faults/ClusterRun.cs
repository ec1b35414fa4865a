using System.Globalization;
using SweepCluster.Cli.Tests.Support;

namespace SweepCluster.Cli.Tests.Faults;

/// <summary>
/// One cluster run for a fault test: its own PostgreSQL schema, the grid submitted, worker and coordinator
/// processes started with short leases, and the checks every scenario ends with.
/// </summary>
public sealed class ClusterRun : IDisposable
{
    private readonly ClusterFaultFixture _fixture;
    private readonly TempFolder _folder = new("sweep-faults");
    private readonly List<CliChildProcess> _processes = [];
    private readonly string _password;

    /// <param name="fixture">The reference grid and its embedded run.</param>
    /// <param name="serverUrl">The PostgreSQL server.</param>
    /// <param name="grid">Another grid to submit instead of the reference one (its name is the sweep id); <see cref="AssertCompleteAndIdentical"/> then does not apply.</param>
    public ClusterRun(ClusterFaultFixture fixture, string serverUrl, (string File, string SweepId)? grid = null)
    {
        _fixture = fixture;
        ServerUrl = serverUrl;
        Schema = PostgresServer.CreateSchema(serverUrl);
        StoreUrl = PostgresServer.SchemaUrl(serverUrl, Schema);
        _password = Uri.UnescapeDataString(new Uri(serverUrl).UserInfo.Split(':', 2) is [_, var p] ? p : string.Empty);
        var submit = CliProcess.Run(TimeSpan.FromMinutes(2), _folder.Path, "submit", grid?.File ?? fixture.GridFile, "--store", StoreUrl);
        Assert.True(submit.ExitCode == 0, "submit failed: " + submit.Stderr);
        SweepId = grid?.SweepId ?? "faults";
        Assert.Equal(SweepId, submit.Stdout.Trim());
        AssertNoPassword(submit.Stdout + submit.Stderr, "submit");
    }

    public string ServerUrl { get; }

    public string Schema { get; }

    public string StoreUrl { get; }

    /// <summary>The sweep this run submitted.</summary>
    public string SweepId { get; }

    /// <summary>Short heartbeats and silence timeouts so that a lost node is noticed within seconds.</summary>
    private Dictionary<string, string?> Environment => new()
    {
        ["SWEEP_STORE"] = StoreUrl,
        ["Sweep__HeartbeatIntervalSeconds"] = "1",
        ["Sweep__ProgressIntervalSeconds"] = "1",
        ["Sweep__RetryBackoffSeconds"] = "0.2",
        ["Sweep__HttpPort"] = "0",
        ["Sweep__UnitSilenceTimeoutSeconds"] = "4",

        // Five processes and PostgreSQL share 2 cores here: a tighter failure detector downs busy, healthy nodes.
        ["Sweep__AcceptableHeartbeatPauseSeconds"] = "6",
    };

    public CliChildProcess StartWorker()
    {
        var p = CliProcess.Start(_folder.Path, Environment, "worker", "--slots", "1", "--exit-when-idle");
        _processes.Add(p);
        return p;
    }

    public CliChildProcess StartCoordinator()
    {
        var p = CliProcess.Start(_folder.Path, Environment, "coordinator", "faults", "--until-done");
        _processes.Add(p);
        return p;
    }

    /// <summary>Any `sweep` process of this run: the run's environment, with <paramref name="extra"/> on top (a test's own topology).</summary>
    public CliChildProcess Start(IReadOnlyDictionary<string, string?> extra, params string[] args)
    {
        ArgumentNullException.ThrowIfNull(extra);
        var environment = Environment;
        foreach (var (name, value) in extra)
        {
            environment[name] = value;
        }

        var p = CliProcess.Start(_folder.Path, environment, args);
        _processes.Add(p);
        return p;
    }

    /// <summary>The usual line-up: one coordinator, then three workers.</summary>
    public (CliChildProcess Coordinator, CliChildProcess[] Workers) StartCluster()
    {
        var coordinator = StartCoordinator();
        return (coordinator, Enumerable.Range(0, 3).Select(_ => StartWorker()).ToArray());
    }

    /// <summary>Every worker ends by itself (--exit-when-idle) with exit code 0 and no password in its output.</summary>
    public void AssertWorkersExit(IEnumerable<CliChildProcess> workers, TimeSpan timeout)
    {
        foreach (var w in workers)
        {
            AssertExits(w, 0, timeout, $"worker {w.Pid}");
        }
    }

    public long Results => PostgresServer.Scalar(ServerUrl, Schema, "SELECT count(*) FROM results");

    public long UnitCount() => PostgresServer.Scalar(ServerUrl, Schema, "SELECT count(*) FROM units");

    public long UnitsNotDone() => PostgresServer.Scalar(ServerUrl, Schema, "SELECT count(*) FROM units WHERE state <> 'done'");

    public long Events(string kind) => PostgresServer.Scalar(ServerUrl, Schema, $"SELECT count(*) FROM events WHERE kind = '{kind}'");

    public void WaitForResults(long atLeast, TimeSpan timeout) =>
        Poll.Until(() => Results >= atLeast, timeout, $"{atLeast} results in the store", interval: TimeSpan.FromMilliseconds(50));

    /// <summary>The process id of a worker that holds a lease now, read from the lease owner (worker-host-pid-suffix).</summary>
    public int? WorkerHoldingALease()
    {
        foreach (string owner in PostgresServer.Strings(ServerUrl, Schema, "SELECT owner FROM units WHERE state = 'leased' AND owner LIKE 'worker-%'"))
        {
            string[] parts = owner.Split('-');
            if (parts.Length >= 3 && int.TryParse(parts[^2], NumberStyles.Integer, CultureInfo.InvariantCulture, out int pid) && _processes.Any(p => p.Pid == pid && !p.HasExited))
            {
                return pid;
            }
        }

        return null;
    }

    public bool HoldsLease(int pid) => PostgresServer.Scalar(ServerUrl, Schema, $"SELECT count(*) FROM units WHERE state = 'leased' AND owner LIKE 'worker-%-{pid}-%'") > 0;

    /// <summary>The cluster address a process reported to the store (null before its first report).</summary>
    public string? MemberAddress(int pid) =>
        PostgresServer.Strings(ServerUrl, Schema, $"SELECT address FROM cluster_members WHERE node_id LIKE '%-{pid}-%' OR node_id LIKE '%-{pid}'").SingleOrDefault();

    /// <summary>`sweep status` on this cluster's store, as a user would run it.</summary>
    public CliProcess.Result Status() => CliProcess.Run(TimeSpan.FromMinutes(1), _folder.Path, "status", SweepId, "--store", StoreUrl);

    public CliChildProcess Process(int pid) => _processes.Single(p => p.Pid == pid);

    public static void Signal(int pid, string signal)
    {
        using var kill = System.Diagnostics.Process.Start("kill", ["-" + signal, pid.ToString(CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>Waits for a process and checks its exit code and that its output never shows the password.</summary>
    public void AssertExits(CliChildProcess process, int code, TimeSpan timeout, string what)
    {
        var result = process.WaitForExit(timeout);
        Assert.True(result.ExitCode == code, $"{what} exited with {result.ExitCode}, expected {code}:\n{result.Stderr}");
        AssertNoPassword(result.Stdout + result.Stderr, what);
    }

    /// <summary>
    /// Every cell has exactly one accepted result, no unit was lost or failed, nothing was non-deterministic,
    /// and the exported cells are byte-identical to the embedded reference run.
    /// </summary>
    public void AssertCompleteAndIdentical()
    {
        long cells = PostgresServer.Scalar(ServerUrl, Schema, "SELECT count(*) FROM sweep_cells WHERE sweep_id = 'faults'");
        Assert.Equal(200, cells);
        Assert.Equal(cells, Results);
        Assert.Equal(0, PostgresServer.Scalar(ServerUrl, Schema, "SELECT count(*) FROM units WHERE state <> 'done'"));
        Assert.Equal(0, PostgresServer.Scalar(ServerUrl, Schema, "SELECT count(*) FROM nondeterminism"));
        var export = CliProcess.Run(TimeSpan.FromMinutes(2), _folder.Path, "export", "faults", "--store", StoreUrl, "--out", _folder["export"]);
        Assert.True(export.ExitCode == 0, export.Stderr);
        byte[] cellsCsv = File.ReadAllBytes(_folder[Path.Combine("export", "cells.csv")]);
        Assert.True(cellsCsv.AsSpan().SequenceEqual(_fixture.ReferenceCells), "cells.csv of the cluster run differs from the embedded run");
    }

    /// <summary>Every cell of the store has exactly one accepted result, every unit is done, nothing was non-deterministic.</summary>
    public void AssertComplete()
    {
        long cells = PostgresServer.Scalar(ServerUrl, Schema, "SELECT count(DISTINCT cell_id) FROM sweep_cells");
        Assert.True(cells > 0, "no cells in the store");
        Assert.Equal(cells, Results);
        Assert.Equal(0, UnitsNotDone());
        Assert.Equal(0, PostgresServer.Scalar(ServerUrl, Schema, "SELECT count(*) FROM nondeterminism"));
    }

    private void AssertNoPassword(string text, string what)
    {
        if (_password.Length > 0)
        {
            Assert.False(text.Contains(_password, StringComparison.Ordinal), $"{what} printed the database password");
        }
    }

    public void Dispose()
    {
        foreach (var p in _processes)
        {
            if (!p.HasExited)
            {
                try
                {
                    Signal(p.Pid, "CONT");
                }
                catch (Xunit.Sdk.XunitException)
                {
                    // already gone
                }
            }

            p.Dispose();
        }

        PostgresServer.DropSchema(ServerUrl, Schema);
        _folder.Dispose();
    }
}
