using SweepCluster.Storage.Schema;

namespace SweepCluster.Storage.Sql;

/// <summary>The cluster's rows: published seed addresses (formation) and the members' own reports (status).</summary>
public abstract partial class SqlSweepStore
{
    /// <summary>How long a member's report outlives its last refresh before a publication deletes it.</summary>
    private const double MemberReportsKeptSeconds = 86400.0;

    /// <inheritdoc />
    /// <remarks>A refresh keeps the first publication time (the listing order) and takes the new role.</remarks>
    public Task PublishSeedAsync(string address, string role, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(address);
        ArgumentException.ThrowIfNullOrEmpty(role);
        return WriteAsync(s => s.ExecuteAsync("""
            INSERT INTO cluster_seeds (address, role, published_at, refreshed_at)
            VALUES (@address, @role, @now, @now)
            ON CONFLICT (address) DO UPDATE SET
                role = excluded.role,
                refreshed_at = excluded.refreshed_at
            """,
            new { address, role, now = s.Now }), cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Addresses published at the same instant come in byte order (PostgreSQL's address column is COLLATE "C").</remarks>
    public Task<IReadOnlyList<string>> ListSeedsAsync(string role, TimeSpan aliveWithin, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(role);
        ArgumentOutOfRangeException.ThrowIfLessThan(aliveWithin, TimeSpan.Zero);
        return ReadAsync(
            s => s.QueryAsync<string>("""
                SELECT address
                FROM cluster_seeds
                WHERE role = @role AND refreshed_at >= @since
                ORDER BY published_at, address
                """,
                new { role, since = s.Now - aliveWithin.TotalSeconds }),
            cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Removing an address that is not published does nothing.</remarks>
    public Task RemoveSeedAsync(string address, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(address);
        return WriteAsync(s => s.ExecuteAsync("DELETE FROM cluster_seeds WHERE address = @address", new { address }), cancellationToken);
    }

    /// <inheritdoc />
    public Task PublishMemberAsync(MemberReport report, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentException.ThrowIfNullOrEmpty(report.Address);
        return WriteAsync(async s =>
        {
            await s.ExecuteAsync("""
                INSERT INTO cluster_members (address, node_id, roles, status, unreachable, slots, units_done, cells_done, started_at, refreshed_at)
                VALUES (@Address, @NodeId, @roles, @Status, @unreachable, @Slots, @UnitsDone, @CellsDone, @now, @now)
                ON CONFLICT (address) DO UPDATE SET
                    node_id = excluded.node_id, roles = excluded.roles, status = excluded.status, unreachable = excluded.unreachable,
                    slots = excluded.slots, units_done = excluded.units_done, cells_done = excluded.cells_done,
                    refreshed_at = excluded.refreshed_at
                """,
                new { report.Address, report.NodeId, roles = MemberRow.Join(report.Roles), report.Status, unreachable = MemberRow.Join(report.Unreachable), report.Slots, report.UnitsDone, report.CellsDone, now = s.Now }).ConfigureAwait(false);
            await s.ExecuteAsync("DELETE FROM cluster_members WHERE refreshed_at < @forgotten", new { forgotten = s.Now - MemberReportsKeptSeconds }).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<MemberRecord>> ListMembersAsync(TimeSpan forgetAfter, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(forgetAfter, TimeSpan.Zero);
        return ReadAsync<IReadOnlyList<MemberRecord>>(async s =>
        {
            var rows = await s.QueryAsync<MemberRow>("""
                SELECT address AS Address, node_id AS NodeId, roles AS Roles, status AS Status, unreachable AS Unreachable,
                       slots AS Slots, units_done AS UnitsDone, cells_done AS CellsDone, started_at AS StartedAt,
                       @now - refreshed_at AS Age
                FROM cluster_members
                WHERE refreshed_at >= @since
                ORDER BY address
                """,
                new { now = s.Now, since = s.Now - forgetAfter.TotalSeconds }).ConfigureAwait(false);
            return rows.Select(r => r.ToRecord()).ToList();
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task RemoveMemberAsync(string address, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(address);
        return WriteAsync(s => s.ExecuteAsync("DELETE FROM cluster_members WHERE address = @address", new { address }), cancellationToken);
    }
}
