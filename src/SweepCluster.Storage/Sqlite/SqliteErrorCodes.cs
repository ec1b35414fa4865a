using Microsoft.Data.Sqlite;

namespace SweepCluster.Storage.Sqlite;

/// <summary>SQLite's primary result codes (sqlite.org/rescode.html) that mean damage rather than a busy or missing file.</summary>
public static class SqliteErrorCodes
{
    /// <summary>SQLITE_CORRUPT: a page or a record of the file is malformed.</summary>
    public const int Corrupt = 11;

    /// <summary>SQLITE_NOTADB: the file does not start like a SQLite database.</summary>
    public const int NotADatabase = 26;

    /// <summary>Whether <paramref name="code"/> (a SqliteException's SqliteErrorCode) says the file is damaged or not a database.</summary>
    public static bool MeansDamage(int code) => code is Corrupt or NotADatabase;

    /// <summary>Whether <paramref name="exception"/> is SQLite reporting a damaged file (or one that is not a database).</summary>
    public static bool MeansDamage(Exception? exception) => exception is SqliteException e && MeansDamage(e.SqliteErrorCode);
}
