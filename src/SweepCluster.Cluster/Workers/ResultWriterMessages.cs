using SweepCluster.Storage;

namespace SweepCluster.Cluster.Workers;

/// <summary>Messages the result writer handles.</summary>
public interface IResultWriterMessage;

/// <summary>Store a computed unit, then tell the worker.</summary>
public sealed record CommitUnit(ClaimedUnit Unit, IReadOnlyList<StoredResult> Results, WorkerActor ReplyTo) : IResultWriterMessage;

/// <summary>No more commits will come.</summary>
public sealed record StopWriter : IResultWriterMessage
{
    public static readonly StopWriter Instance = new();
}
