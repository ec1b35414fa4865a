using System.Globalization;
using System.Text;

namespace SweepCluster.Cli.Tests.Support;

/// <summary>A CSV export read back (RFC 4180: quoted fields may hold commas, quotes and new lines).</summary>
public sealed class CsvTable
{
    private readonly Dictionary<string, int> _columns;

    private CsvTable(IReadOnlyList<string> header, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        Header = header;
        Rows = rows;
        _columns = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < header.Count; i++)
        {
            _columns.Add(header[i], i);
        }

        foreach (var row in rows)
        {
            if (row.Count != header.Count)
            {
                throw new FormatException($"a row has {row.Count} fields, the header {header.Count}: {string.Join(",", row)}");
            }
        }
    }

    public IReadOnlyList<string> Header { get; }

    public IReadOnlyList<IReadOnlyList<string>> Rows { get; }

    public static CsvTable Load(string path) => Parse(File.ReadAllText(path));

    public static CsvTable Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var records = new List<IReadOnlyList<string>>();
        var fields = new List<string>();
        var field = new StringBuilder();
        bool quoted = false;
        bool any = false;
        for (int i = 0; i < text.Length; i++)
        {
            char ch = text[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (ch == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(ch);
                }

                continue;
            }

            switch (ch)
            {
                case '"':
                    quoted = true;
                    any = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    any = true;
                    break;
                case '\r':
                    break;
                case '\n':
                    fields.Add(field.ToString());
                    field.Clear();
                    records.Add(fields);
                    fields = [];
                    any = false;
                    break;
                default:
                    field.Append(ch);
                    any = true;
                    break;
            }
        }

        if (any || field.Length > 0)
        {
            fields.Add(field.ToString());
            records.Add(fields);
        }

        if (records.Count == 0)
        {
            throw new FormatException("the CSV text is empty (no header)");
        }

        return new CsvTable(records[0], records.Skip(1).ToList());
    }

    public bool HasColumn(string name) => _columns.ContainsKey(name);

    public int Column(string name) => _columns.TryGetValue(name, out int i)
        ? i
        : throw new KeyNotFoundException($"no column '{name}'; the columns are {string.Join(", ", Header)}");

    public string Value(IReadOnlyList<string> row, string column)
    {
        ArgumentNullException.ThrowIfNull(row);
        return row[Column(column)];
    }

    /// <summary>The rows whose columns have exactly the given texts.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Where(params (string Column, string Text)[] conditions) =>
        Rows.Where(r => conditions.All(c => r[Column(c.Column)] == c.Text)).ToList();

    /// <summary>
    /// A number as the exports spell it: invariant round-trip text, "inf", "-inf" or "nan"; null for an empty field.
    /// </summary>
    public static double? Number(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text switch
        {
            "" => null,
            "inf" => double.PositiveInfinity,
            "-inf" => double.NegativeInfinity,
            "nan" => double.NaN,
            _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
        };
    }
}
