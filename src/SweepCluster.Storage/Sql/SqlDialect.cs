namespace SweepCluster.Storage.Sql;

/// <summary>
/// What the shared queries of <see cref="SqlSweepStore"/> leave to the database: the few spellings SQLite and
/// PostgreSQL do not share, and how a list of values reaches a statement.
/// </summary>
internal abstract class SqlDialect
{
    /// <summary>The larger of two values.</summary>
    public abstract string Greatest(string left, string right);

    /// <summary>Ends a SELECT of rows that the transaction goes on to change, so that no other writer changes them meanwhile.</summary>
    public abstract string ForUpdate { get; }

    /// <summary>The condition that <paramref name="column"/> is one of the strings of <paramref name="parameter"/>, whose value is a <see cref="List"/>.</summary>
    public abstract string IsIn(string column, string parameter);

    /// <summary>The value of a parameter that <see cref="IsIn"/> reads.</summary>
    public abstract object List(IEnumerable<string> values);

    /// <summary>A FROM item: <paramref name="rows"/> as a table named <see cref="RowList.Alias"/>.</summary>
    public abstract string From(RowList rows);

    /// <summary>Runs <paramref name="sql"/>, which reads <paramref name="rows"/> through <see cref="From"/>, for all of them; returns the rows it returns.</summary>
    public abstract Task<IReadOnlyList<T>> QueryAsync<T>(SqlSession session, string sql, RowList rows, object? parameters = null);

    /// <summary>
    /// A statement that brings the planner's statistics of the sweep tables up to date, or null where the database
    /// plans well without them. Run after a large submission: the units are handed out at once, long before the
    /// server's own statistics notice the new rows.
    /// </summary>
    public virtual string? RefreshStatistics => null;

    /// <summary>Runs <paramref name="sql"/>, which reads <paramref name="rows"/> through <see cref="From"/>, for all of them; returns the rows it changed.</summary>
    public abstract Task<int> ExecuteAsync(SqlSession session, string sql, RowList rows, object? parameters = null);
}
