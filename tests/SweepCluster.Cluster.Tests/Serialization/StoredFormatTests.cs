using System.Text;
using SweepCluster.Cluster.Coordination;
using SweepCluster.Cluster.Protocol;
using SweepCluster.Cluster.Serialization;

namespace SweepCluster.Cluster.Tests.Serialization;

/// <summary>
/// Journals written today stay readable: each persisted event and the snapshot, as the serializer stores them now
/// (the JSON text below was produced by it and pasted here), still read back into the same object. Renaming a field,
/// a manifest or an enum value, or changing how numbers are written, breaks a test here before it breaks a journal.
/// </summary>
public sealed class StoredFormatTests(SerializerFixture fixture) : IClassFixture<SerializerFixture>
{
    /// <summary>What a journal row holds: serializer id, manifest, payload; and the object it must read back as.</summary>
    private static readonly IReadOnlyDictionary<Type, (string Manifest, string Json, object Expected)> Stored = new Dictionary<Type, (string, string, object)>
    {
        [typeof(SweepAccepted)] = (
            "ev-sweep-accepted",
            """{"SweepId":"s","Units":[{"UnitId":"unit-1","Cost":2.5,"Done":false,"Failed":true},{"UnitId":"unit-2","Cost":1.7976931348623157E+308,"Done":true,"Failed":false}]}""",
            new SweepAccepted("s", [new AcceptedUnit("unit-1", 2.5, false, true), new AcceptedUnit("unit-2", double.MaxValue, true, false)])),
        [typeof(UnitsHandedOut)] = (
            "ev-handed-out",
            """{"NodeId":"w1","RequestId":42,"Units":[{"UnitId":"unit-1","Attempt":3}],"At":1700000000}""",
            new UnitsHandedOut("w1", 42, [new UnitTicket("unit-1", 3)], 1.7e9)),
        [typeof(UnitsCompleted)] = (
            "ev-completed",
            """{"NodeId":"store","Units":[{"UnitId":"unit-1","Attempt":3}]}""",
            new UnitsCompleted("store", [new UnitTicket("unit-1", 3)])),
        [typeof(UnitAttemptFailed)] = (
            "ev-attempt-failed",
            """{"NodeId":"w1","Unit":{"UnitId":"unit-1","Attempt":3},"Reason":"boom","RetryAt":1700000004,"FailedForGood":true}""",
            new UnitAttemptFailed("w1", new UnitTicket("unit-1", 3), "boom", 1.7e9 + 4, true)),
        [typeof(UnitsReleased)] = (
            "ev-released",
            """{"Reopened":[{"UnitId":"unit-1","Attempt":3}],"FailedForGood":[{"UnitId":"unit-2","Attempt":5}],"Reason":"left","CountsAsAttempt":true,"RetryAt":3.25}""",
            new UnitsReleased([new UnitTicket("unit-1", 3)], [new UnitTicket("unit-2", 5)], "left", true, 3.25)),
        [typeof(FailedUnitsRequeued)] = (
            "ev-requeued",
            """{"SweepId":"s","UnitIds":["unit-1","unit-2"]}""",
            new FailedUnitsRequeued("s", ["unit-1", "unit-2"])),
        [typeof(SweepFinished)] = (
            "ev-sweep-finished",
            """{"SweepId":"s","At":1700000000}""",
            new SweepFinished("s", 1.7e9)),
        [typeof(CoordinatorSnapshot)] = (
            "snapshot",
            """{"Sweeps":[{"SweepId":"s","Units":10,"Done":4,"Failed":1,"Finished":true,"AllSettled":false}],"Units":[{"UnitId":"unit-1","SweepId":"s","Cost":2.5,"Phase":"HandedOut","Attempt":3,"AttemptBase":1,"Owner":"w1","HandedOutAt":12.25,"RetryAt":13.5,"LastError":"boom","Ticket":{"UnitId":"unit-1","Attempt":3},"AttemptsUsed":2},{"UnitId":"unit-2","SweepId":"s","Cost":1.5,"Phase":"Open","Attempt":2,"AttemptBase":2,"Owner":null,"HandedOutAt":0,"RetryAt":"Infinity","LastError":null,"Ticket":{"UnitId":"unit-2","Attempt":2},"AttemptsUsed":0}],"LastRequests":[{"NodeId":"w1","RequestId":42,"Units":[{"UnitId":"unit-1","Attempt":3}]}]}""",
            new CoordinatorSnapshot(
                [new SweepEntry("s", 10, 4, 1, true)],
                [
                    new UnitEntry("unit-1", "s", 2.5, UnitPhase.HandedOut, 3, 1, "w1", 12.25, 13.5, "boom"),
                    new UnitEntry("unit-2", "s", 1.5, UnitPhase.Open, 2, 2, null, 0, double.PositiveInfinity, null),
                ],
                [new WorkerRequest("w1", 42, [new UnitTicket("unit-1", 3)])])),
    };

    public static TheoryData<Type> PersistedTypes
    {
        get
        {
            var data = new TheoryData<Type>();
            foreach (var type in Persisted())
            {
                data.Add(type);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(PersistedTypes))]
    public void WhatIsStoredTodayReadsBackAsTheSameObject(Type type)
    {
        Assert.True(Stored.TryGetValue(type, out var row), $"{type.Name} is persisted but has no stored fixture: serialize a sample once and paste it into {nameof(Stored)}");

        object read = fixture.Serializer.FromBinary(Encoding.UTF8.GetBytes(row.Json), row.Manifest);

        Assert.IsType(type, read);
        Assert.Equivalent(row.Expected, read, strict: true);
    }

    [Fact]
    public void EveryPersistedTypeHasAStoredFixture()
    {
        Assert.Contains(typeof(CoordinatorSnapshot), Persisted());
        Assert.Equal(Persisted(), Stored.Keys.OrderBy(t => t.FullName, StringComparer.Ordinal));
    }

    [Fact]
    public void TheSerializerIdWrittenInEveryJournalRowNeverChanges()
    {
        Assert.Equal(7301, SweepMessageSerializer.SerializerId);
        Assert.Equal(7301, fixture.Serializer.Identifier);
    }

    /// <summary>The events the coordinator journals and its snapshot.</summary>
    private static List<Type> Persisted() =>
        SweepMessageSamples.MessageTypes()
            .Where(t => typeof(ICoordinatorEvent).IsAssignableFrom(t) || t == typeof(CoordinatorSnapshot))
            .ToList();
}
