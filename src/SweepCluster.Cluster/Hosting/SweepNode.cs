using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Cluster.Hosting.SBR;
using Akka.Configuration;
using Akka.Hosting;
using Akka.Logger.Serilog;
using Akka.Pattern;
using Akka.Persistence.Hosting;
using Akka.Persistence.Sql.Hosting;
using Akka.Remote.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SweepCluster.Cluster.Coordination;
using SweepCluster.Cluster.Formation;
using SweepCluster.Cluster.Membership;
using SweepCluster.Cluster.Serialization;
using SweepCluster.Cluster.Workers;
using SweepCluster.Storage;
using SweepCluster.Sweeps.Cells;

namespace SweepCluster.Cluster.Hosting;

/// <summary>
/// One process's ActorSystem, built with Akka.Hosting: remoting, the cluster with its roles and split brain
/// resolver, the coordinator singleton (on coordinator-role nodes) and its proxy, the journal in the store's
/// database, our serializer, Akka's logs through Serilog, and the worker actor on worker-role nodes.
/// </summary>
public sealed class SweepNode : IAsyncDisposable
{
    public const string ActorSystemName = "sweep";
    public const string CoordinatorRole = "coordinator";
    public const string WorkerRole = "worker";

    private readonly IHost _host;
    private readonly SweepNodeOptions _options;
    private readonly CancellationTokenSource _advertising = new();
    private readonly TaskCompletionSource _removed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly MemberReporting _reporting;
    private readonly NodeFault _fault;
    private Task _advertise = Task.CompletedTask;
    private Task _report = Task.CompletedTask;
    private Task _coordinatorless = Task.CompletedTask;
    private bool _stopped;

    private SweepNode(IHost host, SweepNodeOptions options, NodeFault fault)
    {
        _host = host;
        _options = options;
        _fault = fault;
        System = host.Services.GetRequiredService<ActorSystem>();
        var registry = host.Services.GetRequiredService<ActorRegistry>();
        Coordinator = registry.Get<SweepCoordinatorProxy>();
        Cluster = Akka.Cluster.Cluster.Get(System);
        Cluster.RegisterOnMemberRemoved(() => _removed.TrySetResult());
        // The node label of /metrics: the id logs, events and member reports use for this membership.
        options.Metrics.NodeId = options.NodeId;
        _reporting = new MemberReporting(options.Store, options.NodeId, options.Roles, options.Worker?.Options.Slots ?? 0, options.Metrics, MemberReporting.Interval, options.Log);
    }

    public ActorSystem System { get; }

    /// <summary>The coordinator singleton's proxy: messages reach the singleton wherever it runs (at most once).</summary>
    public IActorRef Coordinator { get; }

    public Akka.Cluster.Cluster Cluster { get; }

    /// <summary>The worker's lifecycle on worker-role nodes.</summary>
    public WorkerLifecycle? Worker => _options.Worker?.Lifecycle;

    /// <summary>The worker actor on worker-role nodes: tell it <see cref="DrainWorker"/> to stop asking for work at once.</summary>
    public IActorRef? WorkerActor => _host.Services.GetRequiredService<ActorRegistry>().TryGet<WorkerNode>(out var worker) ? worker : null;

    /// <summary>
    /// Completes when this node is no longer a member: downed by the others (it stopped answering), or left.
    /// Before <see cref="StopAsync"/> that means it was removed, and only a new node can rejoin.
    /// </summary>
    public Task Removed => _removed.Task;

    /// <summary>
    /// Completes with the reason when this node cannot go on at all (a journal a newer version wrote, the store's
    /// disk full): the process should end with it rather than wait.
    /// </summary>
    public Task<string> Faulted => _fault.Reported;

    /// <summary>This node is an Up member.</summary>
    public bool IsUp => Cluster.SelfMember.Status == Akka.Cluster.MemberStatus.Up;

    /// <summary>Starts the actor system and joins the cluster through the options' formation.</summary>
    public static async Task<SweepNode> StartAsync(SweepNodeOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Worker is { } worker)
        {
            await options.Store.AppendEventAsync(new JournalEvent(JournalEventKinds.NodeStarted, worker.Options.SweepId, null, worker.Options.NodeId, null, $"slots={worker.Options.Slots}"), cancellationToken).ConfigureAwait(false);
        }

        var fault = new NodeFault();
        var host = new HostBuilder()
            .ConfigureServices(services => services
                .AddSingleton<IHostLifetime, CommandLineLifetime>()
                .AddAkka(ActorSystemName, (builder, provider) => Configure(builder, options, fault)))
            .Build();
        await host.StartAsync(cancellationToken).ConfigureAwait(false);
        var node = new SweepNode(host, options, fault);
        try
        {
            options.Log.Information("Node {Address} ({Roles}) joining through {Formation}", node.Cluster.SelfAddress, string.Join(", ", options.Roles), options.Formation.Description);
            await options.Formation.JoinAsync(node.Cluster, cancellationToken).ConfigureAwait(false);
            options.Log.Information("Node {Address} is up", node.Cluster.SelfAddress);
            node._advertise = options.Formation.AdvertiseAsync(node.Cluster, node._advertising.Token);
            node._report = node._reporting.RunAsync(node.Cluster, node._advertising.Token);
            if (!options.Roles.Contains(CoordinatorRole))
            {
                node._coordinatorless = CoordinatorlessWatch.RunAsync(node.Cluster, options.CoordinatorlessTimeout, options.Log, node._advertising.Token);
            }

            return node;
        }
        catch
        {
            await node.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static void Configure(AkkaConfigurationBuilder builder, SweepNodeOptions options, NodeFault fault)
    {
        var settings = options.Settings;
        builder
            .AddHocon(ConfigurationFactory.ParseString(Hocon(options)), HoconAddMode.Prepend)
            .ConfigureLoggers(loggers =>
            {
                loggers.ClearLoggers();
                loggers.AddLogger<SerilogLogger>();
                loggers.LogLevel = Akka.Event.LogLevel.InfoLevel;
            })
            .WithSweepSerialization()
            .WithRemoting(options.Hostname, options.Port, options.PublicHostname)
            .WithClustering(new ClusterOptions
            {
                Roles = options.Roles.ToArray(),
                // Keep-majority: a killed, frozen or cut-off minority is downed and the rest goes on; the singleton
                // moves if its host was in the minority. Keep-oldest was tried first: a coordinator restarted while
                // the dead oldest one was still unreachable made it take the reachable side down (docs/architecture.md).
                SplitBrainResolver = new KeepMajorityOption(),
            })
            .WithSqlPersistence(options.Journal.ConnectionString, options.Journal.ProviderName, PersistenceMode.Both, options.Journal.Schema, autoInitialize: true);

        var singletonOptions = new Akka.Cluster.Hosting.ClusterSingletonOptions { Role = CoordinatorRole };
        if (options.Roles.Contains(CoordinatorRole))
        {
            builder.WithSingleton<SweepCoordinatorProxy>(
                "coordinator",
                // A persistent actor stops when a write to its journal fails (the database restarting, say); the
                // supervisor starts it again with backoff, and it recovers from the journal.
                (system, registry, resolver) => BackoffSupervisor.Props(Backoff.OnStop(
                    SweepCoordinator.Props(options.Store, settings, options.Log.ForContext("NodeId", options.NodeId), fault: fault),
                    "sweep-coordinator",
                    TimeSpan.FromMilliseconds(500),
                    TimeSpan.FromSeconds(10),
                    0.2,
                    -1)),
                singletonOptions,
                createProxyToo: true);
            builder.WithActors((system, registry) =>
                system.ActorOf(Props.Create(() => new JournalWarmUp(Akka.Cluster.Cluster.Get(system).SelfAddress.HostPort())), "journal-warm-up"));
        }
        else
        {
            builder.WithSingletonProxy<SweepCoordinatorProxy>("coordinator", singletonOptions);
        }

        if (options.Worker is { } worker)
        {
            builder.WithActors((system, registry) =>
            {
                var proxy = registry.Get<SweepCoordinatorProxy>();
                var actor = system.ActorOf(WorkerNode.Props(options.Store, worker.Computers, proxy, worker.Options, settings, options.Log, options.Metrics, worker.Lifecycle, fault), "worker");
                registry.Register<WorkerNode>(actor);
                RegisterDrain(system, actor, worker, settings.DrainTimeout, fault);
            });
        }
    }

    /// <summary>
    /// SIGTERM (or a stop) runs CoordinatedShutdown; before the node leaves, the worker stops asking, gives
    /// back what it has not started and finishes the rest, within the drain timeout.
    /// </summary>
    private static void RegisterDrain(ActorSystem system, IActorRef worker, WorkerSetup setup, TimeSpan timeout, NodeFault fault)
    {
        CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseServiceRequestsDone, "drain-worker", async () =>
        {
            if (CoordinatedShutdown.Get(system).ShutdownReason is CoordinatedShutdown.ClusterDowningReason)
            {
                // Downed: the coordinator has already taken this node's units back.
                return Akka.Done.Instance;
            }

            if (fault.Reported.IsCompleted)
            {
                // The store cannot take the units in flight (a full disk): waiting for their commits would only
                // delay the exit by the drain timeout. They go back to the others, or to the next run.
                return Akka.Done.Instance;
            }

            worker.Tell(DrainWorker.Instance);
            await Task.WhenAny(setup.Lifecycle.DrainedTask, Task.Delay(timeout)).ConfigureAwait(false);
            return Akka.Done.Instance;
        });
    }

    /// <summary>Settings that have no Akka.Hosting builder: downing and failure-detection timings, the drain phase.</summary>
    private static string Hocon(SweepNodeOptions options)
    {
        var s = options.Settings;
        string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.###", global::System.Globalization.CultureInfo.InvariantCulture) + "s";
        return $$"""
            akka.cluster.split-brain-resolver.stable-after = {{Seconds(s.StableAfter)}}
            akka.cluster.down-removal-margin = {{Seconds(s.DownRemovalMargin)}}
            akka.cluster.failure-detector.acceptable-heartbeat-pause = {{Seconds(s.AcceptableHeartbeatPause)}}
            akka.coordinated-shutdown.phases.service-requests-done.timeout = {{Seconds(s.DrainTimeout + TimeSpan.FromSeconds(5))}}
            # Failover after a singleton host dies: the new singleton starts, and the proxies find it, within a fraction
            # of a second of the old host's removal instead of up to a second each (Akka's defaults).
            # The leader removes a downed member and the survivors learn of it on these ticks (1 s each by default):
            # most of the two seconds between a downing and the removal that lets the singleton move.
            akka.cluster.leader-actions-interval = 0.25s
            akka.cluster.gossip-interval = 0.5s
            akka.cluster.unreachable-nodes-reaper-interval = 0.5s
            akka.cluster.singleton.hand-over-retry-interval = 0.5s
            akka.cluster.singleton-proxy.singleton-identification-interval = 0.25s
            akka.coordinated-shutdown.exit-clr = off
            akka.coordinated-shutdown.run-by-clr-shutdown-hook = off
            akka.stdout-loglevel = WARNING
            akka.log-dead-letters-during-shutdown = off
            akka.cluster.log-info-verbose = off
            # Membership gossip and failure-detector heartbeats on dedicated threads: the thread pool is shared with
            # the training-set draws (Parallel.For) and the store's I/O, and a heartbeat queued behind them makes a
            # busy, healthy node look dead.
            akka.cluster.use-dispatcher = sweep-cluster-dispatcher
            sweep-cluster-dispatcher {
              type = Dispatcher
              executor = fork-join-executor
              fork-join-executor {
                parallelism-min = 2
                parallelism-factor = 1.0
                parallelism-max = 2
              }
            }
            # Akka's timer wheel ticks every 10 ms by default: a hundred wake-ups a second of the timer thread and a
            # pool thread, which was half of an idle node's CPU (bench/idle-cpu.sh: 32 ms/s at 10 ms, 17 ms/s at 50 ms).
            # Our shortest timer is 0.25 s, so 50 ms of granularity changes no behaviour that matters.
            akka.scheduler.tick-duration = 50ms
            akka.actor.serialize-messages = {{(options.SerializeMessages ? "on" : "off")}}
            """;
    }

    /// <summary>Asks the coordinator for its view; null when it does not answer in time (no singleton yet, or it is moving).</summary>
    public async Task<Protocol.CoordinatorStatus?> GetStatusAsync(TimeSpan timeout)
    {
        try
        {
            return await Coordinator.Ask<Protocol.CoordinatorStatus>(Protocol.GetCoordinatorStatus.Instance, timeout).ConfigureAwait(false);
        }
        catch (AskTimeoutException)
        {
            return null;
        }
    }

    /// <summary>Leaves the cluster through CoordinatedShutdown (draining a worker first) and stops the host.</summary>
    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        await _advertising.CancelAsync().ConfigureAwait(false);
        await EndOfLoopAsync(_advertise).ConfigureAwait(false);
        await EndOfLoopAsync(_report).ConfigureAwait(false);
        await EndOfLoopAsync(_coordinatorless).ConfigureAwait(false);
        await _reporting.WithdrawAsync(Cluster).ConfigureAwait(false);
        try
        {
            await _options.Formation.WithdrawAsync(Cluster).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _options.Log.Warning("Could not withdraw this node's address from the store ({Reason}); it ages out", e.GetBaseException().Message);
        }

        await CoordinatedShutdown.Get(System).Run(CoordinatedShutdown.ClrExitReason.Instance).ConfigureAwait(false);
        await _host.StopAsync().ConfigureAwait(false);
        if (_options.Worker is { } worker)
        {
            try
            {
                await _options.Store.AppendEventAsync(new JournalEvent(JournalEventKinds.NodeStopped, worker.Options.SweepId, null, worker.Options.NodeId, null, $"units={worker.Lifecycle.UnitsDone}")).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _options.Log.Warning("Could not record in the store that worker {NodeId} stopped ({Reason})", worker.Options.NodeId, e.GetBaseException().Message);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _host.Dispose();
        _advertising.Dispose();
    }

    /// <summary>The registry key of the coordinator singleton's proxy.</summary>
    public sealed class SweepCoordinatorProxy;

    /// <summary>
    /// Waits for a loop stopped by <see cref="_advertising"/>. A loop cancelled in the middle of a store call ends with
    /// <see cref="OperationCanceledException"/>: that is the stop that was asked for, not a failure of the node (it
    /// made a finished `coordinator --until-done` exit with an error now and then).
    /// </summary>
    private static async Task EndOfLoopAsync(Task loop)
    {
        try
        {
            await loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
