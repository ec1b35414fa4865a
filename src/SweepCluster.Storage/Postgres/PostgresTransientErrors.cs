using Npgsql;

namespace SweepCluster.Storage.Postgres;

/// <summary>
/// Which failures are worth running a store method again for. Every method is one transaction, so a retry
/// starts from a clean slate; what must never be retried is a permanent error (a constraint violation, a
/// syntax error, a missing table), which would fail the same way each time and only hide itself for seconds.
/// </summary>
/// <remarks>
/// Server errors are classified here by SQLSTATE, not by <see cref="NpgsqlException.IsTransient"/>: Npgsql's
/// list leaves out the shutdown codes a restart produces (57P01, 57P02) and the deadlock code 40P01, and it
/// includes states such as disk_full (53100) or object_not_in_prerequisite_state (55000) that a few seconds
/// of waiting do not cure. Errors without a server state (I/O, sockets, timeouts) keep Npgsql's verdict.
/// </remarks>
internal static class PostgresTransientErrors
{
    public static bool IsTransient(Exception error) => error switch
    {
        PostgresException server => IsTransientState(server.SqlState),
        NpgsqlException client => client.IsTransient || IsConnectionLoss(client),
        TimeoutException => true,
        _ => false,
    };

    /// <summary>
    /// The connection itself is gone or was never made (as opposed to a transaction that lost a race): the
    /// pool's idle connections are then likely dead too, and are better dropped than tried one by one.
    /// </summary>
    public static bool IsConnectionLoss(Exception error) => error switch
    {
        PostgresException server => server.SqlState.StartsWith("08", StringComparison.Ordinal)
            || server.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow,
        // Reading or writing the socket failed, or connecting did; a timeout (a slow query, an exhausted pool)
        // says nothing about the connections themselves.
        NpgsqlException client => client.InnerException is IOException or System.Net.Sockets.SocketException,
        _ => false,
    };

    public static bool IsTransientState(string sqlState) =>
        sqlState.StartsWith("08", StringComparison.Ordinal) // connection_exception and its subclasses
        || sqlState is PostgresErrorCodes.SerializationFailure // 40001
            or PostgresErrorCodes.DeadlockDetected // 40P01
            or PostgresErrorCodes.AdminShutdown // 57P01: the server is shutting down (restart, failover)
            or PostgresErrorCodes.CrashShutdown // 57P02: another backend crashed and the server is resetting
            or PostgresErrorCodes.CannotConnectNow // 57P03: starting up or shutting down
            or PostgresErrorCodes.TooManyConnections; // 53300: other pods hold every slot for now
}
