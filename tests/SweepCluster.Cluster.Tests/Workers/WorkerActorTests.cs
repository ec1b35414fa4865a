using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using SweepCluster.Cluster.Hosting;
using SweepCluster.Cluster.Settings;
using SweepCluster.Cluster.Tests.Support;
using SweepCluster.Cluster.Workers;
using SweepCluster.Model.Configuration;
using SweepCluster.Model.Metrics;
using SweepCluster.Storage;
using SweepCluster.Storage.Sqlite;
using SweepCluster.Sweeps.Cells;
using SweepCluster.Sweeps.Units;

namespace SweepCluster.Cluster.Tests.Workers;

/// <summary>
/// Claim ahead, end to end: real workers (NodeRunner, WorkerActor, ResultWriterActor) on a real SQLite file,
/// with a compute the test holds closed, so what the worker leases, starts, gives back and commits can be read
/// from the store at each step.
/// </summary>
public sealed class WorkerActorTests : IAsyncLifetime, IDisposable
{
    private const string SweepId = "claim-ahead";

    /// <summary>How long a condition may take to come true before the test fails.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a steady state must last: many claim polls and heartbeats, so a worker that would claim or start
    /// more has had every chance to.
    /// </summary>
    private static readonly TimeSpan Steady = TimeSpan.FromMilliseconds(300);

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("SweepCluster.Cluster.Tests-");
    private readonly GatedComputer _computer = new();
    private readonly List<WorkerRun> _runs = [];
    private SqliteSweepStore _store = null!;
    private ClaimGateStore? _claimGate;

    /// <summary>Cell ids of each unit of the submitted sweep.</summary>
    private Dictionary<string, IReadOnlyList<string>> _unitCells = [];

    public async Task InitializeAsync()
    {
        _store = SqliteSweepStore.Open(Path.Combine(_folder.FullName, "sweeps.db"));
        await _store.MigrateAsync();
    }

    /// <summary>Whatever the test left held is let go, and the workers finish, before the store closes.</summary>
    public async Task DisposeAsync()
    {
        if (_claimGate is not null)
        {
            await _claimGate.DisposeAsync();
        }

        _computer.Open();
        foreach (var run in _runs)
        {
            await run.DisposeAsync();
        }

        await _store.DisposeAsync();
    }

    /// <summary>xUnit calls this after <see cref="DisposeAsync"/>, once the store has let go of its file.</summary>
    public void Dispose()
    {
        _computer.Dispose();
        _folder.Delete(recursive: true);
    }

    [Theory]
    [InlineData(2, 3, 5)]
    [InlineData(2, 0, 2)]
    [InlineData(1, 2, 3)]
    public async Task AWorkerLeasesItsSlotsPlusClaimAheadAndStartsOnlyItsSlots(int slots, int claimAhead, int expectedLeased)
    {
        await SubmitAsync(20);

        StartWorker("worker-a", slots, Settings(claimAhead));

        bool Holding(State s) => s.Leased == expectedLeased && s.Pending == 20 - expectedLeased && s.Owners == "worker-a" && s.Started == slots;
        await WaitForAsync(s => s.Leased >= expectedLeased && s.Started >= slots, $"{expectedLeased} leases and {slots} computations");
        await StaysAsync(Holding, $"exactly {expectedLeased} units leased by worker-a and {slots} computing");
    }

    [Fact]
    public async Task AFreedSlotStartsTheNextReadyUnitWithoutWaitingForAClaimAndTheClaimRefillsTheReadyList()
    {
        await SubmitAsync(20);
        _claimGate = new ClaimGateStore(_store);
        StartWorker("worker-a", 2, Settings(claimAhead: 2), store: _claimGate);
        await WaitForAsync(s => s.Leased == 4 && s.Started == 2, "2 computing and 2 ready");

        // From here no claim reaches the store: the third and fourth units can only start from the ready list.
        _claimGate.HoldClaims();
        _computer.Let(1);

        // One freed slot starts a ready unit but does not claim yet: the refill waits for room for a batch.
        await WaitForAsync(s => s.Started == 3 && s.Done == 1, "the next ready unit to start");
        await StaysAsync(s => s.Started == 3 && s.Done == 1 && _claimGate.ClaimsWaiting == 0, "no claim for a single free place in the ready list");

        _computer.Let(1);
        await WaitForAsync(s => s.Started == 4 && s.Done == 2 && _claimGate.ClaimsWaiting == 1, "the last ready unit to start while the refill claim is held");
        Assert.Equal(1, _claimGate.Claims);

        // The claim that refills the ready list tops the worker up to slots + claim ahead again, in one batch.
        _claimGate.ReleaseClaims();
        await WaitForAsync(s => s.Leased == 4 && s.Pending == 14, "the ready list refilled");
        await StaysAsync(s => s.Leased == 4 && s.Pending == 14 && s.Done == 2 && s.Started == 4 && s.Claimed == 6, "2 computing, 2 ready, 2 done");
        Assert.Equal(2, _claimGate.Claims);
    }

    [Fact]
    public async Task DrainingGivesTheReadyUnitsBackAtOnceAndCommitsTheComputingOnes()
    {
        await SubmitAsync(20);
        var settings = Settings(claimAhead: 3);
        var a = StartWorker("worker-a", 2, settings);
        var leased = await WaitForAsync(s => s.Leased == 5 && s.Started == 2, "2 computing and 3 ready");
        var computing = UnitsOf(_computer.StartedCells);
        var ready = leased.LeasedUnits.Except(computing).ToHashSet();
        Assert.Equal(2, computing.Count);
        Assert.Equal(3, ready.Count);

        a.Drain();

        // With the gate still closed: the unstarted units are pending again, the computing ones still leased.
        await WaitForAsync(s => s.Pending == 18 && s.Leased == 2, "the 3 ready units back to pending before the gate opens");
        var units = await _store.GetUnitsAsync(SweepId);
        Assert.All(units.Where(u => ready.Contains(u.UnitId)), u =>
        {
            Assert.Equal(UnitStates.Pending, u.State);
            Assert.Null(u.Owner);
            Assert.Null(u.LastError);
        });
        var returnedUnits = (await _store.GetEventsAsync(SweepId)).Where(e => e.Kind == JournalEventKinds.UnitReleased && e.Detail == "unstarted: worker draining").Select(e => e.UnitId!);
        Assert.Equal(ready.Order(StringComparer.Ordinal), returnedUnits.Order(StringComparer.Ordinal));
        Assert.All(units.Where(u => computing.Contains(u.UnitId)), u => Assert.Equal((UnitStates.Leased, "worker-a"), (u.State, u.Owner)));
        Assert.False(a.Completion.IsCompleted, "the worker stopped before its computing units were committed");
        Assert.Equal(2, _computer.UnitsStarted);

        _computer.Open();
        Assert.Equal(2, await a.FinishAsync());

        var after = await StateAsync();
        Assert.Equal((18, 0, 2, 0), (after.Pending, after.Leased, after.Done, after.Failed));
        Assert.Equal(computing.Order(StringComparer.Ordinal), after.DoneUnits);
        Assert.Equal(2, _computer.UnitsStarted);

        // Nothing was lost or kept: a second worker finishes the rest, and no cell is computed twice.
        var b = StartWorker("worker-b", 2, settings, exitWhenIdle: true);
        Assert.Equal(18, await b.FinishAsync());
        await AssertEveryCellComputedOnceAsync();
    }

    [Fact]
    public async Task UnitsOfAClaimStillOnItsWayWhenTheDrainBeginsAreGivenBackToo()
    {
        await SubmitAsync(20);
        _claimGate = new ClaimGateStore(_store);
        var a = StartWorker("worker-a", 2, Settings(claimAhead: 2), store: _claimGate);
        await WaitForAsync(s => s.Leased == 4 && s.Started == 2, "2 computing and 2 ready");
        _claimGate.HoldClaims();
        _computer.Let(2);
        await WaitForAsync(s => s.Started == 4 && s.Done == 2 && _claimGate.ClaimsWaiting == 1, "a refill claim on its way");

        a.Drain();
        await StaysAsync(s => s.Pending == 16 && s.Leased == 2 && s.Released == 0, "nothing queued to give back yet");
        _claimGate.ReleaseClaims();

        // The claim lands after the drain began: what it brings goes straight back instead of waiting or starting.
        await WaitForAsync(s => s.Claimed == 6 && s.Released == 2, "the late claim given back");
        await StaysAsync(s => s.Pending == 16 && s.Leased == 2 && s.Started == 4 && s.Claimed == 6 && s.Released == 2, "the late claim's units pending, only the computing units leased");
        var returned = (await _store.GetEventsAsync(SweepId)).Where(e => e.Kind == JournalEventKinds.UnitReleased).ToList();
        Assert.All(returned, e => Assert.Equal("unstarted: worker draining", e.Detail));
        Assert.DoesNotContain(returned, e => UnitsOf(_computer.StartedCells).Contains(e.UnitId!));
        Assert.False(a.Completion.IsCompleted, "the worker stopped before its computing units were committed");

        _computer.Open();
        Assert.Equal(4, await a.FinishAsync());
        var after = await StateAsync();
        Assert.Equal((16, 0, 4, 0, 4), (after.Pending, after.Leased, after.Done, after.Failed, after.Started));
    }

    [Fact]
    public async Task ARunToCompletionComputesEveryUnitExactlyOnce()
    {
        await SubmitAsync(20);
        _computer.Open();

        var a = StartWorker("worker-a", 2, Settings(claimAhead: 2), exitWhenIdle: true);

        Assert.Equal(20, await a.FinishAsync());
        await AssertEveryCellComputedOnceAsync();
        Assert.All(await _store.GetUnitsAsync(SweepId), u => Assert.Equal((UnitStates.Done, "worker-a", 1), (u.State, u.Owner, u.Attempts)));
    }

    [Fact]
    public async Task AReadyUnitWhoseLeaseIsLostIsDroppedWithoutBeingComputed()
    {
        await SubmitAsync(2);
        var metrics = new NodeMetrics();
        var a = StartWorker("worker-a", 1, Settings(claimAhead: 1), exitWhenIdle: true, metrics: metrics);
        var leased = await WaitForAsync(s => s.Leased == 2 && s.Started == 1, "1 computing and 1 ready");
        string computing = Assert.Single(UnitsOf(_computer.StartedCells));
        string ready = Assert.Single(leased.LeasedUnits, u => u != computing);

        // Another node takes the ready unit over, as after its lease expired: new owner, next attempt.
        int thiefAttempt = await TakeOverAsync(ready, "worker-a", "thief");
        await WaitForAsync(_ => Gauge(metrics, "sweep_leases_lost_total") == 1 && Gauge(metrics, "sweep_units_in_flight") == 1, "the heartbeat to report the lease lost");

        // The slot frees; the lost unit must not take it.
        _computer.Open();
        await WaitForAsync(s => s.Done == 1, "the computing unit to commit");
        await StaysAsync(s => s.Started == 1 && s.Done == 1 && s.Leased == 1 && s.Owners == "thief", "the lost unit left to its new owner");

        var outcome = await _store.CompleteAsync(new UnitLease(ready, "thief", thiefAttempt), _unitCells[ready].Select(Result).ToList());
        Assert.Equal(CompletionStatus.Completed, outcome.Status);
        Assert.Equal(1, await a.FinishAsync());
        Assert.Equal(_unitCells[computing].Order(StringComparer.Ordinal), _computer.ComputedCells.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(await _store.GetEventsAsync(SweepId), e => e.Kind == JournalEventKinds.UnitDuplicate);
    }

    [Fact]
    public async Task ALeaseLostWhileItsUnitComputesIsReportedOnceAndTheLateResultIsOnlyCompared()
    {
        await SubmitAsync(1);
        var metrics = new NodeMetrics();
        var a = StartWorker("worker-a", 1, Settings(claimAhead: 0), exitWhenIdle: true, metrics: metrics);
        await WaitForAsync(s => s.Leased == 1 && s.Started == 1, "the unit computing");
        string unit = Assert.Single(UnitsOf(_computer.StartedCells));

        int thiefAttempt = await TakeOverAsync(unit, "worker-a", "thief");
        await WaitForAsync(_ => Gauge(metrics, "sweep_leases_lost_total") == 1, "the heartbeat to report the lease lost");

        // Many heartbeats later (50 ms apart) it is still one lost lease, and the unit is still held until it is computed.
        await StaysAsync(_ => Gauge(metrics, "sweep_leases_lost_total") == 1 && Gauge(metrics, "sweep_units_in_flight") == 1, "the loss reported once");

        Assert.Equal(CompletionStatus.Completed, (await _store.CompleteAsync(new UnitLease(unit, "thief", thiefAttempt), _unitCells[unit].Select(Result).ToList())).Status);
        _computer.Open();
        // The late result is still committed, as a duplicate that is compared with the thief's.
        Assert.Equal(1, await a.FinishAsync());
        Assert.Contains(await _store.GetEventsAsync(SweepId), e => e.Kind == JournalEventKinds.UnitDuplicate && e.NodeId == "worker-a");
        Assert.Equal(1, Gauge(metrics, "sweep_leases_lost_total"));
    }

    private static ClusterSettings Settings(int claimAhead)
    {
        var settings = new ClusterSettings
        {
            ClaimAhead = claimAhead,
            ClaimBatch = 8,
            LeaseDuration = TimeSpan.FromSeconds(10),
            HeartbeatInterval = TimeSpan.FromMilliseconds(50),
            PollInterval = TimeSpan.FromMilliseconds(20),
            RetryBackoff = TimeSpan.FromMilliseconds(50),
        };
        Assert.Empty(settings.Validate());
        return settings;
    }

    private static StoredResult Result(string cellId) => new(cellId, ResultStatus.Ok, MetricsJson.Write(new CellMetrics()), null, 0.001);

    /// <summary>A gauge or counter of <paramref name="metrics"/> as /metrics shows it.</summary>
    private static double Gauge(NodeMetrics metrics, string name)
    {
        string line = metrics.ToPrometheusText().Split('\n').Single(l => l.StartsWith(name + " ", StringComparison.Ordinal));
        return double.Parse(line[(name.Length + 1)..], CultureInfo.InvariantCulture);
    }

    /// <summary>Submits a sweep of <paramref name="units"/> units of two cells each (one seed, two ridges), all of equal cost.</summary>
    private async Task SubmitAsync(int units)
    {
        var groups = Enumerable.Range(0, units)
            .Select(seed => new[] { 1e-4, 1e-3 }.Select(c => CellParameters.Simulation(new ModelConfig { D = 4, N = 8, C = c }, seed)).ToList())
            .ToList();
        var cells = groups.SelectMany(g => g).ToList();
        string text = $"name: {SweepId}\ncells: {string.Join(",", cells.Select(c => c.Id))}\n";
        var sweep = new SweepDefinition(SweepId, CellParameters.Hash(text), text, cells, new Dictionary<string, string>());
        var plan = groups.Select(g =>
        {
            var ids = g.Select(c => c.Id).Order(StringComparer.Ordinal).ToList();
            return new UnitDefinition(CellParameters.Hash($"{SweepId}|{g[0].GroupKey}|{string.Join(",", ids)}"), SweepId, UnitKind.Simulation, g[0].GroupKey, ids, 1.0);
        }).ToList();

        var outcome = await _store.SubmitAsync(sweep, plan);
        Assert.Equal(units, outcome.NewUnits);
        _unitCells = plan.ToDictionary(u => u.Id, u => u.CellIds);
    }

    private WorkerRun StartWorker(string nodeId, int slots, ClusterSettings settings, bool exitWhenIdle = false, ISweepStore? store = null, NodeMetrics? metrics = null)
    {
        var run = new WorkerRun(store ?? _store, _computer, new WorkerOptions(nodeId, slots, SweepId, exitWhenIdle), settings, metrics);
        _runs.Add(run);
        return run;
    }

    /// <summary>The units whose cells are among <paramref name="cellIds"/>.</summary>
    private HashSet<string> UnitsOf(IEnumerable<string> cellIds)
    {
        var cells = cellIds.ToHashSet(StringComparer.Ordinal);
        return _unitCells.Where(p => p.Value.Any(cells.Contains)).Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
    }

    private async Task AssertEveryCellComputedOnceAsync()
    {
        var progress = await _store.GetProgressAsync(SweepId);
        Assert.Equal((0, 0, _unitCells.Count, 0), (progress.UnitsPending, progress.UnitsLeased, progress.UnitsDone, progress.UnitsFailed));

        var sweepCells = _unitCells.Values.SelectMany(c => c).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(sweepCells, _computer.ComputedCells.Order(StringComparer.Ordinal));
        Assert.Equal(sweepCells, _computer.StartedCells.Order(StringComparer.Ordinal));

        var stored = await _store.GetCellsAsync(SweepId);
        Assert.Equal(sweepCells, stored.Select(c => c.Cell.Id));
        Assert.All(stored, c => Assert.Equal(ResultStatus.Ok, Assert.IsType<StoredResult>(c.Result).Status));
        Assert.Empty(await _store.GetNonDeterminismAsync(SweepId));
        Assert.DoesNotContain(await _store.GetEventsAsync(SweepId), e => e.Kind == JournalEventKinds.UnitDuplicate);
    }

    /// <summary>Moves the lease of <paramref name="unitId"/> to <paramref name="newOwner"/> as a claim of an expired lease would; returns the new attempt.</summary>
    private async Task<int> TakeOverAsync(string unitId, string owner, string newOwner)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _store.FullPath, Pooling = false, DefaultTimeout = 10 }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE units SET owner = $newOwner, attempts = attempts + 1
            WHERE id = $id AND state = 'leased' AND owner = $owner
            RETURNING attempts
            """;
        command.Parameters.AddWithValue("$id", unitId);
        command.Parameters.AddWithValue("$owner", owner);
        command.Parameters.AddWithValue("$newOwner", newOwner);
        object? attempt = await command.ExecuteScalarAsync();
        Assert.NotNull(attempt);
        return Convert.ToInt32(attempt, CultureInfo.InvariantCulture);
    }

    private async Task<State> StateAsync()
    {
        var units = await _store.GetUnitsAsync(SweepId);
        var events = await _store.GetEventsAsync(SweepId);
        int Count(string state) => units.Count(u => u.State == state);
        var leased = units.Where(u => u.State == UnitStates.Leased).ToList();
        return new State(
            Count(UnitStates.Pending),
            Count(UnitStates.Leased),
            Count(UnitStates.Done),
            Count(UnitStates.Failed),
            string.Join(",", leased.Select(u => u.Owner).Distinct().Order(StringComparer.Ordinal)),
            _computer.UnitsStarted,
            events.Count(e => e.Kind == JournalEventKinds.UnitClaimed),
            events.Count(e => e.Kind == JournalEventKinds.UnitReleased),
            leased.Select(u => u.UnitId).Order(StringComparer.Ordinal).ToList(),
            units.Where(u => u.State == UnitStates.Done).Select(u => u.UnitId).Order(StringComparer.Ordinal).ToList());
    }

    /// <summary>Polls the store until <paramref name="condition"/> holds; fails after <see cref="Timeout"/> with the last state seen.</summary>
    private async Task<State> WaitForAsync(Func<State, bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var state = await StateAsync();
            if (condition(state))
            {
                return state;
            }

            if (clock.Elapsed > Timeout)
            {
                Assert.Fail($"timed out after {Timeout.TotalSeconds} s waiting for {what}; last seen {state}");
            }

            await Task.Delay(10);
        }
    }

    /// <summary>Checks that <paramref name="condition"/> holds now and keeps holding for <see cref="Steady"/>.</summary>
    private async Task StaysAsync(Func<State, bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        do
        {
            var state = await StateAsync();
            Assert.True(condition(state), $"expected {what} after {clock.ElapsedMilliseconds} ms; saw {state}");
            await Task.Delay(10);
        }
        while (clock.Elapsed < Steady);
    }

    /// <summary>
    /// What the store and the compute show: units by state, the distinct owners of the leased units, computations
    /// started, and the claims and releases in the journal.
    /// </summary>
    private sealed record State(int Pending, int Leased, int Done, int Failed, string Owners, int Started, int Claimed, int Released, IReadOnlyList<string> LeasedUnits, IReadOnlyList<string> DoneUnits)
    {
        public override string ToString() =>
            $"pending={Pending} leased={Leased} done={Done} failed={Failed} owners=[{Owners}] started={Started} claimed={Claimed} released={Released}";
    }

    /// <summary>One worker process: NodeRunner.RunWorkerAsync on the thread pool, with its own drain token.</summary>
    private sealed class WorkerRun : IAsyncDisposable
    {
        private readonly CancellationTokenSource _drain = new();

        public WorkerRun(ISweepStore store, GatedComputer computer, WorkerOptions options, ClusterSettings settings, NodeMetrics? metrics)
        {
            var token = _drain.Token;
            Completion = Task.Run(() => NodeRunner.RunWorkerAsync(store, _ => computer, options, settings, Serilog.Core.Logger.None, token, metrics));
        }

        public Task<int> Completion { get; }

        /// <summary>What SIGTERM does: stop claiming, give back, finish what computes.</summary>
        public void Drain() => _drain.Cancel();

        /// <summary>The units the worker committed, once it stops by itself or after <see cref="Drain"/>.</summary>
        public Task<int> FinishAsync() => Completion.WaitAsync(Timeout);

        public async ValueTask DisposeAsync()
        {
            await _drain.CancelAsync();
            await Task.WhenAny(Completion, Task.Delay(Timeout));
            _drain.Dispose();
        }
    }
}
