using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using SweepCluster.Cluster.Formation;
using SweepCluster.Cluster.Hosting;
using SweepCluster.Cluster.Protocol;
using SweepCluster.Cluster.Settings;
using SweepCluster.Cluster.Workers;
using SweepCluster.Storage;
using SweepCluster.Storage.Postgres;
using SweepCluster.Sweeps.Cells;
using SweepCluster.Sweeps.Execution;
using SweepCluster.Sweeps.Units;

namespace SweepCluster.Bench.Cluster;

/// <summary>
/// The real cluster path in one process: a coordinator node (the singleton, its journal on PostgreSQL) and W
/// worker nodes, each its own ActorSystem with its own store connection pool as separate pods would have,
/// joined over loopback remoting. The sweep is submitted only once every worker has registered, so the clock
/// (first hand-out received to last completion acknowledged, i.e. persisted in the journal) sees all of them.
/// </summary>
public static class ClusterRig
{
    /// <summary>The shipped cluster settings (cluster-config/cluster.json), with the hand-out batch under test.</summary>
    public static ClusterSettings ShippedSettings(int claimBatch, int claimAhead) => new()
    {
        HeartbeatInterval = TimeSpan.FromSeconds(10),
        ClaimBatch = claimBatch,
        ClaimAhead = claimAhead,
        MaxAttempts = 5,
        RetryBackoff = TimeSpan.FromSeconds(2),
        RetryBackoffCap = TimeSpan.FromSeconds(120),
        ProgressInterval = TimeSpan.FromSeconds(10),
        UnitSilenceTimeout = TimeSpan.FromSeconds(40),
        DrainTimeout = TimeSpan.FromSeconds(60),
        StableAfter = TimeSpan.FromSeconds(5),
        DownRemovalMargin = TimeSpan.FromSeconds(1),
        AcceptableHeartbeatPause = TimeSpan.FromSeconds(5),
    };

    public static async Task<RigRun> RunAsync(
        (SweepDefinition Sweep, IReadOnlyList<UnitDefinition> Units) work,
        int workers,
        int slots,
        Func<SpectrumCache, IUnitComputer> computers,
        ClusterSettings settings,
        TimeSpan timeout)
    {
        await using var schema = await BenchPostgres.CreateSchemaAsync();
        var log = Serilog.Core.Logger.None;
        var coordinatorStore = PostgresSweepStore.Create(schema.ConnectionString(16), "bench-coordinator");
        await coordinatorStore.MigrateAsync();
        var seed = new Address("akka.tcp", SweepNode.ActorSystemName, "127.0.0.1", FreePort());
        var probe = new RunProbe(work.Units.Count);
        var stores = new List<ISweepStore> { coordinatorStore };
        var nodes = new List<SweepNode>();
        try
        {
            nodes.Add(await SweepNode.StartAsync(new SweepNodeOptions
            {
                Store = coordinatorStore,
                Journal = JournalConnection.Postgres(schema.ConnectionString(16)),
                Formation = new StaticSeedFormation([seed], TimeSpan.FromSeconds(60)),
                Settings = settings,
                Log = log,
                Coordinator = true,
                Port = seed.Port!.Value,
            }));

            var setups = new List<WorkerSetup>();
            var starting = new List<Task<SweepNode>>();
            for (int w = 0; w < workers; w++)
            {
                // A pool of its own per worker, small as a pod's would be: the worker holds a few units at a time.
                var store = PostgresSweepStore.Create(schema.ConnectionString(4), $"bench-worker-{w}");
                stores.Add(store);
                var setup = new WorkerSetup(new WorkerOptions($"bench-worker-{w}", slots, work.Sweep.Id), computers);
                setups.Add(setup);
                starting.Add(SweepNode.StartAsync(new SweepNodeOptions
                {
                    Store = store,
                    Journal = JournalConnection.Postgres(schema.ConnectionString(1)),
                    Formation = new StaticSeedFormation([seed], TimeSpan.FromSeconds(120)),
                    Settings = settings,
                    Log = log,
                    Worker = setup,
                    Metrics = probe.Metrics(),
                }));
            }

            nodes.AddRange(await Task.WhenAll(starting));
            await WaitUntil(() => setups.All(s => s.Lifecycle.Registered), TimeSpan.FromSeconds(120), "workers to register");

            var before = CpuSample.Now();
            await coordinatorStore.SubmitAsync(work.Sweep, work.Units);
            nodes[0].Coordinator.Tell(new WatchSweep(work.Sweep.Id), ActorRefs.NoSender);
            if (await Task.WhenAny(probe.AllAcknowledged, Task.Delay(timeout)) != probe.AllAcknowledged)
            {
                throw new TimeoutException($"only {probe.Acknowledged} of {work.Units.Count} units acknowledged within {timeout.TotalSeconds:0} s");
            }

            var used = CpuSample.Now() - before;
            var progress = await coordinatorStore.GetProgressAsync(work.Sweep.Id);
            if (progress.UnitsDone != work.Units.Count)
            {
                throw new InvalidOperationException($"only {progress.UnitsDone} of {work.Units.Count} units done in the store");
            }

            return probe.Result(used);
        }
        finally
        {
            // Workers first (they leave; nothing is held any more), then the coordinator.
            await Task.WhenAll(nodes.Skip(1).Select(n => n.DisposeAsync().AsTask()));
            foreach (var node in nodes.Take(1))
            {
                await node.DisposeAsync();
            }

            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }
    }

    private static async Task WaitUntil(Func<bool> condition, TimeSpan timeout, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException($"timed out waiting for {what}");
            }

            await Task.Delay(50);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Collects what every worker's metrics hooks see, on one clock.</summary>
    private sealed class RunProbe(int units)
    {
        private readonly ConcurrentQueue<double> _handOutMs = new();
        private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private long _firstHandOut;
        private long _lastAcknowledged;
        private int _acknowledged;

        public Task AllAcknowledged => _all.Task;

        public int Acknowledged => Volatile.Read(ref _acknowledged);

        public NodeMetrics Metrics() => new()
        {
            HandOutObserver = (latency, count) =>
            {
                if (count == 0)
                {
                    return; // idle polls before the sweep exists and after it ran dry
                }

                Interlocked.CompareExchange(ref _firstHandOut, Stopwatch.GetTimestamp(), 0);
                _handOutMs.Enqueue(latency.TotalMilliseconds);
            },
            AcknowledgedObserver = count =>
            {
                if (Interlocked.Add(ref _acknowledged, count) >= units)
                {
                    Interlocked.CompareExchange(ref _lastAcknowledged, Stopwatch.GetTimestamp(), 0);
                    _all.TrySetResult();
                }
            },
        };

        public RigRun Result(CpuSample used)
        {
            double seconds = Stopwatch.GetElapsedTime(Interlocked.Read(ref _firstHandOut), Interlocked.Read(ref _lastAcknowledged)).TotalSeconds;
            return new RigRun(seconds, units, _handOutMs.Order().ToArray(), used);
        }
    }
}

/// <summary>One cluster run: seconds from the first request answered with units to the last completion acknowledged.</summary>
/// <param name="HandOutMs">Latency of every request answered with units, sorted.</param>
/// <param name="Cpu">CPU of this process (every node) and of PostgreSQL from submission to the last acknowledgement.</param>
public sealed record RigRun(double Seconds, int Units, IReadOnlyList<double> HandOutMs, CpuSample Cpu)
{
    public double UnitsPerSecond => Units / Seconds;

    public double HandOutPercentile(double q) => HandOutMs.Count == 0 ? double.NaN : HandOutMs[(int)Math.Min(HandOutMs.Count - 1, Math.Floor(q * HandOutMs.Count))];
}
