using SweepCluster.Storage.Tests.Contract;

namespace SweepCluster.Storage.Tests.Postgres;

/// <summary>The store contract on the cluster store: a new PostgreSQL schema per test, dropped afterwards.</summary>
[RequiresPostgres]
public sealed class PostgresSweepStoreContractTests : SweepStoreContractTests
{
    private PostgresTestSchema? _schema;

    protected override async Task<ISweepStore> CreateStoreAsync()
    {
        _schema = await PostgresTestSchema.CreateAsync();
        return _schema.CreateStore();
    }

    protected override async Task RecordNewerSchemaVersionAsync(ISweepStore store)
    {
        var schema = _schema ?? throw new InvalidOperationException("the schema is created with the store");
        await schema.ExecuteAsync("INSERT INTO schema_version (version, name, applied_at) VALUES (9999, '9999_from_the_future.sql', 0)");
    }

    protected override async Task ExecuteBehindTheStoreAsync(ISweepStore store, string sql)
    {
        var schema = _schema ?? throw new InvalidOperationException("the schema is created with the store");
        await schema.ExecuteAsync(sql);
    }

    public override async Task DisposeAsync()
    {
        // The store first: its pool holds connections into the schema.
        await base.DisposeAsync();
        if (_schema is not null)
        {
            await _schema.DisposeAsync();
        }
    }
}
