using Microsoft.Data.Sqlite;
using SweepCluster.Storage.Sqlite;
using SweepCluster.Storage.Tests.Contract;
using SweepCluster.Storage.Tests.Support;

namespace SweepCluster.Storage.Tests.Sqlite;

/// <summary>The store contract on the embedded store: a new database file in a folder of its own per test.</summary>
/// <remarks>xUnit disposes the store (DisposeAsync) before it deletes the folder (Dispose).</remarks>
public sealed class SqliteSweepStoreContractTests : SweepStoreContractTests, IDisposable
{
    private readonly TempFolder _folder = new();

    protected override Task<ISweepStore> CreateStoreAsync() => Task.FromResult<ISweepStore>(SqliteSweepStore.Open(_folder.File("sweeps.db")));

    protected override async Task RecordNewerSchemaVersionAsync(ISweepStore store)
    {
        await using var connection = SqliteTestDatabase.Connect(((SqliteSweepStore)store).FullPath);
        await SqliteTestDatabase.ExecuteAsync(connection, "INSERT INTO schema_version (version, name, applied_at) VALUES (9999, '9999_from_the_future.sql', 0)");
    }

    protected override async Task ExecuteBehindTheStoreAsync(ISweepStore store, string sql)
    {
        await using var connection = SqliteTestDatabase.Connect(((SqliteSweepStore)store).FullPath);
        await SqliteTestDatabase.ExecuteAsync(connection, sql);
    }

    public void Dispose() => _folder.Dispose();
}
