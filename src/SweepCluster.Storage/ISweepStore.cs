using SweepCluster.Sweeps.Cells;
using SweepCluster.Sweeps.Units;

namespace SweepCluster.Storage;

/// <summary>
/// The durable store: the checkpoint of every result, and the record of what the cluster's coordinator
/// handed out. Every method is one transaction. Times are the database's clock, never a node's.
/// Implementations: <c>SqliteSweepStore</c> (embedded) and <c>PostgresSweepStore</c> (cluster).
/// </summary>
public interface ISweepStore : IAsyncDisposable
{
    /// <summary>A redacted description for logs (never a password).</summary>
    string Description { get; }

    /// <summary>Creates or upgrades the schema; refuses a schema newer than this code knows.</summary>
    Task MigrateAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes the sweep, its cells (insert-if-absent: cells are shared between sweeps), the spectra, and
    /// the units (insert-if-absent). Atomic. Returns what was new.
    /// </summary>
    Task<SubmitOutcome> SubmitAsync(SweepDefinition sweep, IReadOnlyList<UnitDefinition> units, CancellationToken cancellationToken = default);

    /// <summary>
    /// <see cref="SubmitAsync(SweepDefinition, IReadOnlyList{UnitDefinition}, CancellationToken)"/> for a grid of any
    /// size: the cells are read once, written in batches, and the units of those without a result are planned
    /// (<c>UnitPlanner</c>) as they pass, all in one transaction; memory grows by bytes per cell, not by cells.
    /// The outcome also counts the cells, those already computed and the units planned.
    /// </summary>
    Task<SubmitOutcome> SubmitAsync(SweepSource sweep, CancellationToken cancellationToken = default);

    /// <summary>Ids of the cells among <paramref name="cellIds"/> that already have an accepted result.</summary>
    Task<IReadOnlySet<string>> FindCompletedCellsAsync(IReadOnlyCollection<string> cellIds, CancellationToken cancellationToken = default);

    /// <summary>
    /// The units with these ids, each with its cells (what a worker needs to compute it) and whether the store
    /// already has it done. Unknown ids are left out; a unit whose cells cannot be read is marked failed and left out.
    /// </summary>
    Task<IReadOnlyList<StoredUnit>> LoadUnitsAsync(IReadOnlyCollection<string> unitIds, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes every result of a unit handed out by the coordinator (insert-if-absent by cell id; a differing
    /// second result is recorded as non-determinism) and marks the unit done with its computing node and attempt
    /// if it is not done yet. One transaction. The coordinator fences hand-outs, so the store does not.
    /// </summary>
    Task<CompletionOutcome> CommitUnitAsync(UnitLease handOut, IReadOnlyList<StoredResult> results, CancellationToken cancellationToken = default);

    /// <summary>
    /// <see cref="CommitUnitAsync"/> for several units in one transaction: each unit's outcome (in list order) is
    /// what committing them one after the other would give, and a busy worker pays one transaction per batch
    /// instead of one per unit. An empty list writes nothing.
    /// </summary>
    Task<IReadOnlyList<CompletionOutcome>> CommitUnitsAsync(IReadOnlyList<(UnitLease HandOut, IReadOnlyList<StoredResult> Results)> units, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records that a worker started these hand-outs (state leased, owner, attempt), so that `status` and the
    /// exports show what is in flight without asking the cluster. No expiry: the coordinator decides when a
    /// unit is lost. Units already done or failed are left alone. One transaction.
    /// </summary>
    Task MarkUnitsStartedAsync(IReadOnlyList<UnitLease> handOuts, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records that a worker gave these hand-outs back unstarted (a drain): pending again, no owner. A unit that was
    /// handed to someone else since, or finished, is left alone. One transaction.
    /// </summary>
    Task MarkUnitsReturnedAsync(IReadOnlyList<UnitLease> handOuts, CancellationToken cancellationToken = default);

    /// <summary>Marks a unit failed for good (the coordinator's decision) with the reason; a done unit stays done.</summary>
    Task MarkUnitFailedAsync(UnitLease handOut, string reason, CancellationToken cancellationToken = default);

    /// <summary>
    /// Publishes (or refreshes) a cluster member's address so that other processes of the same store can find
    /// seed nodes with nothing but the store URL. Refresh it well within the alive window of <see cref="ListSeedsAsync"/>.
    /// </summary>
    Task PublishSeedAsync(string address, string role, CancellationToken cancellationToken = default);

    /// <summary>Addresses of the given role refreshed within <paramref name="aliveWithin"/> (database clock), oldest publication first.</summary>
    Task<IReadOnlyList<string>> ListSeedsAsync(string role, TimeSpan aliveWithin, CancellationToken cancellationToken = default);

    /// <summary>Removes a published address (clean shutdown).</summary>
    Task RemoveSeedAsync(string address, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes (or refreshes) what a cluster member reports about itself; the first report's time is kept as its
    /// start. Reports not refreshed for a day are deleted on the way.
    /// </summary>
    Task PublishMemberAsync(MemberReport report, CancellationToken cancellationToken = default);

    /// <summary>The members' last reports refreshed within <paramref name="forgetAfter"/>, by address.</summary>
    Task<IReadOnlyList<MemberRecord>> ListMembersAsync(TimeSpan forgetAfter, CancellationToken cancellationToken = default);

    /// <summary>Deletes a member's report (clean exit).</summary>
    Task RemoveMemberAsync(string address, CancellationToken cancellationToken = default);

    /// <summary>
    /// Puts the failed units of a sweep back to pending (the attempt counter is kept, so it keeps rising and
    /// old fencing tokens stay invalid) and reopens the sweep. Returns how many.
    /// </summary>
    Task<int> RetryFailedAsync(string sweepId, CancellationToken cancellationToken = default);

    /// <summary>Marks a sweep finished (all its units done or failed) once; returns false if it already was.</summary>
    Task<bool> MarkSweepFinishedAsync(string sweepId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Marks a sweep cancelled: coordinators hand out no more of its units (those in flight finish and are kept).
    /// Returns false if it already was. Throws <see cref="KeyNotFoundException"/> for a sweep the store does not hold.
    /// </summary>
    Task<bool> CancelSweepAsync(string sweepId, CancellationToken cancellationToken = default);

    /// <summary>Clears a sweep's cancel mark (a new run or submit of its grid); returns false if it was not cancelled.</summary>
    Task<bool> ResumeSweepAsync(string sweepId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes a sweep with its units and the cells (and results) no other sweep of the store holds; cells another
    /// sweep shares stay with their results. One transaction. Throws <see cref="KeyNotFoundException"/> for a sweep
    /// the store does not hold.
    /// </summary>
    Task<SweepDeletion> DeleteSweepAsync(string sweepId, CancellationToken cancellationToken = default);

    /// <summary>Sweeps in the store, newest first.</summary>
    Task<IReadOnlyList<SweepInfo>> ListSweepsAsync(CancellationToken cancellationToken = default);

    /// <summary>Unit counts by state (leased: in flight), cells with results and the database time, for progress and status.</summary>
    Task<SweepProgress> GetProgressAsync(string sweepId, CancellationToken cancellationToken = default);

    /// <summary>The cells of a sweep with their accepted results (null when not computed yet), ordered by cell id.</summary>
    Task<IReadOnlyList<CellRecord>> GetCellsAsync(string sweepId, CancellationToken cancellationToken = default);

    /// <summary>
    /// <see cref="GetCellsAsync"/> read in pages of a thousand cells, each page its own read: for exports and
    /// reports of sweeps too large to hold. On a sweep still being computed, a later page may show newer results.
    /// </summary>
    IAsyncEnumerable<CellRecord> ReadCellsAsync(string sweepId, CancellationToken cancellationToken = default);

    /// <summary>Run metadata of a sweep's units: who computed them, attempts and durations.</summary>
    Task<IReadOnlyList<UnitRecord>> GetUnitsAsync(string sweepId, CancellationToken cancellationToken = default);

    /// <summary><see cref="GetUnitsAsync"/> in id order, read in pages of a thousand units, each page its own read.</summary>
    IAsyncEnumerable<UnitRecord> ReadUnitsAsync(string sweepId, CancellationToken cancellationToken = default);

    /// <summary>The eigenvalue file text with this content hash, or null.</summary>
    Task<string?> GetSpectrumAsync(string contentHash, CancellationToken cancellationToken = default);

    /// <summary>Appends to the event journal (the append-only audit trail of state changes).</summary>
    Task AppendEventAsync(JournalEvent journalEvent, CancellationToken cancellationToken = default);

    /// <summary>The journal of a sweep in order.</summary>
    Task<IReadOnlyList<JournalEvent>> GetEventsAsync(string sweepId, CancellationToken cancellationToken = default);

    /// <summary>The grid file of the sweep's latest submission that named one (its full path), or null.</summary>
    Task<string?> GetGridFileAsync(string sweepId, CancellationToken cancellationToken = default);

    /// <summary>Recorded non-determinism: cells whose second result differed from the first.</summary>
    Task<IReadOnlyList<NonDeterminismRecord>> GetNonDeterminismAsync(string sweepId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Checks, without changing anything, that this is a sweep store and that its storage is sound as far as that is
    /// cheap to tell (SQLite: the store's schema and <c>PRAGMA quick_check</c>, linear in the file's size; PostgreSQL:
    /// the schema, the server guards its own pages). For reading commands, before they report anything.
    /// </summary>
    Task<StoreCheck> CheckAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Cross-checks a sweep's rows: cells that lost their result, and cells with two different results. One read
    /// transaction; throws <see cref="KeyNotFoundException"/> for a sweep the store does not hold.
    /// </summary>
    Task<SweepAudit> AuditSweepAsync(string sweepId, CancellationToken cancellationToken = default);
}
