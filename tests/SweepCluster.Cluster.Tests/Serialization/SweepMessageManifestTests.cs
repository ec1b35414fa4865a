using SweepCluster.Cluster.Coordination;
using SweepCluster.Cluster.Protocol;
using SweepCluster.Cluster.Serialization;

namespace SweepCluster.Cluster.Tests.Serialization;

/// <summary>
/// The manifests are part of the stored and wire format: journals hold them next to every event, and nodes of two
/// versions exchange them. They are pinned here as literals, so renaming one fails a test instead of old journals.
/// </summary>
public sealed class SweepMessageManifestTests(SerializerFixture fixture) : IClassFixture<SerializerFixture>
{
    /// <summary>Each message type and its manifest, as written today. Add rows for new types; never edit one.</summary>
    private static readonly IReadOnlyDictionary<Type, string> Pinned = new Dictionary<Type, string>
    {
        [typeof(RegisterWorker)] = "register-worker",
        [typeof(RequestUnits)] = "request-units",
        [typeof(ReportUnitsDone)] = "units-done",
        [typeof(ReportUnitCrashed)] = "unit-crashed",
        [typeof(ReturnUnits)] = "return-units",
        [typeof(WorkerHeartbeat)] = "worker-heartbeat",
        [typeof(WatchSweep)] = "watch-sweep",
        [typeof(GetCoordinatorStatus)] = "get-status",
        [typeof(WorkerRegistered)] = "worker-registered",
        [typeof(UnitsHandedOutReply)] = "handed-out-reply",
        [typeof(UnitsDoneAcknowledged)] = "units-done-ack",
        [typeof(UnitCrashAcknowledged)] = "unit-crashed-ack",
        [typeof(UnitsReturnedAcknowledged)] = "units-returned-ack",
        [typeof(WorkAvailable)] = "work-available",
        [typeof(SweepWatched)] = "sweep-watched",
        [typeof(CoordinatorStatus)] = "status",
        [typeof(SweepAccepted)] = "ev-sweep-accepted",
        [typeof(UnitsHandedOut)] = "ev-handed-out",
        [typeof(UnitsCompleted)] = "ev-completed",
        [typeof(UnitAttemptFailed)] = "ev-attempt-failed",
        [typeof(UnitsReleased)] = "ev-released",
        [typeof(FailedUnitsRequeued)] = "ev-requeued",
        [typeof(SweepFinished)] = "ev-sweep-finished",
        [typeof(CoordinatorSnapshot)] = "snapshot",
    };

    public static TheoryData<Type> MessageTypes => SweepMessageSamples.TypesData();

    [Theory]
    [MemberData(nameof(MessageTypes))]
    public void AMessageIsWrittenAndReadUnderItsPinnedManifest(Type type)
    {
        Assert.True(Pinned.TryGetValue(type, out string? manifest), $"{type.Name} has no pinned manifest: add it to {nameof(Pinned)}");
        var sample = SweepMessageSamples.For(type, fixture.Worker);

        Assert.Equal(manifest, fixture.Serializer.Manifest(sample));
        Assert.IsType(type, fixture.Serializer.FromBinary(fixture.Serializer.ToBinary(sample), manifest));
    }

    [Theory]
    [MemberData(nameof(MessageTypes))]
    public void AMessageRoundTripsToAnEqualMessage(Type type)
    {
        var sample = SweepMessageSamples.For(type, fixture.Worker);

        byte[] bytes = fixture.Serializer.ToBinary(sample);
        object back = fixture.Serializer.FromBinary(bytes, fixture.Serializer.Manifest(sample));

        AssertSameMessage(sample, back);
        Assert.Equal(bytes, fixture.Serializer.ToBinary(back));
    }

    [Fact]
    public void ThePinnedTableTheSamplesAndTheSerializerCoverExactlyTheMessageTypes()
    {
        var types = SweepMessageSamples.MessageTypes();
        Assert.NotEmpty(types);
        Assert.Equal(types, Pinned.Keys.OrderBy(t => t.FullName, StringComparer.Ordinal));
        Assert.Equal(types, SweepMessageSamples.Factories.Keys.OrderBy(t => t.FullName, StringComparer.Ordinal));
        Assert.Equal(types, SweepMessageSerializer.Manifests.Keys.OrderBy(t => t.FullName, StringComparer.Ordinal));
        Assert.Equal(Pinned.Count, Pinned.Values.Distinct(StringComparer.Ordinal).Count());
    }

    /// <summary>
    /// Same type and same values: records compare by value unless they hold lists, which are compared member by
    /// member (actor references only ever sit in list-free records, where they compare by path and uid).
    /// </summary>
    internal static void AssertSameMessage(object expected, object actual)
    {
        Assert.IsType(expected.GetType(), actual);
        if (!expected.Equals(actual))
        {
            Assert.Equivalent(expected, actual, strict: true);
        }
    }
}
