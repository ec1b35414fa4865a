using System.Data.Common;
using Microsoft.Data.Sqlite;
using SweepCluster.Storage;
using SweepCluster.Storage.Sqlite;

namespace SweepCluster.Cli.Stores;

/// <summary>The composition root's choice of store implementation, from the location's scheme.</summary>
public static class StoreFactory
{
    /// <summary>
    /// Opens the store for a command that writes (run, submit, worker, coordinator), creating a SQLite file if missing
    /// and migrating the schema when <paramref name="migrate"/>. An existing SQLite file is checked first, so that a
    /// damaged store or another program's database is refused before anything is written into it.
    /// </summary>
    public static async Task<ISweepStore> OpenAsync(StoreLocation location, bool migrate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(location);
        bool existing = !location.IsPostgres && new FileInfo(location.Value) is { Exists: true, Length: > 0 };
        var store = Create(location, forReading: false);
        try
        {
            if (existing)
            {
                Refuse(location, await store.CheckAsync(cancellationToken).ConfigureAwait(false), emptyIsFine: true);
            }

            if (migrate)
            {
                await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
            }

            return store;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw Classify(e, location, "cannot use the store");
        }
    }

    /// <summary>
    /// Opens an existing store for a command that only reads (status, export, report): never creates a file, refuses a
    /// store that is not one, holds no schema, or whose storage is damaged (<see cref="ISweepStore.CheckAsync"/>), and
    /// brings an older schema up to date.
    /// </summary>
    public static async Task<ISweepStore> OpenForReadingAsync(StoreLocation location, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(location);
        var store = Create(location, forReading: true);
        try
        {
            Refuse(location, await store.CheckAsync(cancellationToken).ConfigureAwait(false), emptyIsFine: false);

            // A store an older version wrote lacks the newest columns, and the queries name them. The migrations only
            // add, so bringing it up to date here changes nothing it holds (a store at the current version is not
            // even locked); without it, status would fail until some writing command had run.
            if (store is SweepCluster.Storage.Sql.SqlSweepStore sql && !await sql.SchemaIsCurrentAsync(cancellationToken).ConfigureAwait(false))
            {
                await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
            }

            return store;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw Classify(e, location, "cannot read the store");
        }
    }

    /// <summary>
    /// Driver messages are not supposed to quote the connection string, but one that did must not put the password in
    /// a log line: its text is blanked wherever it appears. (Descriptions of the store are redacted by position instead,
    /// see <see cref="PostgresUrl.Redact"/>; here there is no position to go by.)
    /// </summary>
    public static string Redact(string message, StoreLocation location)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(location);
        string? password = location.IsPostgres ? PostgresUrl.PasswordOf(location.Value) : null;
        return string.IsNullOrEmpty(password) ? message : message.Replace(password, "***", StringComparison.Ordinal);
    }

    private static ISweepStore Create(StoreLocation location, bool forReading)
    {
        try
        {
            return location.IsPostgres ? PostgresStores.Create(location, forReading)
                : forReading ? SqliteSweepStore.OpenExisting(location.Value)
                : SqliteSweepStore.Open(location.Value);
        }
        catch (FileNotFoundException)
        {
            throw new StoreLocationException($"no store at {location.Redacted}: check --store (or {StoreLocation.EnvironmentVariable}); a store is created by `sweep run GRID` or `sweep submit GRID`");
        }
        catch (Exception e) when (e is not StoreLocationException and not OperationCanceledException)
        {
            throw Classify(e, location, "cannot open the store");
        }
    }

    private static void Refuse(StoreLocation location, StoreCheck check, bool emptyIsFine)
    {
        string problems = string.Join("; ", check.Problems);
        switch (check.Status)
        {
            case StoreCheckStatus.Sound:
            case StoreCheckStatus.Empty when emptyIsFine:
                return;
            case StoreCheckStatus.Empty:
                throw new StoreLocationException($"the store {location.Redacted} holds no sweep yet ({problems}); start one with `sweep run GRID` or `sweep submit GRID`");
            case StoreCheckStatus.NotASweepStore:
                throw new StoreLocationException($"{location.Redacted} is not a sweep store: {problems}; check --store");
            default:
                throw Damaged(location, problems);
        }
    }

    private static StoreDamagedException Damaged(StoreLocation location, string problems) =>
        new($"the store {location.Redacted} is damaged ({problems}); nothing read from it can be trusted as complete. Keep a copy of the file, then restore a backup or run the grid again into a new store (--store NEW.db); see docs/troubleshooting.md");

    /// <summary>What an exception while opening means to the user: a damaged file, bad input, or an environment failure.</summary>
    private static Exception Classify(Exception e, StoreLocation location, string what) => e switch
    {
        StoreLocationException or StoreDamagedException => e,
        SqliteException { SqliteErrorCode: SqliteErrorCodes.NotADatabase } =>
            new StoreLocationException($"{location.Redacted} is not a sweep store: the file is not a SQLite database (or its first page is destroyed); check --store"),
        _ when SqliteErrorCodes.MeansDamage(e) => Damaged(location, e.Message.TrimEnd('.')),
        // A query option Npgsql does not know (?sslmod=require): the URL is the user's input.
        ArgumentException when location.IsPostgres => new StoreLocationException($"{what} {location.Redacted}: {Redact(e.Message, location)}; the URL's ?options are Npgsql connection settings"),
        DbException or TimeoutException or IOException or UnauthorizedAccessException =>
            new StoreLocationException($"{what} {location.Redacted}: {Redact(e.Message, location)}{Hint(location)}", e),
        _ => new StoreLocationException($"{what} {location.Redacted}: {Redact(e.Message, location)}", e),
    };

    private static string Hint(StoreLocation location) => location.IsPostgres
        ? "; check that the database server runs and that the URL's host, port, user and password are right"
        : "; check that the file's folder exists and can be written";
}
