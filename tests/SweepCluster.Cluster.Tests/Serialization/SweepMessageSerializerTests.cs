using Akka.Actor;
using SweepCluster.Cluster.Protocol;

namespace SweepCluster.Cluster.Tests.Serialization;

/// <summary>
/// Every message that crosses the network or lands in the journal survives our serializer. The round trip of each
/// message type and the coverage of the samples are in <see cref="SweepMessageManifestTests"/>.
/// </summary>
public sealed class SweepMessageSerializerTests(SerializerFixture fixture) : IClassFixture<SerializerFixture>
{
    [Fact]
    public async Task AnActorReferenceResolvesToTheSameActor()
    {
        var serializer = fixture.Serializer;
        var (worker, received) = FirstMessageActor.Start(fixture.System, "resolved-worker");
        var register = new RegisterWorker("w1", worker, 2);
        var back = (RegisterWorker)serializer.FromBinary(serializer.ToBinary(register), serializer.Manifest(register));
        Assert.Equal(worker, back.Worker);
        back.Worker.Tell("hello");
        Assert.Equal("hello", await received.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void AnUnknownManifestIsRefusedByName()
    {
        var e = Assert.Throws<System.Runtime.Serialization.SerializationException>(() => fixture.Serializer.FromBinary([], "from-the-future"));
        Assert.Contains("from-the-future", e.Message, StringComparison.Ordinal);
    }
}
