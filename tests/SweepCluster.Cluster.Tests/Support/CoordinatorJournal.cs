using SweepCluster.Cluster.Coordination;

namespace SweepCluster.Cluster.Tests.Support;

/// <summary>
/// What the persistent coordinator does with a decision, without Akka: persist the events (here, keep them in
/// order) and apply them to the state. <see cref="Replay"/> is recovery.
/// </summary>
public sealed class CoordinatorJournal
{
    private readonly List<ICoordinatorEvent> _events = [];

    public CoordinatorState State { get; private set; } = CoordinatorState.Empty;

    public IReadOnlyList<ICoordinatorEvent> Events => _events;

    /// <summary>Persists and applies <paramref name="e"/> unless it is null (nothing to change); returns it.</summary>
    public T? Persist<T>(T? e)
        where T : class, ICoordinatorEvent
    {
        if (e is not null)
        {
            _events.Add(e);
            State = State.Apply(e);
        }

        return e;
    }

    public IReadOnlyList<T> PersistAll<T>(IReadOnlyList<T> events)
        where T : class, ICoordinatorEvent
    {
        ArgumentNullException.ThrowIfNull(events);
        foreach (var e in events)
        {
            Persist(e);
        }

        return events;
    }

    /// <summary>Swaps the live state for an equivalent one (a state restored from a snapshot); the journal goes on.</summary>
    public void Restore(CoordinatorState state) => State = state ?? throw new ArgumentNullException(nameof(state));

    /// <summary>The state recovery builds from <paramref name="from"/> and the events persisted since it.</summary>
    public static CoordinatorState Replay(IEnumerable<ICoordinatorEvent> events, CoordinatorState? from = null) =>
        events.Aggregate(from ?? CoordinatorState.Empty, (state, e) => state.Apply(e));
}
