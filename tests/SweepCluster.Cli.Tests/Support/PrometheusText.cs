using System.Globalization;
using System.Text;

namespace SweepCluster.Cli.Tests.Support;

/// <summary>One sample line: the series name (with a histogram's _bucket/_sum/_count suffix), its labels and its value.</summary>
public sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>A metric family: the # TYPE and # HELP of a name, and its samples.</summary>
public sealed record PrometheusFamily(string Name, string Type, string Help, IReadOnlyList<PrometheusSample> Samples);

/// <summary>
/// A strict parser of the Prometheus text exposition format 0.0.4 (no parser package is restorable here): every
/// sample belongs to a family declared by # TYPE before it, names and labels follow the grammar, label values are
/// escaped, values are floats, a family's lines are contiguous, a counter never goes negative, a histogram's
/// buckets are cumulative and end with le="+Inf", beside a _sum and a _count. Anything else throws <see cref="FormatException"/>.
/// </summary>
public static class PrometheusText
{
    private static readonly string[] Types = ["counter", "gauge", "histogram", "summary", "untyped"];

    public static IReadOnlyDictionary<string, PrometheusFamily> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var families = new Dictionary<string, PrometheusFamily>(StringComparer.Ordinal);
        var samples = new Dictionary<string, List<PrometheusSample>>(StringComparer.Ordinal);
        var help = new Dictionary<string, string>(StringComparer.Ordinal);
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var closed = new HashSet<string>(StringComparer.Ordinal);
        string? current = null;
        int number = 0;
        foreach (string line in text.Split('\n'))
        {
            number++;
            if (line.Length == 0)
            {
                continue;
            }

            try
            {
                if (line.StartsWith("# ", StringComparison.Ordinal))
                {
                    string[] parts = line.Split(' ', 4);
                    if (parts.Length >= 3 && parts[1] is "HELP" or "TYPE")
                    {
                        string name = Name(parts[2], metric: true);
                        Switch(ref current, name, closed);
                        if (parts[1] == "TYPE")
                        {
                            string type = parts.Length == 4 ? parts[3] : throw new FormatException("TYPE without a type");
                            if (!Types.Contains(type) || !types.TryAdd(name, type) || samples.ContainsKey(name))
                            {
                                throw new FormatException($"bad or repeated TYPE {type}");
                            }
                        }
                        else if (!help.TryAdd(name, parts.Length == 4 ? parts[3] : string.Empty))
                        {
                            throw new FormatException("repeated HELP");
                        }
                    }

                    continue;
                }

                if (line.StartsWith('#'))
                {
                    continue;
                }

                var sample = Sample(line);
                string family = FamilyOf(sample.Name, types);
                Switch(ref current, family, closed);
                if (!samples.TryGetValue(family, out var list))
                {
                    samples[family] = list = [];
                }

                list.Add(sample);
            }
            catch (FormatException e)
            {
                throw new FormatException($"line {number}: {e.Message}: {line}", e);
            }
        }

        foreach (var (name, type) in types)
        {
            var family = new PrometheusFamily(name, type, help.GetValueOrDefault(name, string.Empty), samples.GetValueOrDefault(name) ?? []);
            Check(family);
            families[name] = family;
        }

        return families;
    }

    /// <summary>The family a sample belongs to: its own name, or a histogram's or summary's name without the suffix.</summary>
    private static string FamilyOf(string sample, Dictionary<string, string> types)
    {
        if (types.ContainsKey(sample))
        {
            return sample;
        }

        foreach (string suffix in new[] { "_bucket", "_sum", "_count" })
        {
            if (sample.EndsWith(suffix, StringComparison.Ordinal) && types.TryGetValue(sample[..^suffix.Length], out string? type)
                && (type == "histogram" || (type == "summary" && suffix != "_bucket")))
            {
                return sample[..^suffix.Length];
            }
        }

        throw new FormatException($"sample {sample} has no # TYPE before it");
    }

    /// <summary>A family's lines are one block: coming back to a family after another is an error.</summary>
    private static void Switch(ref string? current, string family, HashSet<string> closed)
    {
        if (current == family)
        {
            return;
        }

        if (closed.Contains(family))
        {
            throw new FormatException($"family {family} is split");
        }

        if (current is not null)
        {
            closed.Add(current);
        }

        current = family;
    }

    private static void Check(PrometheusFamily family)
    {
        if (family.Type == "counter" && family.Samples.Any(s => s.Value < 0 || double.IsNaN(s.Value)))
        {
            throw new FormatException($"counter {family.Name} has a negative or NaN value");
        }

        if (family.Type != "histogram")
        {
            return;
        }

        foreach (var series in family.Samples.GroupBy(s => string.Join(",", s.Labels.Where(l => l.Key != "le").OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"))))
        {
            var buckets = series.Where(s => s.Name == family.Name + "_bucket").ToList();
            // +Inf is not compared with _count: prometheus-net reads them one after the other, not atomically, so an
            // observation made during a scrape can be in one and not yet in the other.
            _ = series.Single(s => s.Name == family.Name + "_count");
            _ = series.Single(s => s.Name == family.Name + "_sum");
            var bounds = buckets.Select(b => Float(b.Labels.TryGetValue("le", out string? le) ? le : throw new FormatException($"{family.Name}: a bucket without le"))).ToList();
            bool cumulative = buckets.Zip(buckets.Skip(1)).All(p => p.Item1.Value <= p.Item2.Value) && bounds.Zip(bounds.Skip(1)).All(p => p.Item1 < p.Item2);
            if (buckets.Count == 0 || !cumulative || !double.IsPositiveInfinity(bounds[^1]))
            {
                throw new FormatException($"histogram {family.Name}{{{series.Key}}}: buckets not cumulative or not ending in +Inf");
            }
        }
    }

    private static PrometheusSample Sample(string line)
    {
        int i = 0;
        while (i < line.Length && line[i] != '{' && line[i] != ' ')
        {
            i++;
        }

        string name = Name(line[..i], metric: true);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (i < line.Length && line[i] == '{')
        {
            i++;
            while (line[i] != '}')
            {
                int eq = line.IndexOf('=', i);
                string label = Name(line[i..eq], metric: false);
                if (line[eq + 1] != '"')
                {
                    throw new FormatException("label value not quoted");
                }

                var value = new StringBuilder();
                int j = eq + 2;
                for (; line[j] != '"'; j++)
                {
                    if (line[j] == '\\')
                    {
                        j++;
                        value.Append(line[j] switch
                        {
                            '\\' => '\\',
                            '"' => '"',
                            'n' => '\n',
                            _ => throw new FormatException("bad escape in a label value"),
                        });
                    }
                    else
                    {
                        value.Append(line[j]);
                    }
                }

                if (!labels.TryAdd(label, value.ToString()))
                {
                    throw new FormatException($"label {label} repeated");
                }

                i = j + 1;
                if (line[i] == ',')
                {
                    i++;
                }
                else if (line[i] != '}')
                {
                    throw new FormatException("expected , or } after a label");
                }
            }

            i++;
        }

        if (i >= line.Length || line[i] != ' ')
        {
            throw new FormatException("expected a space before the value");
        }

        string[] rest = line[(i + 1)..].Split(' ');
        if (rest.Length > 2 || (rest.Length == 2 && !long.TryParse(rest[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)))
        {
            throw new FormatException("expected a value and an optional integer timestamp");
        }

        return new PrometheusSample(name, labels, Float(rest[0]));
    }

    private static double Float(string text) => text switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : throw new FormatException($"'{text}' is not a float"),
    };

    private static string Name(string text, bool metric)
    {
        bool ok = text.Length > 0 && (char.IsAsciiLetter(text[0]) || text[0] == '_' || (metric && text[0] == ':'))
            && text.All(c => char.IsAsciiLetterOrDigit(c) || c == '_' || (metric && c == ':'));
        return ok ? text : throw new FormatException($"'{text}' is not a valid {(metric ? "metric" : "label")} name");
    }
}
