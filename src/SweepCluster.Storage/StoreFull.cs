using Microsoft.Data.Sqlite;
using Npgsql;

namespace SweepCluster.Storage;

/// <summary>
/// Recognises a store that cannot grow because its disk is full. Waiting does not cure that (someone has to free
/// space), so the processes that write say so and end instead of retrying: what is committed stays committed.
/// </summary>
public static class StoreFull
{
    /// <summary>SQLITE_FULL (sqlite.org/rescode.html): an insert failed because the disk, or the file's page limit, is full.</summary>
    public const int SqliteFull = 13;

    /// <summary>ENOSPC on Linux, as the HResult of an IOException from a file write.</summary>
    private const int NoSpaceLeft = 28;

    /// <summary>What a user reads: the problem, and what to do.</summary>
    public const string Advice = "the disk holding the store is full: free space there (or move the store), then run the same command again; everything committed so far is kept";

    /// <summary>Whether <paramref name="error"/>, or any exception inside it, says the store's disk is full.</summary>
    public static bool Is(Exception? error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            bool full = e switch
            {
                SqliteException sqlite => (sqlite.SqliteErrorCode & 0xFF) == SqliteFull,
                PostgresException server => server.SqlState == PostgresErrorCodes.DiskFull,
                IOException io => (io.HResult & 0xFFFF) == NoSpaceLeft,
                AggregateException aggregate => aggregate.InnerExceptions.Any(Is),
                _ => false,
            };
            if (full)
            {
                return true;
            }
        }

        return false;
    }
}
