using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace SweepCluster.Sweeps.Reports;

/// <summary>
/// Reads report sections with YamlDotNet's representation model. Accepted forms:
/// <c>panels: [{title, x, y, series, facet, logx, logy, reference}, ...]</c> (also under <c>plots</c>), and the
/// single-plot form of docs/grid-format.md, <c>plot: {x, y, curves, log_x}</c>: <c>curves</c> is another name
/// for <c>series</c>, <c>log_x</c>/<c>log_y</c> for <c>logx</c>/<c>logy</c>.
/// </summary>
internal static class ReportSectionReader
{
    private const string Where = "report";

    private static readonly string[] _panelKeys = ["title", "x", "y", "series", "curves", "facet", "logx", "log_x", "logy", "log_y", "reference"];

    public static ReportSection Parse(string? yaml)
    {
        if (string.IsNullOrWhiteSpace(yaml))
        {
            return ReportSection.None;
        }

        var warnings = new List<string>();
        var root = Load(yaml, warnings);
        if (root is null)
        {
            return new ReportSection(null, [], warnings);
        }

        if (root is not YamlMappingNode map)
        {
            return new ReportSection(null, [], [$"{Where}: expected a mapping (panels: [...]), got {Show(root)}; using the default panels"]);
        }

        return Read(map, warnings);
    }

    public static ReportSection FromGridText(string gridText)
    {
        ArgumentNullException.ThrowIfNull(gridText);
        var warnings = new List<string>();
        if (Load(gridText, warnings) is not YamlMappingNode grid)
        {
            return new ReportSection(null, [], warnings);
        }

        var entry = grid.Children.FirstOrDefault(p => p.Key is YamlScalarNode { Value: Where });
        return entry.Value switch
        {
            null => ReportSection.None,
            YamlScalarNode { Value: null or "" or "~" or "null" } => ReportSection.None,
            YamlMappingNode section => Read(section, warnings),
            var other => new ReportSection(null, [], [$"{Where}: expected a mapping (panels: [...]), got {Show(other)}; using the default panels"]),
        };
    }

    private static YamlNode? Load(string text, List<string> warnings)
    {
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            return stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
        }
        catch (YamlException e)
        {
            warnings.Add($"{Where}: not valid YAML at line {e.Start.Line}, column {e.Start.Column}: {e.Message}; using the default panels");
            return null;
        }
    }

    private static ReportSection Read(YamlMappingNode section, List<string> warnings)
    {
        string? title = null;
        var panels = new List<PanelDeclaration>();
        foreach (var (keyNode, value) in section.Children)
        {
            string key = (keyNode as YamlScalarNode)?.Value ?? Show(keyNode);
            switch (key)
            {
                case "title":
                    title = Scalar(value, $"{Where}.title", warnings);
                    break;
                case "panels" or "plots":
                    if (value is YamlSequenceNode list)
                    {
                        int index = 0;
                        foreach (var item in list)
                        {
                            index++;
                            AddPanel(panels, item, $"{Where}.{key}[{index}]", warnings);
                        }
                    }
                    else
                    {
                        warnings.Add($"{Where}.{key}: expected a list of panels, got {Show(value)}");
                    }

                    break;
                case "plot":
                    AddPanel(panels, value, $"{Where}.plot", warnings);
                    break;
                default:
                    warnings.Add($"{Where}: unknown key '{key}' ignored (known: title, panels, plot)");
                    break;
            }
        }

        if (panels.Count == 0 && section.Children.Count > 0)
        {
            warnings.Add($"{Where}: no usable panel declared; using the default panels");
        }

        return new ReportSection(title, panels, warnings);
    }

    private static void AddPanel(List<PanelDeclaration> panels, YamlNode node, string where, List<string> warnings)
    {
        if (node is not YamlMappingNode map)
        {
            warnings.Add($"{where}: expected a mapping such as {{x: N, y: eps_test_tavg}}, got {Show(node)}; panel skipped");
            return;
        }

        string? title = null, x = null, series = null, facet = null, reference = null;
        bool? logX = null, logY = null;
        List<string>? y = null;
        foreach (var (keyNode, value) in map.Children)
        {
            string key = (keyNode as YamlScalarNode)?.Value ?? Show(keyNode);
            string at = $"{where}.{key}";
            switch (key)
            {
                case "title":
                    title = Scalar(value, at, warnings);
                    break;
                case "x":
                    x = Scalar(value, at, warnings);
                    break;
                case "y":
                    y = Names(value, at, warnings);
                    break;
                case "series" or "curves":
                    series = Scalar(value, at, warnings);
                    break;
                case "facet":
                    facet = Scalar(value, at, warnings);
                    break;
                case "logx" or "log_x":
                    logX = Boolean(value, at, warnings);
                    break;
                case "logy" or "log_y":
                    logY = Boolean(value, at, warnings);
                    break;
                case "reference":
                    reference = Scalar(value, at, warnings);
                    break;
                default:
                    warnings.Add($"{where}: unknown key '{key}' ignored (known: {string.Join(", ", _panelKeys)})");
                    break;
            }
        }

        if (y is null || y.Count == 0)
        {
            warnings.Add($"{where}: no y (the metric to plot, e.g. y: eps_test_tavg); panel skipped");
            return;
        }

        panels.Add(new PanelDeclaration(title, x, y, series, facet, logX, logY, reference));
    }

    private static string? Scalar(YamlNode node, string where, List<string> warnings)
    {
        if (node is YamlScalarNode { Value: { } text } && text.Length > 0)
        {
            return text;
        }

        warnings.Add($"{where}: expected a name, got {Show(node)}; ignored");
        return null;
    }

    private static List<string>? Names(YamlNode node, string where, List<string> warnings)
    {
        if (node is YamlScalarNode)
        {
            return Scalar(node, where, warnings) is { } one ? [one] : null;
        }

        if (node is YamlSequenceNode list)
        {
            var names = new List<string>();
            foreach (var item in list)
            {
                if (Scalar(item, where, warnings) is { } name)
                {
                    names.Add(name);
                }
            }

            return names;
        }

        warnings.Add($"{where}: expected a metric name or a list of them, got {Show(node)}; ignored");
        return null;
    }

    private static bool? Boolean(YamlNode node, string where, List<string> warnings)
    {
        if (node is YamlScalarNode { Value: { } text })
        {
            if (bool.TryParse(text, out bool value))
            {
                return value;
            }
        }

        warnings.Add($"{where}: expected true or false, got {Show(node)}; decided from the data instead");
        return null;
    }

    private static string Show(YamlNode node) => node switch
    {
        YamlScalarNode s => $"'{s.Value}'",
        YamlSequenceNode => "a list",
        YamlMappingNode => "a mapping",
        _ => "an unsupported value",
    };
}
