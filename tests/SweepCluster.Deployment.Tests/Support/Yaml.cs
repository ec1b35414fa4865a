using YamlDotNet.RepresentationModel;

namespace SweepCluster.Deployment.Tests.Support;

/// <summary>Null-tolerant navigation of YamlDotNet's representation model.</summary>
public static class Yaml
{
    /// <summary>The node at a path of mapping keys, or null when any step is missing.</summary>
    public static YamlNode? At(this YamlNode? node, params string[] path)
    {
        ArgumentNullException.ThrowIfNull(path);
        foreach (string key in path)
        {
            if (node is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(key), out var next))
            {
                return null;
            }

            node = next;
        }

        return node;
    }

    public static string? Scalar(this YamlNode? node, params string[] path) => (node.At(path) as YamlScalarNode)?.Value;

    public static IReadOnlyList<YamlNode> Items(this YamlNode? node, params string[] path) =>
        node.At(path) is YamlSequenceNode seq ? seq.Children.ToList() : [];

    public static bool Has(this YamlNode? node, params string[] path) => node.At(path) is not null;

    public static IReadOnlyDictionary<string, string> StringMap(this YamlNode? node, params string[] path) =>
        node.At(path) is YamlMappingNode map
            ? map.Children.Where(kv => kv.Key is YamlScalarNode && kv.Value is YamlScalarNode)
                .ToDictionary(kv => ((YamlScalarNode)kv.Key).Value ?? string.Empty, kv => ((YamlScalarNode)kv.Value).Value ?? string.Empty, StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Every scalar under a node (keys excluded), with its path for messages.</summary>
    public static IEnumerable<(string Path, string Value)> AllScalars(this YamlNode node, string path = "")
    {
        ArgumentNullException.ThrowIfNull(node);
        switch (node)
        {
            case YamlScalarNode scalar:
                yield return (path, scalar.Value ?? string.Empty);
                break;
            case YamlSequenceNode seq:
                for (int i = 0; i < seq.Children.Count; i++)
                {
                    foreach (var s in seq.Children[i].AllScalars($"{path}[{i}]"))
                    {
                        yield return s;
                    }
                }

                break;
            case YamlMappingNode map:
                foreach (var (key, value) in map.Children)
                {
                    foreach (var s in value.AllScalars($"{path}.{(key as YamlScalarNode)?.Value}"))
                    {
                        yield return s;
                    }
                }

                break;
        }
    }

    /// <summary>True when every matchLabels pair of a label selector is among the labels (matchExpressions are not used here and fail the check).</summary>
    public static bool SelectorMatches(YamlNode? selector, IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (selector.Has("matchExpressions"))
        {
            throw new NotSupportedException("label selectors with matchExpressions are not evaluated by these tests; use matchLabels");
        }

        return selector.StringMap("matchLabels").All(kv => labels.TryGetValue(kv.Key, out string? v) && v == kv.Value);
    }
}
