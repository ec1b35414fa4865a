using Microsoft.Data.Sqlite;
using SweepCluster.Cli.Tests.Support;

namespace SweepCluster.Cli.Tests.Hardening;

/// <summary>
/// One small sweep computed to the end by a real `sweep run` (24 cells, a few seconds), kept as a clean store file
/// that each test copies and then damages in its own way.
/// </summary>
public sealed class FinishedStoreFixture : IDisposable
{
    public const string SweepId = "tiny";

    public const string Grid = "name: tiny\nd: 20\nN: [10, 20, 40]\nc: [0, 0.1]\nseeds: 3\ntheory: true\n";

    private readonly TempFolder _folder = new("finished-store");

    public FinishedStoreFixture()
    {
        _folder.Write("grid.yaml", Grid);
        var run = CliProcess.Run(TimeSpan.FromMinutes(3), _folder.Path, "run", "grid.yaml", "--store", "store.db", "--workers", "2");
        Assert.True(run.ExitCode == 0, $"the reference run failed ({run.ExitCode}):\n{run.Stderr}");

        // Everything into the main file, so that copying that one file copies the whole store.
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _folder["store.db"], Pooling = false }.ToString());
        connection.Open();
        using var checkpoint = connection.CreateCommand();
        checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
        checkpoint.ExecuteNonQuery();
    }

    /// <summary>Copies the finished store (and the grid) into <paramref name="folder"/>; returns the store's path.</summary>
    public string CopyTo(TempFolder folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        folder.Write("grid.yaml", Grid);
        string store = folder["store.db"];
        File.Copy(_folder["store.db"], store);
        return store;
    }

    /// <summary>Runs SQL on a store file behind the program's back, as a damaged disk or another tool would change it.</summary>
    public static void Execute(string store, string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = store, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public void Dispose() => _folder.Dispose();
}
