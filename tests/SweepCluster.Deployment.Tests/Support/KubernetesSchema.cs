using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace SweepCluster.Deployment.Tests.Support;

/// <summary>
/// Checks rendered objects against the Kubernetes API schema, offline: the models of the official C# client
/// (KubernetesClient), which are generated from the API server's OpenAPI document, read each object strictly:
/// a field the API does not have (a misspelt or misplaced key) or a value of the wrong type (a string for an
/// integer or a boolean, a map for a list) is an error, as the API server would make it one. The kind is looked
/// up by apiVersion and kind among the models; an unknown one is an error too, never a pass. Of the schema's
/// required fields the models show only the numbers and booleans (a plain value type, where an optional one is
/// nullable): those are checked; a missing required string or object is left to the other tests.
/// </summary>
public static class KubernetesSchema
{
    private static readonly Lazy<IReadOnlyDictionary<string, Type>> Models = new(FindModels);

    private static readonly Lazy<JsonSerializerOptions> Strict = new(() =>
    {
        // The client's own converters (quantities, int-or-string, timestamps), then strictness on top of them.
        JsonSerializerOptions? options = null;
        KubernetesJson.AddJsonOptions(o => options = new JsonSerializerOptions(o)
        {
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            NumberHandling = JsonNumberHandling.Strict,
        });
        return options ?? throw new InvalidOperationException("KubernetesJson did not hand out its serializer options");
    });

    /// <summary>The Kubernetes API version of the models (the client's release follows the API's).</summary>
    public static string ClientVersion => typeof(V1Pod).Assembly.GetName().Version?.ToString() ?? "unknown";

    /// <summary>The problems of one object: empty when the API would accept its shape.</summary>
    public static IReadOnlyList<string> Check(YamlMappingNode root)
    {
        ArgumentNullException.ThrowIfNull(root);
        string apiVersion = root.Scalar("apiVersion") ?? string.Empty;
        string kind = root.Scalar("kind") ?? string.Empty;
        if (!Models.Value.TryGetValue(Key(apiVersion, kind), out var type))
        {
            return [$"{apiVersion} {kind} is not a kind of the Kubernetes API (KubernetesClient {ClientVersion})"];
        }

        var json = ToJson(root);
        try
        {
            if (json.Deserialize(type, Strict.Value) is null)
            {
                return [$"{apiVersion} {kind}: empty"];
            }
        }
        catch (JsonException e)
        {
            return [$"{apiVersion} {kind}: {e.Message}"];
        }

        return MissingRequired(json, type, "$").Select(p => $"{apiVersion} {kind}: required field {p} is missing").ToList();
    }

    /// <summary>
    /// The JSON the API server would receive from kubectl: YAML plain scalars typed by YAML's core schema (null,
    /// booleans, numbers), quoted scalars always strings.
    /// </summary>
    public static JsonNode? ToJson(YamlNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        switch (node)
        {
            case YamlMappingNode map:
                var o = new JsonObject();
                foreach (var (key, value) in map.Children)
                {
                    o[((YamlScalarNode)key).Value ?? string.Empty] = ToJson(value);
                }

                return o;
            case YamlSequenceNode seq:
                return new JsonArray(seq.Children.Select(ToJson).ToArray());
            case YamlScalarNode scalar:
                return Scalar(scalar);
            default:
                throw new NotSupportedException($"YAML node {node.NodeType}");
        }
    }

    private static JsonValue? Scalar(YamlScalarNode scalar)
    {
        string text = scalar.Value ?? string.Empty;
        if (scalar.Style is not ScalarStyle.Plain)
        {
            return JsonValue.Create(text);
        }

        if (text is "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }

        if (text is "true" or "True" or "TRUE" or "false" or "False" or "FALSE")
        {
            return JsonValue.Create(text.Equals("true", StringComparison.OrdinalIgnoreCase));
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long integer))
        {
            return JsonValue.Create(integer);
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double real) && double.IsFinite(real))
        {
            return JsonValue.Create(real);
        }

        return JsonValue.Create(text);
    }

    /// <summary>
    /// Required fields the models do show: a required number or boolean is a plain value type in them, an optional
    /// one nullable (a required string or object is not told apart from an optional one).
    /// </summary>
    private static IEnumerable<string> MissingRequired(JsonNode? json, Type type, string path)
    {
        switch (json)
        {
            case JsonArray array when ElementType(type) is { } element:
                for (int i = 0; i < array.Count; i++)
                {
                    foreach (string missing in MissingRequired(array[i], element, $"{path}[{i}]"))
                    {
                        yield return missing;
                    }
                }

                break;
            case JsonObject map when type.Namespace == typeof(V1Pod).Namespace && type.IsClass:
                foreach (var property in type.GetProperties())
                {
                    if (property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name is not { } name)
                    {
                        continue;
                    }

                    if (!map.TryGetPropertyValue(name, out var value))
                    {
                        if (property.PropertyType.IsValueType && Nullable.GetUnderlyingType(property.PropertyType) is null)
                        {
                            yield return $"{path}.{name}";
                        }

                        continue;
                    }

                    foreach (string missing in MissingRequired(value, property.PropertyType, $"{path}.{name}"))
                    {
                        yield return missing;
                    }
                }

                break;
        }
    }

    private static Type? ElementType(Type type) =>
        type.IsGenericType && type.GetGenericArguments() is [var element] && typeof(System.Collections.IEnumerable).IsAssignableFrom(type) ? element : null;

    private static string Key(string apiVersion, string kind) => apiVersion + " " + kind;

    private static Dictionary<string, Type> FindModels()
    {
        var models = new Dictionary<string, Type>(StringComparer.Ordinal);
        foreach (var type in typeof(V1Pod).Assembly.GetExportedTypes())
        {
            if (type.GetCustomAttribute<KubernetesEntityAttribute>() is { Kind: { Length: > 0 } kind, ApiVersion: { Length: > 0 } version } entity
                && !kind.EndsWith("List", StringComparison.Ordinal))
            {
                string apiVersion = string.IsNullOrEmpty(entity.Group) ? version : entity.Group + "/" + version;
                models[Key(apiVersion, kind)] = type;
            }
        }

        return models;
    }
}
