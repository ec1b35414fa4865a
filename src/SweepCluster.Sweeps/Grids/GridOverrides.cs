using System.Text;
using System.Text.RegularExpressions;

namespace SweepCluster.Sweeps.Grids;

/// <summary>
/// `--set key=value`: top-level grid fields given on the command line instead of in the file. The file's own entry
/// for the key is blanked (its lines stay, so that every other problem keeps its line number) and the overrides are
/// appended after the file's last line, where the grid reader parses them with the file's YAML rules and errors.
/// An error on a line past <see cref="Applied.FileLines"/> belongs to the override whose line it is.
/// </summary>
public static partial class GridOverrides
{
    /// <summary>The text with the overrides in place, and how to tell their lines from the file's.</summary>
    /// <param name="Text">The effective grid text.</param>
    /// <param name="FileLines">Lines that come from the file (the overrides follow a comment line after them).</param>
    /// <param name="Overrides">The overrides, in the order given; override i is on line FileLines + 2 + i.</param>
    public sealed record Applied(string Text, int FileLines, IReadOnlyList<KeyValuePair<string, string>> Overrides)
    {
        /// <summary>The override written on <paramref name="line"/>, or null for a line of the file.</summary>
        public KeyValuePair<string, string>? At(int line)
        {
            int i = line - FileLines - 2;
            return i >= 0 && i < Overrides.Count ? Overrides[i] : null;
        }
    }

    /// <summary>Parses `key=value` (the value may be empty and contain '='); throws <see cref="ArgumentException"/> with a one-line message.</summary>
    public static KeyValuePair<string, string> Parse(string assignment)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        int eq = assignment.IndexOf('=', StringComparison.Ordinal);
        string key = eq < 0 ? assignment.Trim() : assignment[..eq].Trim();
        if (eq < 0 || key.Length == 0)
        {
            throw new ArgumentException($"'{assignment}' is not key=value (such as --set seeds=3 or --set c=[1e-4,1e-2])");
        }

        if (key.Contains('.', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{key}': only top-level grid fields can be set; give the whole value, such as --set spectrum={{kind: isotropic}}");
        }

        return TopLevelKey().IsMatch(key)
            ? new(key, assignment[(eq + 1)..].Trim())
            : throw new ArgumentException($"'{key}' is not a grid field name (letters, digits, '_' and '-')");
    }

    /// <summary>Applies the overrides to a grid file's text; a later override of the same key wins.</summary>
    public static Applied Apply(string text, IReadOnlyList<KeyValuePair<string, string>> overrides)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(overrides);
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').ToList();
        if (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        var keys = overrides.Select(o => o.Key).ToHashSet(StringComparer.Ordinal);
        for (int i = 0; i < lines.Count; i++)
        {
            if (TopLevelEntry().Match(lines[i]) is { Success: true } m && keys.Contains(m.Groups[1].Value))
            {
                lines[i] = $"# {m.Groups[1].Value}: set on the command line (below)";
                for (int j = i + 1; j < lines.Count && !StartsEntry(lines[j]); j++)
                {
                    lines[j] = string.Empty;
                }
            }
        }

        var last = overrides.Select((o, i) => (o, i)).GroupBy(x => x.o.Key, StringComparer.Ordinal).Select(g => g.Last().i).ToHashSet();
        var builder = new StringBuilder();
        foreach (string line in lines)
        {
            builder.Append(line).Append('\n');
        }

        builder.Append("# --set\n");
        for (int i = 0; i < overrides.Count; i++)
        {
            // An overridden repeat is a comment, so that each override keeps its own line number.
            builder.Append(last.Contains(i) ? string.Empty : "# ").Append(overrides[i].Key).Append(": ").Append(overrides[i].Value).Append('\n');
        }

        return new Applied(builder.ToString(), lines.Count, overrides);
    }

    /// <summary>A line that ends the previous top-level entry: another key at column 0, or a document marker.</summary>
    private static bool StartsEntry(string line) =>
        TopLevelEntry().IsMatch(line) || line.StartsWith("---", StringComparison.Ordinal) || line.StartsWith("...", StringComparison.Ordinal);

    [GeneratedRegex(@"^([A-Za-z_][A-Za-z0-9_\-]*)\s*:")]
    private static partial Regex TopLevelEntry();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_\-]*$")]
    private static partial Regex TopLevelKey();
}
