using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Configuration;
using Akka.Hosting;
using Akka.Remote.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SweepCluster.Cluster.Protocol;
using SweepCluster.Cluster.Serialization;

namespace SweepCluster.Cluster.Tests.Serialization;

/// <summary>
/// Our serializer as the product installs it: an ActorSystem built with Akka.Hosting's AddAkka, remoting and the
/// cluster (not joined), and <see cref="SerializationHostingExtensions.WithSweepSerialization"/>, as SweepNode does.
/// What Akka itself picks for each message is what crosses the network and lands in the journal.
/// </summary>
public sealed class HostedSerializationTests(HostedSerializationTests.HostedSystem hosted) : IClassFixture<HostedSerializationTests.HostedSystem>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public static TheoryData<Type> MessageTypes => SweepMessageSamples.TypesData();

    [Theory]
    [MemberData(nameof(MessageTypes))]
    public void AkkaPicksOurSerializerForTheMessageAndReadsItBack(Type type)
    {
        var serialization = hosted.System.Serialization;
        var message = SweepMessageSamples.For(type, hosted.Worker);

        var serializer = serialization.FindSerializerFor(message);

        Assert.IsType<SweepMessageSerializer>(serializer);
        Assert.Equal(7301, serializer.Identifier);
        string manifest = Akka.Serialization.Serialization.ManifestFor(serializer, message);
        object back = serialization.Deserialize(serializer.ToBinary(message), serializer.Identifier, manifest);
        SweepMessageManifestTests.AssertSameMessage(message, back);
    }

    [Fact]
    public async Task AnActorReferenceTravelsWithItsAddressAndResolvesToTheSameActor()
    {
        var (worker, received) = FirstMessageActor.Start(hosted.System, "registered-worker");
        var register = new RegisterWorker("w1", worker, 4);

        var serializer = hosted.System.Serialization.FindSerializerFor(register);
        byte[] bytes = serializer.ToBinary(register);
        var back = hosted.System.Serialization.Deserialize(bytes, serializer.Identifier, Akka.Serialization.Serialization.ManifestFor(serializer, register));

        // A remote node can only reach the worker if its reference carries this node's remoting address.
        string address = ((ExtendedActorSystem)hosted.System).Provider.DefaultAddress.ToString();
        Assert.StartsWith("akka.tcp://sweep@127.0.0.1:", address, StringComparison.Ordinal);
        Assert.Contains($"\"{address}/user/registered-worker#", System.Text.Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        var resolved = Assert.IsType<RegisterWorker>(back);
        Assert.Equal(register, resolved);
        Assert.Equal(worker.Path.Uid, resolved.Worker.Path.Uid);

        resolved.Worker.Tell("hello");
        Assert.Equal("hello", await received.WaitAsync(Timeout));
    }

    /// <summary>The actor system of a hosted node, started once for the class.</summary>
    public sealed class HostedSystem : IAsyncLifetime
    {
        private IHost _host = null!;

        public ActorSystem System { get; private set; } = null!;

        /// <summary>The reference a <see cref="RegisterWorker"/> sample carries.</summary>
        public IActorRef Worker { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            _host = new HostBuilder()
                .ConfigureServices(services => services.AddAkka("sweep", (builder, _) => builder
                    .AddHocon(
                        ConfigurationFactory.ParseString("""
                            akka.stdout-loglevel = WARNING
                            akka.loglevel = WARNING
                            akka.coordinated-shutdown.exit-clr = off
                            akka.coordinated-shutdown.run-by-clr-shutdown-hook = off
                            """),
                        HoconAddMode.Prepend)
                    .WithSweepSerialization()
                    .WithRemoting("127.0.0.1", 0)
                    .WithClustering(new ClusterOptions { Roles = ["worker"] })))
                .Build();
            await _host.StartAsync();
            System = _host.Services.GetRequiredService<ActorSystem>();
            Worker = System.ActorOf(Props.Empty, "worker");
        }

        public async Task DisposeAsync()
        {
            await _host.StopAsync();
            _host.Dispose();
        }
    }
}
