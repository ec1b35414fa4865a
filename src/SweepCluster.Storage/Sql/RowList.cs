namespace SweepCluster.Storage.Sql;

/// <summary>
/// Rows that one statement reads as a table (<c>FROM {dialect.From(rows)}</c>), given column by column, so that
/// a whole list goes into a query whatever its length. How they reach the database is the dialect's business.
/// </summary>
internal sealed class RowList
{
    private readonly List<(string Name, Array Values)> _columns = [];

    public RowList(string alias) => Alias = alias;

    /// <summary>The table's name in the statement.</summary>
    public string Alias { get; }

    public int Count { get; private set; }

    public IReadOnlyList<(string Name, Array Values)> Columns => _columns;

    /// <summary>Adds a column; every column must have one value per row.</summary>
    public RowList Column<T>(string name, IEnumerable<T> values)
    {
        T[] array = [.. values];
        if (_columns.Count > 0 && array.Length != Count)
        {
            throw new ArgumentException($"column {name} has {array.Length} values for {Count} rows", nameof(values));
        }

        Count = array.Length;
        _columns.Add((name, array));
        return this;
    }

    /// <summary>The name of the parameter that carries a column.</summary>
    public string ParameterName(string column) => Alias + "_" + column;
}
