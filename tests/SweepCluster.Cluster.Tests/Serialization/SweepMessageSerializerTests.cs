using Akka.Actor;
using Akka.TestKit.Xunit2;
using SweepCluster.Cluster.Coordination;
using SweepCluster.Cluster.Protocol;
using SweepCluster.Cluster.Serialization;

namespace SweepCluster.Cluster.Tests.Serialization;

/// <summary>Every message that crosses the network or lands in the journal survives our serializer.</summary>
public sealed class SweepMessageSerializerTests : TestKit
{
    private static readonly UnitTicket Ticket = new("unit-1", 3);

    private IEnumerable<ISweepClusterMessage> Samples()
    {
        var unit = new UnitEntry("unit-1", "s", 2.5, UnitPhase.HandedOut, 3, 1, "w1", 12.25, 13.5, "boom");
        yield return new RegisterWorker("w1", TestActor, 4);
        yield return new RequestUnits("w1", 42, 3);
        yield return new ReportUnitsDone("w1", [Ticket, new UnitTicket("unit-2", 1)]);
        yield return new ReportUnitCrashed("w1", Ticket, "InvalidOperationException: boom");
        yield return new ReturnUnits("w1", [Ticket], "worker draining");
        yield return new WorkerHeartbeat("w1", [Ticket], 17);
        yield return new WatchSweep("s");
        yield return GetCoordinatorStatus.Instance;
        yield return new WorkerRegistered("w1", "abc123");
        yield return new UnitsHandedOutReply("w1", 42, [new UnitAssignment("unit-1", "s", 3, 1e9)], 7);
        yield return new UnitsDoneAcknowledged([Ticket]);
        yield return new UnitCrashAcknowledged(Ticket);
        yield return new UnitsReturnedAcknowledged([Ticket]);
        yield return WorkAvailable.Instance;
        yield return new SweepWatched("s", 10, 4, 1, false);
        yield return new CoordinatorStatus("akka.tcp://sweep@127.0.0.1:1", "abc", [new WorkerView("w1", "akka.tcp://sweep@127.0.0.1:2", 2, 1, 9)], [new SweepView("s", 10, 3, 2, 4, 1, false)]);
        yield return new SweepAccepted("s", [new AcceptedUnit("unit-1", 2.5, false, true), new AcceptedUnit("unit-2", double.MaxValue, true, false)]);
        yield return new UnitsHandedOut("w1", 42, [Ticket], 1.7e9);
        yield return new UnitsCompleted("store", [Ticket]);
        yield return new UnitAttemptFailed("w1", Ticket, "boom", 1.7e9 + 4, true);
        yield return new UnitsReleased([Ticket], [new UnitTicket("unit-2", 5)], "left", true, 3.25);
        yield return new FailedUnitsRequeued("s", ["unit-1", "unit-2"]);
        yield return new SweepFinished("s", 1.7e9);
        yield return new CoordinatorSnapshot([new SweepEntry("s", 10, 4, 1, true)], [unit], [new WorkerRequest("w1", 42, [Ticket])]);
    }

    [Fact]
    public void EveryMessageRoundTripsToTheSameBytesAndType()
    {
        var serializer = new SweepMessageSerializer((ExtendedActorSystem)Sys);
        foreach (var message in Samples())
        {
            byte[] bytes = serializer.ToBinary(message);
            object back = serializer.FromBinary(bytes, serializer.Manifest(message));
            Assert.IsType(message.GetType(), back);
            Assert.Equal(bytes, serializer.ToBinary(back));
        }
    }

    [Fact]
    public void EveryMessageTypeHasAManifestAndASample()
    {
        var types = typeof(ISweepClusterMessage).Assembly.GetTypes()
            .Where(t => typeof(ISweepClusterMessage).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
            .ToHashSet();
        Assert.Equal(types.OrderBy(t => t.FullName), SweepMessageSerializer.Manifests.Keys.OrderBy(t => t.FullName));
        Assert.Equal(types.OrderBy(t => t.FullName), Samples().Select(s => s.GetType()).Distinct().OrderBy(t => t.FullName));
        Assert.Equal(SweepMessageSerializer.Manifests.Count, SweepMessageSerializer.Manifests.Values.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void AnActorReferenceResolvesToTheSameActor()
    {
        var serializer = new SweepMessageSerializer((ExtendedActorSystem)Sys);
        var register = new RegisterWorker("w1", TestActor, 2);
        var back = (RegisterWorker)serializer.FromBinary(serializer.ToBinary(register), serializer.Manifest(register));
        Assert.Equal(TestActor, back.Worker);
        back.Worker.Tell("hello");
        ExpectMsg("hello");
    }

    [Fact]
    public void AnUnknownManifestIsRefusedByName()
    {
        var serializer = new SweepMessageSerializer((ExtendedActorSystem)Sys);
        var e = Assert.Throws<System.Runtime.Serialization.SerializationException>(() => serializer.FromBinary([], "from-the-future"));
        Assert.Contains("from-the-future", e.Message, StringComparison.Ordinal);
    }
}
