using System.Globalization;
using Microsoft.Data.Sqlite;

namespace SweepCluster.Cli.Tests.Support;

/// <summary>
/// Reads a sweep's SQLite store file directly, read-only and without pooling, so a test can look at the
/// results and the journal while a `sweep` process writes the file, and after it was killed.
/// </summary>
public sealed class StoreFile
{
    public StoreFile(string path)
    {
        Path = path;
    }

    public string Path { get; }

    public bool Exists => File.Exists(Path);

    /// <summary>The first column of the first row as a long.</summary>
    public long Scalar(string sql) => Convert.ToInt64(Query(sql)[0][0], CultureInfo.InvariantCulture);

    /// <summary>The scalar, or null while the file or its tables do not exist yet (or the file is locked for a moment).</summary>
    public long? TryScalar(string sql)
    {
        if (!Exists)
        {
            return null;
        }

        try
        {
            return Scalar(sql);
        }
        catch (SqliteException)
        {
            return null;
        }
    }

    /// <summary>Cells with a result (the checkpoint table).</summary>
    public long Results() => Scalar("SELECT count(*) FROM results");

    /// <summary>Every row, each column as stored (long, double, string or null).</summary>
    public IReadOnlyList<object?[]> Query(string sql)
    {
        var builder = new SqliteConnectionStringBuilder { DataSource = Path, Mode = SqliteOpenMode.ReadOnly, Pooling = false };
        using var connection = new SqliteConnection(builder.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 10;
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (int i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    /// <summary>The journal in order: sequence number, kind and unit id (null for events not about a unit).</summary>
    public IReadOnlyList<(long Seq, string Kind, string? UnitId)> Events() =>
        Query("SELECT seq, kind, unit_id FROM events ORDER BY seq")
            .Select(r => (Convert.ToInt64(r[0], CultureInfo.InvariantCulture), (string)r[1]!, (string?)r[2]))
            .ToList();

    /// <summary>
    /// Problems with the journal's completions: a unit completed more than once (unit_completed plus
    /// unit_completed_late), any unit_duplicate (a second completion the store refused), any non_determinism.
    /// Empty when every unit was committed at most once.
    /// </summary>
    public IReadOnlyList<string> CompletionProblems()
    {
        var events = Events();
        var problems = new List<string>();
        foreach (var group in events.Where(e => e.Kind is "unit_completed" or "unit_completed_late").GroupBy(e => e.UnitId))
        {
            if (group.Count() > 1)
            {
                problems.Add($"unit {group.Key} completed {group.Count()} times ({string.Join(", ", group.Select(e => $"{e.Kind} at seq {e.Seq}"))})");
            }
        }

        foreach (var e in events.Where(e => e.Kind is "unit_duplicate" or "non_determinism"))
        {
            problems.Add($"{e.Kind} for unit {e.UnitId} at seq {e.Seq}");
        }

        return problems;
    }
}
