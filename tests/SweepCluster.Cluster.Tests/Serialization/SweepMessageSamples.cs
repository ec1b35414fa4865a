using Akka.Actor;
using SweepCluster.Cluster.Coordination;
using SweepCluster.Cluster.Protocol;

namespace SweepCluster.Cluster.Tests.Serialization;

/// <summary>
/// One sample of every message type, keyed by type, so a test can ask for each type found by reflection and a
/// new message without a sample fails. Every field has a value other than its default (a bool is true at least
/// once, an optional field is set), so a field lost on the way through the serializer shows.
/// </summary>
internal static class SweepMessageSamples
{
    private static readonly UnitTicket Ticket = new("unit-1", 3);

    /// <summary>A sample per type; the actor reference is what <see cref="RegisterWorker"/> carries.</summary>
    public static readonly IReadOnlyDictionary<Type, Func<IActorRef, ISweepClusterMessage>> Factories = new Dictionary<Type, Func<IActorRef, ISweepClusterMessage>>
    {
        [typeof(RegisterWorker)] = worker => new RegisterWorker("w1", worker, 4),
        [typeof(RequestUnits)] = _ => new RequestUnits("w1", 42, 3, "s"),
        [typeof(ReportUnitsDone)] = _ => new ReportUnitsDone("w1", [Ticket, new UnitTicket("unit-2", 1)]),
        [typeof(ReportUnitCrashed)] = _ => new ReportUnitCrashed("w1", Ticket, "InvalidOperationException: boom"),
        [typeof(ReturnUnits)] = _ => new ReturnUnits("w1", [Ticket], "worker draining"),
        [typeof(WorkerHeartbeat)] = _ => new WorkerHeartbeat("w1", [Ticket], 17),
        [typeof(WatchSweep)] = _ => new WatchSweep("s"),
        [typeof(GetCoordinatorStatus)] = _ => GetCoordinatorStatus.Instance,
        [typeof(WorkerRegistered)] = _ => new WorkerRegistered("w1", "abc123"),
        [typeof(UnitsHandedOutReply)] = _ => new UnitsHandedOutReply("w1", 42, [new UnitAssignment("unit-1", "s", 3, 1e9)], 7),
        [typeof(UnitsDoneAcknowledged)] = _ => new UnitsDoneAcknowledged([Ticket]),
        [typeof(UnitCrashAcknowledged)] = _ => new UnitCrashAcknowledged(Ticket),
        [typeof(UnitsReturnedAcknowledged)] = _ => new UnitsReturnedAcknowledged([Ticket]),
        [typeof(WorkAvailable)] = _ => WorkAvailable.Instance,
        [typeof(SweepWatched)] = _ => new SweepWatched("s", 10, 4, 1, true),
        [typeof(CoordinatorStatus)] = _ => new CoordinatorStatus(
            "akka.tcp://sweep@127.0.0.1:1",
            "abc",
            [new WorkerView("w1", "akka.tcp://sweep@127.0.0.1:2", 2, 1, 9)],
            [new SweepView("s", 10, 3, 2, 4, 1, true), new SweepView("t", 1, 1, 0, 0, 0, false)]),
        [typeof(SweepAccepted)] = _ => new SweepAccepted("s", [new AcceptedUnit("unit-1", 2.5, false, true), new AcceptedUnit("unit-2", double.MaxValue, true, false)]),
        [typeof(UnitsHandedOut)] = _ => new UnitsHandedOut("w1", 42, [Ticket], 1.7e9),
        [typeof(UnitsCompleted)] = _ => new UnitsCompleted("store", [Ticket]),
        [typeof(UnitAttemptFailed)] = _ => new UnitAttemptFailed("w1", Ticket, "boom", 1.7e9 + 4, true),
        [typeof(UnitsReleased)] = _ => new UnitsReleased([Ticket], [new UnitTicket("unit-2", 5)], "left", true, 3.25),
        [typeof(FailedUnitsRequeued)] = _ => new FailedUnitsRequeued("s", ["unit-1", "unit-2"]),
        [typeof(SweepFinished)] = _ => new SweepFinished("s", 1.7e9),
        [typeof(CoordinatorSnapshot)] = _ => new CoordinatorSnapshot(
            [new SweepEntry("s", 10, 4, 1, true)],
            [
                new UnitEntry("unit-1", "s", 2.5, UnitPhase.HandedOut, 3, 1, "w1", 12.25, 13.5, "boom"),
                new UnitEntry("unit-2", "s", 1.5, UnitPhase.Open, 2, 2, null, 0, double.PositiveInfinity, null),
            ],
            [new WorkerRequest("w1", 42, [Ticket])]),
    };

    /// <summary>Every concrete type in the Cluster assembly that claims our serializer through the marker interface.</summary>
    public static IReadOnlyList<Type> MessageTypes() =>
        typeof(ISweepClusterMessage).Assembly.GetTypes()
            .Where(t => typeof(ISweepClusterMessage).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .ToList();

    /// <summary>The sample of a type; a type without one fails by name.</summary>
    public static ISweepClusterMessage For(Type type, IActorRef worker)
    {
        Assert.True(Factories.TryGetValue(type, out var factory), $"{type.Name} has no sample: add one to {nameof(SweepMessageSamples)}.{nameof(Factories)}");
        var sample = factory(worker);
        Assert.IsType(type, sample);
        return sample;
    }

    /// <summary>For theories: the types found by reflection (a type without a sample then fails by name).</summary>
    public static TheoryData<Type> TypesData()
    {
        var data = new TheoryData<Type>();
        foreach (var type in MessageTypes())
        {
            data.Add(type);
        }

        return data;
    }
}
