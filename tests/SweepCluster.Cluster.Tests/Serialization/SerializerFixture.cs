using Akka.Actor;
using Akka.Configuration;
using SweepCluster.Cluster.Serialization;

namespace SweepCluster.Cluster.Tests.Serialization;

/// <summary>
/// One local actor system per test class, our serializer on it, and an actor for the messages that carry a
/// reference. The system is stopped with an await: blocking a pool thread on its termination starves the pool on
/// a small machine and costs a second per system.
/// </summary>
public sealed class SerializerFixture : IAsyncLifetime
{
    public SerializerFixture()
    {
        System = ActorSystem.Create("serializer-tests", ConfigurationFactory.ParseString("""
            akka.stdout-loglevel = WARNING
            akka.loglevel = WARNING
            """));
        Serializer = new SweepMessageSerializer((ExtendedActorSystem)System);
    }

    public ActorSystem System { get; }

    public SweepMessageSerializer Serializer { get; }

    /// <summary>The reference a <see cref="Protocol.RegisterWorker"/> sample carries.</summary>
    public IActorRef Worker { get; private set; } = ActorRefs.Nobody;

    public Task InitializeAsync()
    {
        Worker = System.ActorOf(Props.Empty, "worker");
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => System.Terminate();
}

/// <summary>Completes a task with the first message it receives: proof that a resolved reference reaches the actor.</summary>
internal sealed class FirstMessageActor : ReceiveActor
{
    public FirstMessageActor(TaskCompletionSource<object> received) => ReceiveAny(m => received.TrySetResult(m));

    public static (IActorRef Actor, Task<object> Received) Start(IActorRefFactory system, string name)
    {
        var received = new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously);
        return (system.ActorOf(Props.Create(() => new FirstMessageActor(received)), name), received.Task);
    }
}
