using Microsoft.Data.Sqlite;

namespace SweepCluster.Storage.Tests.Sqlite;

/// <summary>Direct access to a store's file, for tests that look under the contract or tamper with rows.</summary>
public static class SqliteTestDatabase
{
    /// <summary>An open connection outside any pool, so the file is let go as soon as it is disposed.</summary>
    public static SqliteConnection Connect(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    public static async Task<int> ExecuteAsync(SqliteConnection connection, string sql)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteNonQueryAsync();
    }

    public static async Task<IReadOnlyList<string>> QueryTextAsync(SqliteConnection connection, string sql, int column = 0, IReadOnlyDictionary<string, object?>? parameters = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters ?? new Dictionary<string, object?>())
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(Convert.ToString(reader.GetValue(column), System.Globalization.CultureInfo.InvariantCulture) ?? "");
        }

        return values;
    }
}
