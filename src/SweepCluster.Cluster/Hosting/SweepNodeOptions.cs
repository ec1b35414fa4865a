using Serilog;
using SweepCluster.Cluster.Formation;
using SweepCluster.Cluster.Settings;
using SweepCluster.Cluster.Workers;
using SweepCluster.Storage;
using SweepCluster.Sweeps.Execution;

namespace SweepCluster.Cluster.Hosting;

/// <summary>What one process's node is: its roles, its store and journal, how it finds the cluster, where it listens.</summary>
public sealed record SweepNodeOptions
{
    public required ISweepStore Store { get; init; }

    public required JournalConnection Journal { get; init; }

    public required IClusterFormation Formation { get; init; }

    public required ClusterSettings Settings { get; init; }

    public required ILogger Log { get; init; }

    /// <summary>Hosts the coordinator singleton (or stands by for it).</summary>
    public bool Coordinator { get; init; }

    /// <summary>Computes units; null for a coordinator-only node.</summary>
    public WorkerSetup? Worker { get; init; }

    public NodeMetrics Metrics { get; init; } = new();

    /// <summary>The address remoting binds to; loopback by default.</summary>
    public string Hostname { get; init; } = "127.0.0.1";

    /// <summary>The remoting port; 0 takes a free one.</summary>
    public int Port { get; init; }

    /// <summary>The address other nodes use (a pod IP or DNS name), when it differs from <see cref="Hostname"/>.</summary>
    public string? PublicHostname { get; init; }

    /// <summary>A node without the coordinator role leaves a cluster that has had no coordinator for this long, to rejoin the coordinators' (<see cref="Membership.CoordinatorlessWatch"/>).</summary>
    public TimeSpan CoordinatorlessTimeout { get; init; } = Membership.CoordinatorlessWatch.DefaultTimeout;

    /// <summary>Serialize every message even between local actors (tests): an unregistered type then fails at once.</summary>
    public bool SerializeMessages { get; init; }

    /// <summary>The process's id in logs, events and member reports: the worker's node id, or one for a coordinator-only process.</summary>
    public string NodeId => Worker?.Options.NodeId ?? $"coordinator-{Environment.MachineName}-{Environment.ProcessId}";

    public IReadOnlyList<string> Roles =>
        [.. Coordinator ? [SweepNode.CoordinatorRole] : Array.Empty<string>(), .. Worker is null ? Array.Empty<string>() : [SweepNode.WorkerRole]];
}

/// <summary>A worker-role node's worker: identity and slots, how it computes, and what it tells the process.</summary>
public sealed record WorkerSetup(WorkerOptions Options, Func<SpectrumCache, IUnitComputer> Computers)
{
    public WorkerLifecycle Lifecycle { get; } = new();
}
