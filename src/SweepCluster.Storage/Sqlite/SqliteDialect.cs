using System.Text.Json;
using Dapper;
using SweepCluster.Storage.Sql;

namespace SweepCluster.Storage.Sqlite;

/// <summary>
/// SQLite's side of the shared queries. It runs in this process, so a statement costs no round trip: row lists
/// go in one statement per row, and id lists as one JSON array (no limit on their length, unlike parameters).
/// </summary>
internal sealed class SqliteDialect : SqlDialect
{
    public static readonly SqliteDialect Instance = new();

    private SqliteDialect()
    {
    }

    public override string Greatest(string left, string right) => $"max({left}, {right})";

    // A writing transaction holds the file's write lock from its first statement (BEGIN IMMEDIATE), so rows need no lock of their own.
    public override string ForUpdate => "";

    public override string IsIn(string column, string parameter) => $"{column} IN (SELECT value FROM json_each({parameter}))";

    public override object List(IEnumerable<string> values) => JsonSerializer.Serialize(values);

    public override string From(RowList rows) =>
        $"(SELECT {string.Join(", ", rows.Columns.Select(c => $"@{rows.ParameterName(c.Name)} AS {c.Name}"))}) AS {rows.Alias}";

    public override async Task<IReadOnlyList<T>> QueryAsync<T>(SqlSession session, string sql, RowList rows, object? parameters = null)
    {
        var returned = new List<T>(rows.Count);
        for (int i = 0; i < rows.Count; i++)
        {
            returned.AddRange(await session.QueryAsync<T>(sql, Row(rows, i, parameters)).ConfigureAwait(false));
        }

        return returned;
    }

    public override async Task<int> ExecuteAsync(SqlSession session, string sql, RowList rows, object? parameters = null)
    {
        int changed = 0;
        for (int i = 0; i < rows.Count; i++)
        {
            changed += await session.ExecuteAsync(sql, Row(rows, i, parameters)).ConfigureAwait(false);
        }

        return changed;
    }

    private static DynamicParameters Row(RowList rows, int index, object? parameters)
    {
        var row = new DynamicParameters(parameters);
        foreach (var (name, values) in rows.Columns)
        {
            row.Add(rows.ParameterName(name), values.GetValue(index));
        }

        return row;
    }
}
