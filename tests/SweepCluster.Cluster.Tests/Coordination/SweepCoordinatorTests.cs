using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit.Xunit2;
using SweepCluster.Cluster.Coordination;
using SweepCluster.Cluster.Protocol;
using SweepCluster.Cluster.Settings;
using SweepCluster.Model.Configuration;
using SweepCluster.Storage;
using SweepCluster.Storage.Sqlite;
using SweepCluster.Sweeps.Cells;
using SweepCluster.Sweeps.Units;

namespace SweepCluster.Cluster.Tests.Coordination;

/// <summary>
/// The coordinator actor with Akka.TestKit: the test actor plays the workers, a real SQLite store holds the
/// sweep, the journal is Akka's in-memory one, and every message is serialized through our serializer.
/// </summary>
public sealed class SweepCoordinatorTests : TestKit, IAsyncLifetime
{
    private const string SweepId = "s";

    private static readonly Config TestConfig = ConfigurationFactory.ParseString("""
        akka.actor.serialize-messages = on
        akka.actor.serializers.sweep = "SweepCluster.Cluster.Serialization.SweepMessageSerializer, SweepCluster.Cluster"
        akka.actor.serialization-bindings."SweepCluster.Cluster.Protocol.ISweepClusterMessage, SweepCluster.Cluster" = sweep
        akka.actor.serialization-identifiers."SweepCluster.Cluster.Serialization.SweepMessageSerializer, SweepCluster.Cluster" = 7301
        akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        akka.test.timefactor = 3
        """);

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("sweep-coordinator-");
    private readonly ClusterSettings _settings = new() { MaxAttempts = 2, RetryBackoff = TimeSpan.FromMilliseconds(1), RetryBackoffCap = TimeSpan.FromMilliseconds(1) };
    private SqliteSweepStore _store = null!;
    private IReadOnlyList<UnitDefinition> _units = [];

    public SweepCoordinatorTests()
        : base(TestConfig)
    {
    }

    public async Task InitializeAsync()
    {
        _store = SqliteSweepStore.Open(Path.Combine(_folder.FullName, "sweeps.db"));
        await _store.MigrateAsync();
        _units = await SubmitAsync(_store, 5);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        _folder.Delete(recursive: true);
    }

    [Fact]
    public async Task HandsOutTheMostExpensiveUnitsFirstAndRecoversHandOutsAndCompletionsFromItsJournal()
    {
        var coordinator = await StartCoordinatorAsync();
        Register(coordinator, "w1", TestActor);

        var first = Request(coordinator, "w1", 1, 2);
        Assert.Equal(_units.OrderByDescending(u => u.Cost).Take(2).Select(u => u.Id), first.Units.Select(u => u.UnitId));
        Assert.All(first.Units, u => Assert.Equal(1, u.Attempt));
        coordinator.Tell(new ReportUnitsDone("w1", [first.Units[0].Ticket]));
        FishForMessage<UnitsDoneAcknowledged>(_ => true);

        // A probe of its own: the test actor, as a registered worker, may be told WorkAvailable at any moment.
        var watcher = CreateTestProbe();
        watcher.Watch(coordinator);
        Sys.Stop(coordinator);
        watcher.ExpectTerminated(coordinator);
        var recovered = Sys.ActorOf(SweepCoordinator.Props(_store, _settings, Serilog.Core.Logger.None));

        // The repeated request gets the unit still held, not new ones; the completion survived.
        var repeated = Request(recovered, "w1", 1, 2);
        Assert.Equal([first.Units[1].UnitId], repeated.Units.Select(u => u.UnitId));
        var status = await recovered.Ask<CoordinatorStatus>(GetCoordinatorStatus.Instance, TimeSpan.FromSeconds(10));
        var sweep = Assert.Single(status.Sweeps);
        Assert.Equal((5, 1, 1, 3), (sweep.UnitsTotal, sweep.UnitsDone, sweep.UnitsHandedOut, sweep.UnitsOpen));
    }

    [Fact]
    public async Task AWorkerThatStopsLosesItsUnitsToTheOthersUnderTheNextAttempt()
    {
        var coordinator = await StartCoordinatorAsync();
        var doomed = CreateTestProbe();
        Register(coordinator, "w1", doomed.Ref, doomed);
        coordinator.Tell(new RequestUnits("w1", 1, 2), doomed.Ref);
        var lost = doomed.FishForMessage<UnitsHandedOutReply>(_ => true);
        Assert.Equal(2, lost.Units.Count);

        Sys.Stop(doomed.Ref);
        Register(coordinator, "w2", TestActor);
        await AwaitAssertAsync(() =>
        {
            var again = Request(coordinator, "w2", Interlocked.Increment(ref _request), 5);
            Assert.Subset(again.Units.Select(u => u.UnitId).ToHashSet(), lost.Units.Select(u => u.UnitId).ToHashSet());
            Assert.All(again.Units.Where(u => lost.Units.Any(l => l.UnitId == u.UnitId)), u => Assert.Equal(2, u.Attempt));
        }, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task AUnitThatKeepsCrashingFailsForGoodInTheStoreAndAStaleReportChangesNothing()
    {
        var coordinator = await StartCoordinatorAsync();
        Register(coordinator, "w1", TestActor);
        string unitId = _units.OrderByDescending(u => u.Cost).First().Id;
        for (int attempt = 1; attempt <= _settings.MaxAttempts; attempt++)
        {
            var reply = Request(coordinator, "w1", 10 + attempt, 1);
            var ticket = Assert.Single(reply.Units).Ticket;
            Assert.Equal((unitId, attempt), (ticket.UnitId, ticket.Attempt));

            // A report under an older attempt is acknowledged and ignored.
            coordinator.Tell(new ReportUnitCrashed("w1", ticket with { Attempt = attempt - 1 }, "stale"));
            FishForMessage<UnitCrashAcknowledged>(_ => true);
            coordinator.Tell(new ReportUnitCrashed("w1", ticket, "boom"));
            FishForMessage<UnitCrashAcknowledged>(_ => true);
            await Task.Delay(20);
        }

        await AwaitAssertAsync(async () =>
        {
            var unit = (await _store.GetUnitsAsync(SweepId)).Single(u => u.UnitId == unitId);
            Assert.Equal(UnitStates.Failed, unit.State);
            Assert.Equal("boom", unit.LastError);
        }, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));
        Assert.DoesNotContain(Request(coordinator, "w1", 99, 5).Units, u => u.UnitId == unitId);
    }

    private long _request = 100;

    private async Task<IActorRef> StartCoordinatorAsync()
    {
        var coordinator = Sys.ActorOf(SweepCoordinator.Props(_store, _settings, Serilog.Core.Logger.None));
        await AwaitAssertAsync(async () =>
        {
            var status = await coordinator.Ask<CoordinatorStatus>(GetCoordinatorStatus.Instance, TimeSpan.FromSeconds(5));
            Assert.Equal(5, Assert.Single(status.Sweeps).UnitsTotal);
        }, TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(100));
        return coordinator;
    }

    private void Register(IActorRef coordinator, string nodeId, IActorRef worker, Akka.TestKit.TestProbe? probe = null)
    {
        coordinator.Tell(new RegisterWorker(nodeId, worker, 2), worker);
        if (probe is null)
        {
            FishForMessage<WorkerRegistered>(_ => true);
        }
        else
        {
            probe.FishForMessage<WorkerRegistered>(_ => true);
        }
    }

    private UnitsHandedOutReply Request(IActorRef coordinator, string nodeId, long requestId, int count)
    {
        coordinator.Tell(new RequestUnits(nodeId, requestId, count));
        return FishForMessage<UnitsHandedOutReply>(r => r.RequestId == requestId);
    }

    /// <summary>A sweep of <paramref name="units"/> one-cell units whose costs are 1, 2, ... (so the hand-out order is known).</summary>
    private static async Task<IReadOnlyList<UnitDefinition>> SubmitAsync(SqliteSweepStore store, int units)
    {
        var cells = Enumerable.Range(0, units).Select(seed => CellParameters.Simulation(new ModelConfig { D = 4, N = 8, C = 1e-3 }, seed)).ToList();
        string text = $"name: {SweepId}\ncells: {string.Join(",", cells.Select(c => c.Id))}\n";
        var sweep = new SweepDefinition(SweepId, CellParameters.Hash(text), text, cells, new Dictionary<string, string>());
        var plan = cells.Select((c, i) => new UnitDefinition(CellParameters.Hash($"{SweepId}|{c.Id}"), SweepId, UnitKind.Simulation, c.GroupKey, [c.Id], i + 1.0)).ToList();
        await store.SubmitAsync(sweep, plan);
        return plan;
    }
}
