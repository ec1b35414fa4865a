using Akka.Actor;
using Serilog;
using SweepCluster.Storage;

namespace SweepCluster.Cluster.Formation;

/// <summary>
/// Nodes find each other with nothing but the store URL: every coordinator-role node publishes its address in
/// the store and refreshes it while it lives; workers join the published coordinators. Among coordinators the
/// oldest publication founds the cluster and every later one joins the older ones, never itself, so two
/// coordinators started together, or a coordinator restarted beside a live one, end in one cluster.
/// </summary>
/// <remarks>
/// A coordinator withdraws its old row before it publishes again, so a restarted node on the same address
/// is the newest, not the oldest. A row whose node died stops being refreshed and drops out after the alive
/// window; a node that tried to join only dead addresses reads the rows again after each attempt.
/// </remarks>
public sealed class StoreSeedFormation : IClusterFormation
{
    public const string SeedRole = "coordinator";

    private readonly ISweepStore _store;
    private readonly bool _isSeed;
    private readonly FormationTimings _timings;
    private readonly ILogger _log;

    public StoreSeedFormation(ISweepStore store, bool isSeed, FormationTimings timings, ILogger log)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _isSeed = isSeed;
        _timings = timings ?? throw new ArgumentNullException(nameof(timings));
        _log = log ?? throw new ArgumentNullException(nameof(log));
    }

    public string Description => "coordinator addresses published in " + _store.Description;

    public async Task JoinAsync(Akka.Cluster.Cluster cluster, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        string self = cluster.SelfAddress.ToString();
        if (_isSeed)
        {
            await _store.RemoveSeedAsync(self, cancellationToken).ConfigureAwait(false);
            await _store.PublishSeedAsync(self, SeedRole, cancellationToken).ConfigureAwait(false);
        }

        var deadline = DateTime.UtcNow + _timings.JoinTimeout;
        bool waitingLogged = false;
        while (DateTime.UtcNow < deadline)
        {
            var published = await _store.ListSeedsAsync(SeedRole, _timings.AliveWithin, cancellationToken).ConfigureAwait(false);
            var others = _isSeed
                ? published.TakeWhile(a => !string.Equals(a, self, StringComparison.Ordinal)).ToArray()
                : published.ToArray();
            if (_isSeed && others.Length == 0)
            {
                _log.Information("No older coordinator is published in the store; founding the cluster at {Address}", self);
                cluster.Join(cluster.SelfAddress);
            }
            else if (others.Length == 0)
            {
                if (!waitingLogged)
                {
                    _log.Information("Waiting for a coordinator to publish its address in {Store}", _store.Description);
                    waitingLogged = true;
                }

                await Task.Delay(_timings.Refresh, cancellationToken).ConfigureAwait(false);
                continue;
            }
            else
            {
                _log.Information("Joining the cluster through {Seeds}", string.Join(", ", others));
                cluster.JoinSeedNodes(others.Select(Address.Parse));
            }

            var attemptEnd = DateTime.UtcNow + _timings.AttemptTimeout;
            while (DateTime.UtcNow < attemptEnd)
            {
                if (await MemberUp.WaitAsync(cluster, _timings.Refresh, cancellationToken).ConfigureAwait(false))
                {
                    return;
                }

                if (_isSeed)
                {
                    // Stay alive in the store while joining, or the next node takes this one for dead.
                    await _store.PublishSeedAsync(self, SeedRole, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        throw new ClusterFormationException(_isSeed
            ? $"could not join the coordinators published in {_store.Description} within {_timings.JoinTimeout.TotalSeconds:0} s; check that their remoting ports are reachable from here, or give --seed"
            : $"no coordinator joined within {_timings.JoinTimeout.TotalSeconds:0} s: none is published in {_store.Description} or none is reachable; start `sweep coordinator` with the same store, or give --seed");
    }

    public async Task AdvertiseAsync(Akka.Cluster.Cluster cluster, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        if (!_isSeed)
        {
            return;
        }

        string self = cluster.SelfAddress.ToString();
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await _store.PublishSeedAsync(self, SeedRole, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _log.Warning(e, "Refreshing this coordinator's address in the store failed; retrying");
            }

            try
            {
                await Task.Delay(_timings.Refresh, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async Task WithdrawAsync(Akka.Cluster.Cluster cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        if (_isSeed)
        {
            await _store.RemoveSeedAsync(cluster.SelfAddress.ToString()).ConfigureAwait(false);
        }
    }
}
