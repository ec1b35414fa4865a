namespace SweepCluster.Storage;

/// <summary>
/// The stored states of a unit and the only allowed transitions.
/// pending -&gt; leased (a worker started it); leased -&gt; leased (started again by another worker);
/// pending/leased/failed -&gt; done (commit); pending/leased -&gt; failed (the coordinator gave up on it, or its
/// cells cannot be read); failed -&gt; pending (retry-failed). Leased is what `status` calls in flight; a store
/// written by the first version may also hold leased units whose lease expired, which count the same.
/// </summary>
public static class UnitStates
{
    public const string Pending = "pending";
    public const string Leased = "leased";
    public const string Done = "done";
    public const string Failed = "failed";

    public static readonly IReadOnlyList<string> All = [Pending, Leased, Done, Failed];

    public static bool CanMove(string from, string to) => (from, to) switch
    {
        (Pending, Leased) => true,
        (Leased, Leased) => true,
        (Leased, Done) => true,
        (Pending, Done) => true,
        (Failed, Done) => true,
        (Pending, Failed) => true,
        (Leased, Failed) => true,
        (Failed, Pending) => true,
        _ => false,
    };
}
