using SweepCluster.Storage.Schema;
using SweepCluster.Sweeps.Cells;

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
    public Task<string?> GetGridFileAsync(string sweepId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sweepId);

        // Submissions are a handful of lines among the sweep's journal; the index on (sweep_id, seq) serves the walk back.
        return ReadAsync(async s =>
        {
            var details = await s.QueryAsync<string?>(
                $"SELECT detail FROM events WHERE sweep_id = @sweepId AND kind = '{JournalEventKinds.SweepSubmitted}' ORDER BY seq DESC",
                new { sweepId }).ConfigureAwait(false);
            return details.Select(SubmissionDetail.GridFile).FirstOrDefault(f => f is not null);
        }, cancellationToken);
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
        JournalAsync(s, [new JournalLine(kind, sweepId, unitId, nodeId, attempt, detail)]);

    /// <summary>
    /// Appends <paramref name="lines"/> in their order (their sequence numbers follow it) inside the caller's
    /// transaction, in one statement where the database takes row lists (a batch commit journals every unit).
    /// </summary>
    private static Task<int> JournalAsync(SqlSession s, IReadOnlyList<JournalLine> lines)
    {
        var rows = new RowList("j")
            .Column("kind", lines.Select(l => l.Kind))
            .Column("sweep_id", lines.Select(l => l.SweepId))
            .Column("unit_id", lines.Select(l => l.UnitId))
            .Column("node_id", lines.Select(l => l.NodeId))
            .Column("attempt", lines.Select(l => l.Attempt))
            .Column("detail", lines.Select(l => l.Detail));
        return s.Dialect.ExecuteAsync(s, $"""
            INSERT INTO events (at, kind, sweep_id, unit_id, node_id, attempt, detail)
            SELECT @now, j.kind, j.sweep_id, j.unit_id, j.node_id, j.attempt, j.detail
            FROM {s.Dialect.From(rows)}
            """,
            rows, new { now = s.Now });
    }

    /// <summary>A journal line to append; the store adds the time and the sequence number.</summary>
    private sealed record JournalLine(string Kind, string? SweepId, string? UnitId, string? NodeId, int? Attempt, string? Detail);
}
