using Parquet;
using Parquet.Schema;

namespace SweepCluster.Sweeps.Exports;

/// <summary>
/// A Parquet file described column by column: each column has a name, a Parquet type and how a row gives its
/// value (null for a missing one). Numbers are DOUBLE, counts INT64, times timestamps in UTC (milliseconds),
/// so pandas, polars and DuckDB get typed columns without parsing text. Rows are written in row groups of
/// <see cref="RowGroupRows"/>, so a million-cell export holds one group in memory, not the whole table.
/// </summary>
/// <typeparam name="TRow">What one row is made from.</typeparam>
internal sealed class ParquetTable<TRow>
{
    public const int RowGroupRows = 50_000;

    private readonly int _rowGroupRows;
    private readonly List<DataField> _fields = [];
    private readonly List<Func<ParquetRowGroupWriter, IReadOnlyList<TRow>, Task>> _writers = [];

    public ParquetTable(int rowGroupRows = RowGroupRows)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rowGroupRows);
        _rowGroupRows = rowGroupRows;
    }

    public ParquetTable<TRow> Text(string name, Func<TRow, string?> value)
    {
        var field = new DataField<string>(name, nullable: true);
        return Add(field, (group, rows) => group.WriteAsync(field, rows.Select(value).ToArray()));
    }

    public ParquetTable<TRow> Integer(string name, Func<TRow, long?> value)
    {
        var field = new DataField<long?>(name);
        return Add(field, (group, rows) => group.WriteAsync<long>(field, rows.Select(value).ToArray()));
    }

    public ParquetTable<TRow> Real(string name, Func<TRow, double?> value)
    {
        var field = new DataField<double?>(name);
        return Add(field, (group, rows) => group.WriteAsync<double>(field, rows.Select(value).ToArray()));
    }

    public ParquetTable<TRow> Boolean(string name, Func<TRow, bool?> value)
    {
        var field = new DataField<bool?>(name);
        return Add(field, (group, rows) => group.WriteAsync<bool>(field, rows.Select(value).ToArray()));
    }

    public ParquetTable<TRow> Time(string name, Func<TRow, DateTime?> value)
    {
        var field = new DateTimeDataField(name, DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Millis, isNullable: true);
        return Add(field, (group, rows) => group.WriteAsync<DateTime>(field, rows.Select(value).ToArray()));
    }

    /// <summary>A parameter column with its own type.</summary>
    public ParquetTable<TRow> Parameter(ParameterColumn column, Func<TRow, System.Text.Json.JsonElement> canonical) => column.Type switch
    {
        ParameterType.Integer => Integer(column.Name, r => column.Integer(canonical(r))),
        ParameterType.Real => Real(column.Name, r => column.Real(canonical(r))),
        ParameterType.Boolean => Boolean(column.Name, r => column.Boolean(canonical(r))),
        _ => Text(column.Name, r => column.Text(canonical(r))),
    };

    /// <summary>Writes the rows to <paramref name="path"/>, replacing the file in one step.</summary>
    /// <remarks>
    /// Parquet.Net only writes asynchronously and exporters are synchronous. The writing runs on the thread pool:
    /// called from an actor (the finished-sweep exports of `run`), its continuations would otherwise queue behind
    /// the very thread that waits for them, and the export would never end.
    /// </remarks>
    public void Write(string path, IEnumerable<TRow> rows) =>
        AtomicFile.Write(path, stream => Task.Run(() => WriteAsync(stream, rows)).GetAwaiter().GetResult());

    private ParquetTable<TRow> Add(DataField field, Func<ParquetRowGroupWriter, IReadOnlyList<TRow>, Task> write)
    {
        _fields.Add(field);
        _writers.Add(write);
        return this;
    }

    private async Task WriteAsync(Stream stream, IEnumerable<TRow> rows)
    {
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(_fields), stream).ConfigureAwait(false);
        bool empty = true;
        foreach (var chunk in rows.Chunk(_rowGroupRows))
        {
            empty = false;
            await WriteGroupAsync(writer, chunk).ConfigureAwait(false);
        }

        // An empty export is still a readable file with its columns.
        if (empty)
        {
            await WriteGroupAsync(writer, []).ConfigureAwait(false);
        }
    }

    private async Task WriteGroupAsync(ParquetWriter writer, IReadOnlyList<TRow> rows)
    {
        using var group = writer.CreateRowGroup();
        foreach (var write in _writers)
        {
            await write(group, rows).ConfigureAwait(false);
        }
    }
}
