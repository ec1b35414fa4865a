using Akka.Actor;
using Serilog;
using SweepCluster.Cli.Commands;
using SweepCluster.Cli.Configuration;
using SweepCluster.Cli.Stores;
using SweepCluster.Cluster.Formation;
using SweepCluster.Cluster.Hosting;
using SweepCluster.Storage;

namespace SweepCluster.Cli.Hosting;

/// <summary>The composition root's choices for a cluster node: journal, formation and remoting from the settings and the store.</summary>
public static class ClusterNodes
{
    /// <summary>The coordinator's journal lives in the store's own database.</summary>
    public static JournalConnection JournalFor(StoreLocation location)
    {
        ArgumentNullException.ThrowIfNull(location);
        return location.IsPostgres ? JournalConnection.Postgres(PostgresUrl.ToConnectionString(location.Value)) : JournalConnection.Sqlite(location.Value);
    }

    /// <summary>Seeds given explicitly (`--seed`, the Seeds setting) win; otherwise the coordinators published in the store.</summary>
    public static IClusterFormation FormationFor(SweepSettings settings, IReadOnlyList<string> seedOptions, ISweepStore store, bool isCoordinator, ILogger log)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(seedOptions);
        var seeds = seedOptions
            .Concat(settings.Seeds.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Distinct(StringComparer.Ordinal)
            .Select(ParseSeed)
            .ToArray();
        var timeout = TimeSpan.FromSeconds(settings.JoinTimeoutSeconds);
        return seeds.Length > 0
            ? new StaticSeedFormation(seeds, timeout)
            : new StoreSeedFormation(store, isCoordinator, FormationTimings.Default with { JoinTimeout = timeout }, log);
    }

    public static SweepNodeOptions Options(SweepSettings settings, StoreLocation location, ISweepStore store, IClusterFormation formation, ILogger log, NodeMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new SweepNodeOptions
        {
            Store = store,
            Journal = JournalFor(location),
            Formation = formation,
            Settings = settings.ToClusterSettings(),
            Log = log,
            Metrics = metrics,
            Hostname = settings.RemotingHost,
            Port = settings.RemotingPort,
            // Never advertise 0.0.0.0: other nodes could not reach it. A wildcard bind advertises this host's name.
            PublicHostname = !string.IsNullOrWhiteSpace(settings.PublicHostname) ? settings.PublicHostname
                : settings.RemotingHost is "0.0.0.0" or "::" ? System.Net.Dns.GetHostName() : null,
        };
    }

    /// <summary>
    /// Starts this process's node and joins the cluster. Null with the exit code when it cannot: the formation
    /// gave up (logged, naming <paramref name="who"/>), or a drain came first.
    /// </summary>
    public static async Task<(SweepNode? Node, int ExitCode)> StartAsync(SweepNodeOptions options, SignalDrain drain, ILogger log, string who)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(drain);
        ArgumentNullException.ThrowIfNull(log);
        // Akka's own lines (Akka.Logger.Serilog) go through the global logger: they name the node like ours do.
        Log.Logger = log.ForContext("NodeId", options.NodeId);
        try
        {
            return (await SweepNode.StartAsync(options, drain.Token).ConfigureAwait(false), ExitCodes.Success);
        }
        catch (ClusterFormationException e)
        {
            log.Error("{Who} could not join a cluster: {Reason}", who, e.Message);
            return (null, ExitCodes.Failure);
        }
        catch (OperationCanceledException) when (drain.Requested)
        {
            return (null, ExitCodes.Interrupted);
        }
    }

    private static Address ParseSeed(string seed)
    {
        try
        {
            var address = Address.Parse(seed);
            if (address.Host is null || address.Port is null || address.System != SweepNode.ActorSystemName)
            {
                throw new UriFormatException("no host, port or system");
            }

            return address;
        }
        catch (UriFormatException)
        {
            throw new CommandInputException($"--seed: '{seed}' is not a seed address; expected akka.tcp://{SweepNode.ActorSystemName}@HOST:PORT");
        }
    }
}
