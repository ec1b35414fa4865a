namespace SweepCluster.Storage.Postgres;

/// <summary>
/// How a <see cref="PostgresSweepStore"/> retries a method that failed with a transient error (connection
/// lost or refused, server restarting, serialization failure, deadlock). Each method is one transaction, so
/// running it again from the start is safe; the delay doubles from <see cref="FirstDelay"/> up to
/// <see cref="MaxDelay"/>, with jitter (<see cref="StoreRetries"/>).
/// </summary>
/// <param name="MaxAttempts">Tries per method call, the first included; the last error is thrown after that.</param>
/// <param name="FirstDelay">The wait after the first failure.</param>
/// <param name="MaxDelay">The cap on any one wait.</param>
public sealed record PostgresRetryPolicy(int MaxAttempts, TimeSpan FirstDelay, TimeSpan MaxDelay)
{
    /// <summary>
    /// 10 tries, waiting about 0.1, 0.2, 0.4, 0.8, 1.6, 3.2, 5, 5 and 5 s (each ±20 %): about 21 s in all, enough to
    /// ride out a restart of the server (2 to 3 s here, over 10 s on a loaded machine) or a short failover, short
    /// enough that a worker whose database is gone for good says so within half a minute rather than hanging.
    /// </summary>
    public static PostgresRetryPolicy Default { get; } = new(10, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5));

    /// <summary>No retries: every error reaches the caller at once.</summary>
    public static PostgresRetryPolicy None { get; } = new(1, TimeSpan.Zero, TimeSpan.Zero);

    /// <summary>Throws unless the policy makes sense (at least one try, delays not negative, cap not below the first delay).</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxAttempts);
        ArgumentOutOfRangeException.ThrowIfLessThan(FirstDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxDelay, FirstDelay);
    }
}
