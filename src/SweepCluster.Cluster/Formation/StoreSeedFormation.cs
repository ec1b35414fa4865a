using Akka.Actor;
using Serilog;
using SweepCluster.Storage;

namespace SweepCluster.Cluster.Formation;

/// <summary>
/// Nodes find each other with nothing but the store URL. Every node publishes its address in the store and
/// refreshes it while it lives: a coordinator from the start (the order of publication decides who founds the
/// cluster), a worker once it is a member. Among coordinators the oldest publication founds the cluster and every
/// later one joins the older ones or the published workers, never itself; a worker joins whatever is published.
/// So coordinators started together end in one cluster, and a coordinator restarted while the workers run on
/// (its predecessor died) joins them instead of founding a second cluster beside theirs.
/// </summary>
/// <remarks>
/// A coordinator withdraws its old row before it publishes again, so a restarted node on the same address is
/// the newest, not the oldest. A row whose node died stops being refreshed and drops out after the alive
/// window; a node that tried to join only dead addresses reads the rows again after each attempt. Workers
/// publish only once they are members, so a worker still waiting for a cluster is never taken for one.
/// </remarks>
public sealed class StoreSeedFormation : IClusterFormation
{
    public const string CoordinatorRole = "coordinator";

    public const string WorkerRole = "worker";

    private readonly ISweepStore _store;
    private readonly bool _isCoordinator;
    private readonly FormationTimings _timings;
    private readonly ILogger _log;

    public StoreSeedFormation(ISweepStore store, bool isCoordinator, FormationTimings timings, ILogger log)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _isCoordinator = isCoordinator;
        _timings = timings ?? throw new ArgumentNullException(nameof(timings));
        _log = log ?? throw new ArgumentNullException(nameof(log));
    }

    public string Description => "the addresses published in " + _store.Description;

    private string Role => _isCoordinator ? CoordinatorRole : WorkerRole;

    public async Task JoinAsync(Akka.Cluster.Cluster cluster, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        string self = cluster.SelfAddress.ToString();
        if (_isCoordinator)
        {
            await _store.RemoveSeedAsync(self, cancellationToken).ConfigureAwait(false);
            await _store.PublishSeedAsync(self, CoordinatorRole, cancellationToken).ConfigureAwait(false);
        }

        var deadline = DateTime.UtcNow + _timings.JoinTimeout;
        bool waitingLogged = false;
        while (DateTime.UtcNow < deadline)
        {
            var coordinators = await _store.ListSeedsAsync(CoordinatorRole, _timings.AliveWithin, cancellationToken).ConfigureAwait(false);
            var workers = await _store.ListSeedsAsync(WorkerRole, _timings.AliveWithin, cancellationToken).ConfigureAwait(false);
            var contacts = (_isCoordinator ? coordinators.TakeWhile(a => !string.Equals(a, self, StringComparison.Ordinal)) : coordinators)
                .Concat(workers)
                .Where(a => !string.Equals(a, self, StringComparison.Ordinal))
                .ToArray();
            if (_isCoordinator && contacts.Length == 0)
            {
                _log.Information("No older coordinator and no worker is published in the store; founding the cluster at {Address}", self);
                cluster.Join(cluster.SelfAddress);
            }
            else if (contacts.Length == 0)
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
                _log.Information("Joining the cluster through {Seeds}", string.Join(", ", contacts));
                cluster.JoinSeedNodes(contacts.Select(Address.Parse));
            }

            var attemptEnd = DateTime.UtcNow + _timings.AttemptTimeout;
            while (DateTime.UtcNow < attemptEnd)
            {
                if (await MemberUp.WaitAsync(cluster, _timings.Refresh, cancellationToken).ConfigureAwait(false))
                {
                    return;
                }

                if (_isCoordinator)
                {
                    // Stay alive in the store while joining, or the next node takes this one for dead.
                    await _store.PublishSeedAsync(self, CoordinatorRole, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        throw new ClusterFormationException(_isCoordinator
            ? $"could not join the coordinators published in {_store.Description} within {_timings.JoinTimeout.TotalSeconds:0} s; check that their remoting ports are reachable from here, or give --seed"
            : $"no coordinator joined within {_timings.JoinTimeout.TotalSeconds:0} s: none is published in {_store.Description} or none is reachable; start `sweep coordinator` with the same store, or give --seed");
    }

    public async Task AdvertiseAsync(Akka.Cluster.Cluster cluster, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        string self = cluster.SelfAddress.ToString();
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await _store.PublishSeedAsync(self, Role, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _log.Warning("Refreshing this node's address in the store failed ({Reason}); retrying", e.GetBaseException().Message);
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
        await _store.RemoveSeedAsync(cluster.SelfAddress.ToString()).ConfigureAwait(false);
    }
}
