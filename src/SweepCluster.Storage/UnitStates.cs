namespace SweepCluster.Storage;

/// <summary>
/// The stored states of a unit and the only allowed transitions. Store code and tests both consult this.
/// pending -&gt; leased (claim); leased -&gt; leased (claim after expiry, heartbeat); leased -&gt; done (complete);
/// pending/leased/failed -&gt; done (late completion of a unit nobody finished); leased -&gt; pending (release with retry);
/// leased -&gt; failed (release at the attempt limit); failed -&gt; pending (retry-failed).
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
        (Leased, Pending) => true,
        (Leased, Failed) => true,
        (Failed, Pending) => true,
        _ => false,
    };
}
