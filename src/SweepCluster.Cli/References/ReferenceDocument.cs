using System.Text.Json;
using System.Text.Json.Nodes;
using SweepCluster.Model.LinearAlgebra;

namespace SweepCluster.Cli.References;

/// <summary>
/// `sweep cell --reference FILE`: the file's document with each configuration's "values" computed. Where the file
/// lists values (as generalisation-public.json does, each {value, type, tolerance}), the same keys come back with
/// plain numbers or arrays, and a value this implementation does not compute is null; where it lists none, every
/// value the family computes is given, nested at the dots of its key.
/// </summary>
public static class ReferenceDocument
{
    /// <param name="onConfig">Told each configuration's id before it is computed (progress on standard error).</param>
    public static JsonObject Compute(string path, string? onlyId, ILinearAlgebra algebra, Action<string>? onConfig = null)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new ReferenceFormatException($"not JSON at line {e.LineNumber + 1}: {e.Message.Split('.')[0]}");
        }

        if (root is not JsonObject document || document["configs"] is not JsonArray configs)
        {
            throw new ReferenceFormatException("no \"configs\" array at the top level");
        }

        var selected = configs.OfType<JsonObject>().Where(c => onlyId is null || (string?)c["id"] == onlyId).ToList();
        if (selected.Count == 0)
        {
            var ids = configs.OfType<JsonObject>().Select(c => (string?)c["id"]).Where(i => i is not null);
            throw new ReferenceFormatException(onlyId is null ? "\"configs\" is empty" : $"no configuration '{onlyId}'; the file has: {string.Join(", ", ids)}");
        }

        string directory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        var output = new JsonArray();
        foreach (var config in selected)
        {
            onConfig?.Invoke((string?)config["id"] ?? "(no id)");
            using var element = JsonDocument.Parse(config.ToJsonString());
            var computed = GeneralisationRunner.Compute(element.RootElement, directory, algebra);
            var copy = (JsonObject)config.DeepClone();
            copy["values"] = config["values"] is JsonObject template ? Fill(template, string.Empty, computed) : Nest(computed);
            output.Add(copy);
        }

        var result = (JsonObject)document.DeepClone();
        result["configs"] = output;
        return result;
    }

    /// <summary>The template's keys with computed values: an object with "type" is one value.</summary>
    private static JsonObject Fill(JsonObject template, string prefix, IReadOnlyDictionary<string, JsonNode?> computed)
    {
        var filled = new JsonObject();
        foreach (var (key, node) in template)
        {
            string path = prefix + key;
            filled[key] = node is JsonObject o && !o.ContainsKey("type")
                ? Fill(o, path + ".", computed)
                : computed.TryGetValue(path, out var value) ? value?.DeepClone() : null;
        }

        return filled;
    }

    internal static JsonObject Nest(IReadOnlyDictionary<string, JsonNode?> computed)
    {
        var root = new JsonObject();
        foreach (var (key, value) in computed.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            string[] parts = key.Split('.');
            var node = root;
            foreach (string part in parts[..^1])
            {
                if (node[part] is not JsonObject child)
                {
                    child = new JsonObject();
                    node[part] = child;
                }

                node = child;
            }

            node[parts[^1]] = value?.DeepClone();
        }

        return root;
    }
}
