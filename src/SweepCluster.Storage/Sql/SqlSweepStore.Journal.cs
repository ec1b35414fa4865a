using SweepCluster.Storage.Schema;

namespace SweepCluster.Storage.Sql;

/// <summary>The event journal: the append-only audit trail of state changes.</summary>
public abstract partial class SqlSweepStore
{
    /// <inheritdoc />
    /// <remarks>The store sets the time (database clock) and the sequence number; those of the argument are ignored.</remarks>
    public Task AppendEventAsync(JournalEvent journalEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(journalEvent);
        ArgumentException.ThrowIfNullOrEmpty(journalEvent.Kind);
        return WriteAsync(
            s => JournalAsync(s, journalEvent.Kind, journalEvent.SweepId, journalEvent.UnitId, journalEvent.NodeId, journalEvent.Attempt, journalEvent.Detail),
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<JournalEvent>> GetEventsAsync(string sweepId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sweepId);
        return ReadAsync<IReadOnlyList<JournalEvent>>(async s =>
        {
            var rows = await s.QueryAsync<EventRow>("""
                SELECT seq AS Seq, at AS At, kind AS Kind, sweep_id AS SweepId, unit_id AS UnitId, node_id AS NodeId,
                       attempt AS Attempt, detail AS Detail
                FROM events
                WHERE sweep_id = @sweepId
                ORDER BY seq
                """,
                new { sweepId }).ConfigureAwait(false);
            return rows.Select(e => e.ToRecord()).ToList();
        }, cancellationToken);
    }

    /// <summary>Appends to the journal inside the caller's transaction, so the line and the change it records commit together.</summary>
    private static Task<int> JournalAsync(SqlSession s, string kind, string? sweepId, string? unitId, string? nodeId, int? attempt, string? detail) =>
        s.ExecuteAsync("""
            INSERT INTO events (at, kind, sweep_id, unit_id, node_id, attempt, detail)
            VALUES (@now, @kind, @sweepId, @unitId, @nodeId, @attempt, @detail)
            """,
            new { now = s.Now, kind, sweepId, unitId, nodeId, attempt, detail });
}
