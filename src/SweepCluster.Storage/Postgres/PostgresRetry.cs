namespace SweepCluster.Storage.Postgres;

/// <summary>A transient failure the store is about to retry (see <see cref="PostgresSweepStore.Retrying"/>).</summary>
/// <param name="Operation">The store method, or <c>WaitForWork</c> for the listening connection.</param>
/// <param name="Attempt">The try that failed (1-based).</param>
/// <param name="Delay">How long the store waits before the next try.</param>
/// <param name="Error">What failed; its message never holds the password.</param>
public sealed record PostgresRetry(string Operation, int Attempt, TimeSpan Delay, Exception Error);
