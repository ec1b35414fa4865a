using Serilog;
using SweepCluster.Cluster.Hosting;
using SweepCluster.Storage;

namespace SweepCluster.Cluster.Membership;

/// <summary>
/// Writes what this node knows about itself and the cluster into the store every interval, so that `sweep status`
/// shows the members from any machine that can read the store, without joining the cluster: address, roles,
/// membership status, the members this node finds unreachable, slots and work done. The report is this node's view;
/// a report that stops being refreshed tells the reader the node is gone or frozen.
/// </summary>
public sealed class MemberReporting
{
    /// <summary>How often a node reports; readers take a report older than a few intervals for a lost node.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly ISweepStore _store;
    private readonly string _nodeId;
    private readonly IReadOnlyList<string> _roles;
    private readonly int _slots;
    private readonly NodeMetrics _metrics;
    private readonly TimeSpan _interval;
    private readonly ILogger _log;

    public MemberReporting(ISweepStore store, string nodeId, IReadOnlyList<string> roles, int slots, NodeMetrics metrics, TimeSpan interval, ILogger log)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _nodeId = nodeId ?? throw new ArgumentNullException(nameof(nodeId));
        _roles = roles ?? throw new ArgumentNullException(nameof(roles));
        _slots = slots;
        _metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));
        _interval = interval;
        _log = log ?? throw new ArgumentNullException(nameof(log));
    }

    /// <summary>The report as of now.</summary>
    public MemberReport Snapshot(Akka.Cluster.Cluster cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var state = cluster.State;
        return new MemberReport(
            cluster.SelfAddress.ToString(),
            _nodeId,
            _roles,
            cluster.SelfMember.Status.ToString(),
            state.Unreachable.Select(m => m.Address.ToString()).Order(StringComparer.Ordinal).ToArray(),
            _slots,
            (int)_metrics.UnitsCompleted,
            (int)_metrics.CellsCompleted);
    }

    /// <summary>Reports every interval until cancelled; a failed write is logged once per outage and retried.</summary>
    public async Task RunAsync(Akka.Cluster.Cluster cluster, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        bool failing = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            var view = ClusterView.Of(cluster);
            _metrics.SetMembership(view.MembersUp, view.Unreachable, view.CoordinatorsUp);
            try
            {
                await _store.PublishMemberAsync(Snapshot(cluster), cancellationToken).ConfigureAwait(false);
                failing = false;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                if (!failing)
                {
                    _log.Warning("Reporting this node to the store failed ({Reason}); `status` shows it as unreachable until a report succeeds", e.GetBaseException().Message);
                    failing = true;
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                await Task.Delay(_interval, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Deletes this node's report (a clean exit); a failure only leaves a report that ages out.</summary>
    public async Task WithdrawAsync(Akka.Cluster.Cluster cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        try
        {
            await _store.RemoveMemberAsync(cluster.SelfAddress.ToString()).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _log.Debug(e, "Could not delete this node's report from the store; it ages out");
        }
    }
}
