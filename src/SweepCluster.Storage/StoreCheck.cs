namespace SweepCluster.Storage;

/// <summary>What <see cref="ISweepStore.CheckAsync"/> found.</summary>
public enum StoreCheckStatus
{
    /// <summary>A sweep store whose storage checks clean.</summary>
    Sound = 0,

    /// <summary>Not a sweep store: another kind of file, or a database without the store's schema.</summary>
    NotASweepStore = 1,

    /// <summary>A sweep store whose storage is damaged: what it reads may be missing rows.</summary>
    Damaged = 2,

    /// <summary>A database without any table: a store whose creation never got as far as its schema.</summary>
    Empty = 3,
}

/// <summary>The answer of <see cref="ISweepStore.CheckAsync"/>: the status and, unless sound, what is wrong (a few lines).</summary>
public sealed record StoreCheck(StoreCheckStatus Status, IReadOnlyList<string> Problems)
{
    public static StoreCheck Sound { get; } = new(StoreCheckStatus.Sound, []);
}

/// <summary>
/// What <see cref="ISweepStore.AuditSweepAsync"/> found about one sweep's rows.
/// </summary>
/// <param name="SweepId">The sweep.</param>
/// <param name="LostCells">
/// Cells without a result that no unit still open or failed will compute: every unit holding them is done, or none
/// holds them. A sound store never has one; it means result rows were lost.
/// </param>
/// <param name="NonDeterministicCells">Cells computed twice with two different results.</param>
public sealed record SweepAudit(string SweepId, int LostCells, int NonDeterministicCells);
