using System.Globalization;
using SweepCluster.Cluster.Coordination;
using SweepCluster.Cluster.Protocol;

namespace SweepCluster.Cluster.Tests.Support;

/// <summary>
/// Canonical text of coordinator states and events, so tests compare them with <c>Assert.Equal</c> on strings
/// (records holding lists compare lists by reference) and read a diff when they differ.
/// </summary>
public static class CoordinatorStateText
{
    /// <summary>The open queue as the state would hand it out: every open unit, due or not, in hand-out order.</summary>
    public static IReadOnlyList<UnitTicket> OpenQueue(CoordinatorState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.HandOut("queue-probe", long.MaxValue, int.MaxValue, double.PositiveInfinity)?.Units ?? [];
    }

    /// <summary>Everything a state holds: sweeps, units, last requests, the open queue in order.</summary>
    public static string Describe(CoordinatorState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var snapshot = state.ToSnapshot();
        var lines = new List<string>();
        lines.AddRange(snapshot.Sweeps.Select(s => s.ToString()));
        lines.AddRange(snapshot.Units.Select(u => u.ToString()));
        lines.AddRange(snapshot.LastRequests.Select(r => $"WorkerRequest({r.NodeId}, {r.RequestId}, [{Tickets(r.Units)}])"));
        lines.Add($"OpenCount {state.OpenCount}");
        lines.Add($"Queue [{Tickets(OpenQueue(state))}]");
        return string.Join('\n', lines);
    }

    public static string Describe(IEnumerable<ICoordinatorEvent> events) =>
        string.Join('\n', events.Select(Describe));

    public static string Describe(ICoordinatorEvent? e) => e switch
    {
        null => "null",
        SweepAccepted a => $"SweepAccepted({a.SweepId}, [{string.Join(", ", a.Units)}])",
        UnitsHandedOut h => $"UnitsHandedOut({h.NodeId}, {h.RequestId}, [{Tickets(h.Units)}], {Number(h.At)})",
        UnitsCompleted c => $"UnitsCompleted({c.NodeId}, [{Tickets(c.Units)}])",
        UnitAttemptFailed f => f.ToString(),
        UnitsReleased r => $"UnitsReleased([{Tickets(r.Reopened)}], [{Tickets(r.FailedForGood)}], {r.Reason}, {r.CountsAsAttempt}, {Number(r.RetryAt)})",
        FailedUnitsRequeued q => $"FailedUnitsRequeued({q.SweepId}, [{string.Join(", ", q.UnitIds)}])",
        SweepFinished f => f.ToString(),
        _ => throw new ArgumentException($"unknown event {e.GetType().Name}", nameof(e)),
    };

    public static string Tickets(IEnumerable<UnitTicket>? tickets) =>
        tickets is null ? "null" : string.Join(", ", tickets.Select(t => $"{t.UnitId}#{t.Attempt}"));

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
