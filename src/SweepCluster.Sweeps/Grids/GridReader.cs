using System.Globalization;
using System.Text.RegularExpressions;
using SweepCluster.Model.Configuration;
using SweepCluster.Model.Diffusion;
using SweepCluster.Model.Spectra;
using SweepCluster.Sweeps.Cells;
using SweepCluster.Sweeps.Exports;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace SweepCluster.Sweeps.Grids;

/// <summary>
/// Reads a grid file's YAML into a <see cref="Grid"/>, collecting every problem with its line and column
/// instead of stopping at the first. The representation model keeps each node's position, which is why the
/// file is not deserialised into a class.
/// </summary>
internal sealed partial class GridReader
{
    /// <summary>Seeds are stored in doubles on the way in; beyond 2^53 they would no longer be exact.</summary>
    internal const long MaxSeed = 1L << 53;

    /// <summary>A guard against a typo such as count: 1e9 in a range.</summary>
    internal const int MaxRangeCount = 1_000_000;

    /// <summary>
    /// Cells (points x seeds, plus a theory cell per point) in one grid file. Submission, export and report hold
    /// each cell's id at most (tens of bytes), so memory is not the limit; a grid beyond this is almost certainly a
    /// typo (a million seeds), and would take days on the store alone.
    /// </summary>
    internal const long MaxGridCells = 2_000_000;

    internal const int DefaultSeedCount = 10;

    /// <summary>A d x d covariance beyond this does not fit in one array (<see cref="ModelConfigValidator.MaxDimension"/>); a larger d is a typo.</summary>
    internal const int MaxDimension = ModelConfigValidator.MaxDimension;

    private const string RangeForms = "{linspace: [start, stop, count]} or {logspace: [start_exp, stop_exp, count]}";
    private const string SpectrumForms = "identity, {powerlaw: {k: <values>}} or {file: <path>, normalize: true|false}";

    private static readonly ModelConfig Defaults = new();
    private static readonly string[] RangeKinds = ["linspace", "logspace"];
    private static readonly string[] SpectrumEntryKeys = ["powerlaw", "file", "normalize"];
    private static readonly string[] PowerLawKeys = ["k"];
    private static readonly string[] SeedKeys = ["values"];
    private static readonly string[] DynamicsNames = ["gd", "gf"];
    private static readonly string[] BiasModeNames = ["mean", "none"];
    private static readonly string[] LossNames = ["eps", "data", "both"];

    private readonly string _text;
    private readonly string _file;
    private readonly string _directory;
    private readonly List<GridError> _errors = [];
    private readonly HashSet<string> _faultyKeys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, YamlNode> _keys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, YamlNode> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RawAxis> _axes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SpectrumSpec?> _fileSpectra = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _spectrumTexts = new(StringComparer.Ordinal);

    private GridReader(string text, string path)
    {
        _text = text;
        _file = path;
        _directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path)) ?? Directory.GetCurrentDirectory();
    }

    /// <summary>Reads and validates a grid; throws <see cref="GridValidationException"/> with every problem found.</summary>
    public static Grid Read(string text, string path)
    {
        var reader = new GridReader(text, path);
        var grid = reader.ReadGrid();
        if (grid is null || reader._errors.Count > 0)
        {
            throw new GridValidationException(reader.SortedErrors());
        }

        return grid;
    }

    private List<GridError> SortedErrors() =>
        [.. _errors.Select((e, i) => (e, i)).OrderBy(x => x.e.Line).ThenBy(x => x.e.Column).ThenBy(x => x.i).Select(x => x.e)];

    private Grid? ReadGrid()
    {
        var root = LoadRoot();
        if (root is null)
        {
            return null;
        }

        CollectKeys(root);
        string name = ReadName();
        ReadFamily();
        ReadFamilyAxes();
        ReadAxes();
        var zip = ReadZip();
        ResolveRepeats(zip);
        FillDefaults();

        var t = _axes[GridKeys.T].Values<int>();
        var grid = new Grid
        {
            Path = _file,
            Text = _text,
            Name = name,
            D = _axes[GridKeys.D].Values<int>(),
            N = _axes.TryGetValue(GridKeys.N, out var n) ? n.Values<int>() : null,
            NOverD = _axes.TryGetValue(GridKeys.NOverD, out var ratio) ? ratio.Values<double>() : null,
            Spectra = _axes[GridKeys.Spectrum].Values<SpectrumSpec>(),
            SpectrumFiles = new Dictionary<string, string>(_spectrumTexts, StringComparer.Ordinal),
            C = _axes[GridKeys.C].Values<double>(),
            T = t,
            BetaMin = _axes[GridKeys.BetaMin].Values<double>(),
            BetaMax = _axes[GridKeys.BetaMax].Values<double>(),
            Tau = _axes[GridKeys.Tau].Values<double>(),
            Eta = _axes[GridKeys.Eta].Values<double>(),
            Dynamics = _axes[GridKeys.Dynamics].Values<Dynamics>(),
            InitStd = _axes[GridKeys.InitStd].Values<double>(),
            BiasMode = _axes[GridKeys.BiasMode].Values<BiasMode>(),
            SamplerLastNoise = _axes[GridKeys.SamplerLastNoise].Values<bool>(),
            AsymptoticTheory = _axes[GridKeys.AsymptoticTheory].Values<bool>(),
            SpectralGrid = _axes[GridKeys.SpectralGrid].Values<int>(),
            ReportedSteps = ReadReportedSteps(t.Min()),
            Loss = ReadLoss(),
            Seeds = ReadSeeds(),
            Theory = ReadBool(GridKeys.Theory, Defaults.Theory),
            Zip = zip.Select(g => (IReadOnlyList<string>)[.. g.Select(m => m.Key)]).ToList(),
            Family = _family,
            FamilyAxes = FamilyAxes(),
            Report = ReadReport(root),
            SpectrumKey = _axes[GridKeys.Spectrum].FileKey,
        };

        long cells = GridExpander.CellCount(grid);
        if (cells > MaxGridCells)
        {
            long points = GridExpander.PointCount(grid);
            string perPoint = $"{grid.Seeds.Count} seeds{(grid.Theory ? " + 1 theory cell" : string.Empty)}";
            Error("grid", GridLocation.FileStart, $"the grid has {Large(cells)} cells ({Large(points)} points x ({perPoint})); at most {MaxGridCells} cells are allowed in one file (fewer seeds, split the grid, or zip axes that vary together)");
            return grid;
        }

        GridChecks.Check(grid, Locate, _faultyKeys, Error);
        return grid;
    }

    private static string Large(long count) => count == long.MaxValue ? "more than 9e18" : count.ToString(CultureInfo.InvariantCulture);

    // ---------------------------------------------------------------- YAML

    private YamlMappingNode? LoadRoot()
    {
        var parser = new PositionTrackingParser(new Parser(new StringReader(_text)));
        var stream = new YamlStream();
        try
        {
            stream.Load(parser);
        }
        catch (YamlException e)
        {
            var at = OnContent(GridLocation.Of(e.Start));
            Error(EnclosingKey(at.Line), at, $"YAML syntax error: {CleanYamlMessage(e.Message)}");
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner gives up without a position on some unclosed flow collections.
            var at = OnContent(parser.LastGood);
            Error(EnclosingKey(at.Line), at, "YAML syntax error: a '[' or '{' is not closed");
            return null;
        }
        catch (ArgumentException)
        {
            // The representation model rejects some event sequences (an empty key before a flow list) this way.
            var at = OnContent(parser.LastGood);
            Error(EnclosingKey(at.Line), at, "YAML syntax error: this line is not a 'key: value' entry");
            return null;
        }

        if (stream.Documents.Count == 0)
        {
            Error(GridKeys.D, GridLocation.FileStart, "the grid file is empty; a grid needs at least d and N (or n_over_d)");
            return null;
        }

        if (stream.Documents.Count > 1)
        {
            Error("yaml", GridLocation.Of(stream.Documents[1].RootNode), "a grid file holds one YAML document; remove the second '---' and what follows, or put it in its own file");
            return null;
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            Error("yaml", GridLocation.Of(stream.Documents[0].RootNode), "a grid file is a mapping of keys, e.g. 'd: 100' and 'N: [50, 100]' on separate lines");
            return null;
        }

        return root;
    }

    private static string CleanYamlMessage(string message) => YamlPositionPrefix().Replace(message, string.Empty).Trim();

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\):\s*")]
    private static partial Regex YamlPositionPrefix();

    [GeneratedRegex(@"^([A-Za-z_][A-Za-z0-9_\-]*)\s*:")]
    private static partial Regex TopLevelKey();

    /// <summary>
    /// Moves a position on a blank line or past the end of the text (where YamlDotNet notices an unclosed
    /// construct) back to the end of the last line with content, which is where the fix goes.
    /// </summary>
    private GridLocation OnContent(GridLocation at)
    {
        string[] lines = _text.Split('\n');
        int line = Math.Min(at.Line, lines.Length);
        if (line == at.Line && lines[line - 1].Trim().Length > 0)
        {
            return at;
        }

        while (line > 1 && lines[line - 1].Trim().Length == 0)
        {
            line--;
        }

        return new GridLocation(line, lines[line - 1].TrimEnd().Length + 1);
    }

    /// <summary>The top-level key whose block holds a line, so that a syntax error still names a key.</summary>
    private string EnclosingKey(int line)
    {
        string[] lines = _text.Split('\n');
        for (int i = Math.Min(line, lines.Length) - 1; i >= 0; i--)
        {
            var match = TopLevelKey().Match(lines[i]);
            if (match.Success)
            {
                return match.Groups[1].Value;
            }
        }

        return "yaml";
    }

    private void CollectKeys(YamlMappingNode root)
    {
        foreach (var (keyNode, value) in root.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { Length: > 0 } key })
            {
                Error("yaml", At(keyNode), "keys are plain names such as d or N");
                continue;
            }

            if (!GridKeys.All.Contains(key))
            {
                Error(key, At(keyNode), KeySuggestions.Describe(key, GridKeys.All));
                continue;
            }

            _keys[key] = keyNode;
            _values[key] = value;
        }
    }

    // ---------------------------------------------------------------- errors and positions

    private void Error(string key, GridLocation at, string message)
    {
        _errors.Add(new GridError(_file, at.Line, at.Column, key, message));
        int end = key.IndexOfAny(['.', '[']);
        _faultyKeys.Add(end < 0 ? key : key[..end]);
    }

    private void Error(string key, YamlNode node, string message) => Error(key, At(node), message);

    private static GridLocation At(YamlNode node) => GridLocation.Of(node);

    /// <summary>Where a key is written; a key the file leaves out is pointed at through the key that made it matter.</summary>
    private GridLocation Locate(string key)
    {
        if (_keys.TryGetValue(key, out var node))
        {
            return At(node);
        }

        string[] related = key switch
        {
            GridKeys.Eta => [GridKeys.Tau, GridKeys.Dynamics],
            GridKeys.BetaMax => [GridKeys.BetaMin, GridKeys.T],
            GridKeys.BetaMin => [GridKeys.BetaMax, GridKeys.T],
            GridKeys.Steps => [GridKeys.T],
            GridKeys.T => [GridKeys.Steps],
            GridKeys.N => [GridKeys.NOverD, GridKeys.D],
            GridKeys.Spectrum => [GridKeys.K, GridKeys.D],
            GridKeys.K => [GridKeys.Spectrum, GridKeys.D],
            _ => [],
        };
        foreach (string other in related)
        {
            if (_keys.TryGetValue(other, out var near))
            {
                return At(near);
            }
        }

        return GridLocation.FileStart;
    }

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any } s && s.Value is null or "" or "~" or "null" or "Null" or "NULL";

    private static string Show(YamlNode node) => node switch
    {
        YamlScalarNode s => $"'{s.Value}'",
        YamlSequenceNode => "a list",
        YamlMappingNode => "a mapping",
        _ => "an alias",
    };

    private static string Num(double v) => v.ToString("g6", CultureInfo.InvariantCulture);

    // ---------------------------------------------------------------- scalars

    private string ReadName()
    {
        const string allowed = "a sweep id is 1 to 100 letters, digits, '.', '_' or '-', not starting with '.' or '-'";
        string fallback = System.IO.Path.GetFileNameWithoutExtension(_file);
        if (!_values.TryGetValue(GridKeys.Name, out var node))
        {
            if (!SweepId().IsMatch(fallback))
            {
                Error(GridKeys.Name, GridLocation.FileStart, $"the file name '{fallback}' cannot be the sweep id ({allowed}); set one with name: <id>");
            }

            return fallback;
        }

        // The id names the sweep in the store, in logs and in export file names, so it stays a plain token.
        if (node is YamlScalarNode { Value: { } value } && !IsNull(node) && SweepId().IsMatch(value))
        {
            return value;
        }

        Error(GridKeys.Name, node, $"got {Show(node)}; {allowed} (default: the file name without its extension)");
        return fallback;
    }

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9._\-]{0,99}$")]
    private static partial Regex SweepId();

    private bool ReadBool(string key, bool fallback)
    {
        if (!_values.TryGetValue(key, out var node))
        {
            return fallback;
        }

        if (node is YamlScalarNode s && TryParseBool(s.Value, out bool value))
        {
            return value;
        }

        Error(key, node, $"expected true or false, got {Show(node)}");
        return fallback;
    }

    private static bool TryParseBool(string? text, out bool value)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "true":
                value = true;
                return true;
            case "false":
                value = false;
                return true;
            default:
                value = false;
                return false;
        }
    }

    private static bool TryParseNumber(string? text, out double value)
    {
        string s = (text ?? string.Empty).Trim();
        switch (s.ToLowerInvariant())
        {
            case "inf" or ".inf" or "+inf" or "+.inf" or "infinity" or "+infinity":
                value = double.PositiveInfinity;
                return true;
            case "-inf" or "-.inf" or "-infinity":
                value = double.NegativeInfinity;
                return true;
            default:
                return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && !double.IsNaN(value);
        }
    }

    private LossSelection ReadLoss()
    {
        if (!_values.TryGetValue(GridKeys.Loss, out var node))
        {
            return LossSelection.Both;
        }

        switch ((node as YamlScalarNode)?.Value)
        {
            case "eps":
                return LossSelection.Eps;
            case "data":
                return LossSelection.Data;
            case "both":
                return LossSelection.Both;
            default:
                Error(GridKeys.Loss, node, $"unknown loss {Show(node)}; allowed: {string.Join(", ", LossNames)} (it selects the export columns; default both)");
                return LossSelection.Both;
        }
    }

    private string? ReadReport(YamlMappingNode root)
    {
        if (!_values.TryGetValue(GridKeys.Report, out var node) || IsNull(node))
        {
            return null;
        }

        if (node is not YamlMappingNode map)
        {
            Error(GridKeys.Report, node, $"expected a mapping (the settings of the report), got {Show(node)}");
            return null;
        }

        // The representation model does not record where a collection ends, so the section runs to the next
        // top-level key. Block sections start at the beginning of their first line, to keep its indentation.
        int start = (int)map.Start.Index;
        long next = root.Children.Keys.Select(k => k.Start.Index).Where(i => i > start).DefaultIfEmpty(_text.Length).Min();
        if (map.Style != YamlDotNet.Core.Events.MappingStyle.Flow)
        {
            start = _text.LastIndexOf('\n', Math.Max(0, start - 1)) + 1;
        }

        string section = _text[start..(int)next].TrimEnd();
        int indent = map.Style == YamlDotNet.Core.Events.MappingStyle.Flow ? 0 : (int)map.Start.Column - 1;
        var lines = section.Split('\n').Select(line =>
        {
            int strip = 0;
            while (strip < indent && strip < line.Length && line[strip] == ' ')
            {
                strip++;
            }

            return line[strip..].TrimEnd('\r');
        });
        return string.Join('\n', lines) + "\n";
    }

    // ---------------------------------------------------------------- axes

    private void ReadAxes()
    {
        RequireOne(GridKeys.D, null, "every grid needs d (the dimension), e.g. 'd: 100'");
        if (!Subspaces)
        {
            RequireOne(GridKeys.N, GridKeys.NOverD, "every grid needs N (training samples, e.g. 'N: [50, 100, 200]') or n_over_d (N = round(n_over_d * d))");
        }

        ReadNumberAxis(GridKeys.D, NumberRule.Integer(1, MaxDimension, $"an integer from 1 to {MaxDimension} (the dimension)"));
        if (_values.ContainsKey(GridKeys.N) && _values.ContainsKey(GridKeys.NOverD))
        {
            Error(GridKeys.NOverD, _keys[GridKeys.NOverD], "N and n_over_d are both given; give one of them (N = round(n_over_d * d))");
            ReadNumberAxis(GridKeys.N, SamplesRule());
        }
        else if (_values.ContainsKey(GridKeys.NOverD))
        {
            ReadNumberAxis(GridKeys.NOverD, NumberRule.Real(v => v > 0 && double.IsFinite(v), "a finite number > 0 (N = round(n_over_d * d) must be at least 2)"));
        }
        else
        {
            ReadNumberAxis(GridKeys.N, SamplesRule());
        }

        ReadSpectrumAxis();
        ReadNumberAxis(GridKeys.C, NumberRule.Real(v => v >= 0 && double.IsFinite(v), "a finite number >= 0 (the ridge)"));
        ReadNumberAxis(GridKeys.T, NumberRule.Integer(2, ModelConfigValidator.MaxT, $"an integer from 2 to {ModelConfigValidator.MaxT} (the number of diffusion steps)"));
        ReadNumberAxis(GridKeys.BetaMin, NumberRule.Real(v => v > 0 && v < 1, "a number in (0, 1)"));
        ReadNumberAxis(GridKeys.BetaMax, NumberRule.Real(v => v > 0 && v < 1, "a number in [beta_min, 1)"));
        ReadNumberAxis(GridKeys.Tau, NumberRule.Real(v => v >= 0, "a number >= 0, or inf for the converged model"));
        ReadNumberAxis(GridKeys.Eta, NumberRule.Real(v => v > 0 && double.IsFinite(v), "a finite number > 0 (code convention: eta_eff = 2 eta / d)"));
        ReadNameAxis(GridKeys.Dynamics, DynamicsNames, name => name == "gf" ? Dynamics.GradientFlow : Dynamics.GradientDescent);
        ReadNumberAxis(GridKeys.InitStd, NumberRule.Real(v => v >= 0 && double.IsFinite(v), "a finite number >= 0"));
        ReadNameAxis(GridKeys.BiasMode, BiasModeNames, name => name == "none" ? BiasMode.None : BiasMode.Mean);
        ReadBoolAxis(GridKeys.SamplerLastNoise);
        ReadBoolAxis(GridKeys.AsymptoticTheory);
        ReadNumberAxis(GridKeys.SpectralGrid, NumberRule.Integer(100, "an integer >= 100 (points per decade)"));
    }

    private void RequireOne(string key, string? alternative, string message)
    {
        if (!_values.ContainsKey(key) && (alternative is null || !_values.ContainsKey(alternative)))
        {
            Error(key, GridLocation.FileStart, $"missing: {message}");
        }
    }

    private RawAxis NewAxis(string key, string fileKey)
    {
        var axis = new RawAxis(key, fileKey, _keys.TryGetValue(fileKey, out var node) ? At(node) : GridLocation.FileStart);
        _axes[key] = axis;
        return axis;
    }

    private void ReadNumberAxis(string key, NumberRule rule)
    {
        if (!_values.TryGetValue(key, out var node))
        {
            return;
        }

        var axis = NewAxis(key, key);
        foreach (var (value, at) in ReadNumbers(key, node, rule.Description))
        {
            AddNumber(axis, key, value, at, rule);
        }
    }

    private void AddNumber(RawAxis axis, string key, double value, GridLocation at, NumberRule rule)
    {
        double v = value;
        if (rule.IsInteger)
        {
            if (!double.IsFinite(v) || Math.Abs(v) > int.MaxValue)
            {
                Error(key, at, $"{Num(value)} is not allowed; {key} must be {rule.Description}");
                return;
            }

            v = Math.Round(v, MidpointRounding.ToEven);
        }

        if (!rule.IsValid(v))
        {
            Error(key, at, $"{Num(value)} is not allowed; {key} must be {rule.Description}");
            return;
        }

        object boxed = rule.IsInteger ? (object)(int)v : v;
        axis.Items.Add(new AxisValue(boxed, v.ToString("R", CultureInfo.InvariantCulture), at));
    }

    /// <summary>One value, a list (whose entries may be ranges too) or a range, as numbers with their positions.</summary>
    private List<(double Value, GridLocation At)> ReadNumbers(string key, YamlNode node, string description)
    {
        var numbers = new List<(double, GridLocation)>();
        string expected = $"{key} must be {description}: one value, a list, or a range {RangeForms}";
        if (IsNull(node))
        {
            Error(key, node, $"has no value; {expected}");
            return numbers;
        }

        switch (node)
        {
            case YamlScalarNode scalar:
                AddScalar(scalar);
                break;
            case YamlSequenceNode { Children.Count: 0 }:
                Error(key, node, $"is an empty list, but an axis needs at least one value; {expected}");
                break;
            case YamlSequenceNode list:
                foreach (var entry in list.Children)
                {
                    switch (entry)
                    {
                        case YamlScalarNode scalar:
                            AddScalar(scalar);
                            break;
                        case YamlMappingNode range:
                            ReadRange(key, range, numbers);
                            break;
                        default:
                            Error(key, entry, $"lists do not nest; {expected}");
                            break;
                    }
                }

                break;
            case YamlMappingNode range:
                ReadRange(key, range, numbers);
                break;
            default:
                Error(key, node, $"got {Show(node)}; {expected}");
                break;
        }

        return numbers;

        void AddScalar(YamlScalarNode scalar)
        {
            if (IsNull(scalar))
            {
                Error(key, scalar, $"has an empty entry; {expected}");
            }
            else if (TryParseNumber(scalar.Value, out double v))
            {
                numbers.Add((v, At(scalar)));
            }
            else
            {
                Error(key, scalar, $"{Show(scalar)} is not a number; {expected}");
            }
        }
    }

    /// <summary>numpy's linspace and logspace (10^start .. 10^stop), endpoints included.</summary>
    private void ReadRange(string key, YamlMappingNode map, List<(double, GridLocation)> into)
    {
        var at = At(map);
        if (map.Children.Count != 1 || map.Children.First().Key is not YamlScalarNode { Value: { } kind })
        {
            Error(key, map, $"a range is a mapping with one key: {RangeForms}");
            return;
        }

        if (!RangeKinds.Contains(kind))
        {
            Error($"{key}.{kind}", map.Children.First().Key, KeySuggestions.Describe(kind, RangeKinds));
            return;
        }

        var args = map.Children.First().Value as YamlSequenceNode;
        var parsed = new double[3];
        if (args is null || args.Children.Count != 3
            || !args.Children.Select((n, i) => n is YamlScalarNode s && TryParseNumber(s.Value, out parsed[i])).All(ok => ok))
        {
            string form = kind == "linspace" ? "[start, stop, count]" : "[start_exp, stop_exp, count]";
            Error(key, map, $"{kind} takes a list of three numbers {form}");
            return;
        }

        double start = parsed[0], stop = parsed[1], count = parsed[2];
        if (!double.IsFinite(start) || !double.IsFinite(stop))
        {
            Error(key, map, $"the {kind} end points must be finite numbers, got {Num(start)} and {Num(stop)}");
            return;
        }

        if (count == 0)
        {
            Error(key, map, $"{kind} count is 0, but an axis needs at least one value");
            return;
        }

        if (count != Math.Floor(count) || count < 1 || count > MaxRangeCount)
        {
            Error(key, map, $"the {kind} count must be an integer from 1 to {MaxRangeCount}, got {Num(count)}");
            return;
        }

        int n = (int)count;
        for (int i = 0; i < n; i++)
        {
            double x = n == 1 ? start : i == n - 1 ? stop : start + (i * (stop - start) / (n - 1));
            into.Add((kind == "logspace" ? Math.Pow(10, x) : x, at));
        }
    }

    private void ReadNameAxis<T>(string key, string[] allowed, Func<string, T> convert)
        where T : notnull
    {
        if (!_values.TryGetValue(key, out var node))
        {
            return;
        }

        var axis = NewAxis(key, key);
        foreach (var scalar in ReadScalars(key, node, $"one of {string.Join(", ", allowed)}"))
        {
            if (scalar.Value is { } name && allowed.Contains(name))
            {
                axis.Items.Add(new AxisValue(convert(name), name, At(scalar)));
            }
            else
            {
                string? suggestion = KeySuggestions.Closest(scalar.Value ?? string.Empty, allowed);
                string hint = suggestion is null ? string.Empty : $" (did you mean '{suggestion}'?)";
                Error(key, scalar, $"unknown {key} {Show(scalar)}{hint}; allowed: {string.Join(", ", allowed)}");
            }
        }
    }

    private void ReadBoolAxis(string key)
    {
        if (!_values.TryGetValue(key, out var node))
        {
            return;
        }

        var axis = NewAxis(key, key);
        foreach (var scalar in ReadScalars(key, node, "true or false"))
        {
            if (TryParseBool(scalar.Value, out bool value))
            {
                axis.Items.Add(new AxisValue(value, value ? "true" : "false", At(scalar)));
            }
            else
            {
                Error(key, scalar, $"expected true or false, got {Show(scalar)}");
            }
        }
    }

    /// <summary>One scalar or a list of scalars.</summary>
    private List<YamlScalarNode> ReadScalars(string key, YamlNode node, string expected)
    {
        var scalars = new List<YamlScalarNode>();
        if (IsNull(node))
        {
            Error(key, node, $"has no value; expected {expected}, or a list of them");
        }
        else if (node is YamlScalarNode scalar)
        {
            scalars.Add(scalar);
        }
        else if (node is YamlSequenceNode { Children.Count: 0 })
        {
            Error(key, node, $"is an empty list, but an axis needs at least one value; expected {expected}");
        }
        else if (node is YamlSequenceNode list)
        {
            foreach (var entry in list.Children)
            {
                if (entry is YamlScalarNode s && !IsNull(s))
                {
                    scalars.Add(s);
                }
                else
                {
                    Error(key, entry, $"expected {expected}, got {Show(entry)}");
                }
            }
        }
        else
        {
            Error(key, node, $"expected {expected}, or a list of them, got {Show(node)}");
        }

        return scalars;
    }

    // ---------------------------------------------------------------- spectrum

    private void ReadSpectrumAxis()
    {
        bool hasK = _values.TryGetValue(GridKeys.K, out var kNode);
        bool hasSpectrum = _values.TryGetValue(GridKeys.Spectrum, out var spectrumNode);
        if (hasK && hasSpectrum)
        {
            Error(GridKeys.K, _keys[GridKeys.K], "k and spectrum are both given; k is the short form of spectrum: {powerlaw: {k: ...}}, so give one of them");
        }

        if (hasSpectrum)
        {
            var axis = NewAxis(GridKeys.Spectrum, GridKeys.Spectrum);
            if (spectrumNode is YamlSequenceNode { Children.Count: 0 })
            {
                Error(GridKeys.Spectrum, spectrumNode, $"is an empty list, but an axis needs at least one value; a spectrum is {SpectrumForms}");
            }
            else if (spectrumNode is YamlSequenceNode list)
            {
                foreach (var entry in list.Children)
                {
                    ReadSpectrumEntry(entry, axis);
                }
            }
            else
            {
                ReadSpectrumEntry(spectrumNode!, axis);
            }
        }
        else if (hasK)
        {
            var axis = NewAxis(GridKeys.Spectrum, GridKeys.K);
            AddPowerLaws(GridKeys.K, kNode!, axis);
        }
    }

    private void AddPowerLaws(string key, YamlNode node, RawAxis axis)
    {
        foreach (var (k, at) in ReadNumbers(key, node, "a finite number (lambda_nu ~ nu^-k)"))
        {
            if (double.IsFinite(k))
            {
                var spec = SpectrumSpec.PowerLaw(k);
                axis.Items.Add(new AxisValue(spec, CellParameters.SpectrumKey(spec), at));
            }
            else
            {
                Error(key, at, $"{Num(k)} is not allowed; k must be a finite number");
            }
        }
    }

    private void ReadSpectrumEntry(YamlNode node, RawAxis axis)
    {
        const string key = GridKeys.Spectrum;
        if (node is YamlScalarNode { Value: "identity" } && !IsNull(node))
        {
            axis.Items.Add(new AxisValue(SpectrumSpec.Identity, CellParameters.SpectrumKey(SpectrumSpec.Identity), At(node)));
            return;
        }

        if (node is not YamlMappingNode map)
        {
            Error(key, node, $"{(IsNull(node) ? "has no value" : $"got {Show(node)}")}; a spectrum is {SpectrumForms}, or a list of them");
            return;
        }

        YamlNode? powerLaw = null, file = null, normalize = null;
        foreach (var (entryKey, value) in map.Children)
        {
            switch ((entryKey as YamlScalarNode)?.Value)
            {
                case "powerlaw":
                    powerLaw = value;
                    break;
                case "file":
                    file = value;
                    break;
                case "normalize":
                    normalize = value;
                    break;
                case var other:
                    Error($"{key}.{other}", entryKey, KeySuggestions.Describe(other ?? string.Empty, SpectrumEntryKeys));
                    break;
            }
        }

        if (powerLaw is not null && file is not null)
        {
            Error(key, map, "one spectrum entry is either a power law or a file; write them as two entries of a list");
        }
        else if (powerLaw is not null)
        {
            if (normalize is not null)
            {
                Error($"{key}.normalize", normalize, "normalize applies to file spectra only (a power law is always normalised to Tr Sigma / d = 1)");
            }

            ReadPowerLaw(powerLaw, axis);
        }
        else if (file is not null)
        {
            bool norm = true;
            if (normalize is not null && !(normalize is YamlScalarNode ns && TryParseBool(ns.Value, out norm)))
            {
                Error($"{key}.normalize", normalize, $"expected true or false (rescale to Tr Sigma / d = 1; default true), got {Show(normalize)}");
                return;
            }

            if (file is not YamlScalarNode { Value: { Length: > 0 } path } || IsNull(file))
            {
                Error($"{key}.file", file, $"expected the path of an eigenvalue file (relative to the grid file), got {Show(file)}");
                return;
            }

            if (ReadSpectrumFile(path, norm, At(file)) is { } spec)
            {
                axis.Items.Add(new AxisValue(spec, CellParameters.SpectrumKey(spec), At(file)));
            }
        }
        else if (map.Children.Count > 0 && _faultyKeys.Contains(key))
        {
            // An unknown key was reported already; a second message about the same entry would only repeat it.
        }
        else
        {
            Error(key, map, $"a spectrum mapping needs powerlaw or file; a spectrum is {SpectrumForms}");
        }
    }

    private void ReadPowerLaw(YamlNode node, RawAxis axis)
    {
        if (node is not YamlMappingNode map)
        {
            Error($"{GridKeys.Spectrum}.powerlaw", node, $"expected {{k: <values>}}, got {Show(node)}");
            return;
        }

        YamlNode? k = null;
        foreach (var (entryKey, value) in map.Children)
        {
            string name = (entryKey as YamlScalarNode)?.Value ?? string.Empty;
            if (name == "k")
            {
                k = value;
            }
            else
            {
                Error($"{GridKeys.Spectrum}.powerlaw.{name}", entryKey, KeySuggestions.Describe(name, PowerLawKeys));
            }
        }

        if (k is null)
        {
            Error($"{GridKeys.Spectrum}.powerlaw", map, "a power law needs its exponents: {powerlaw: {k: <values>}}");
            return;
        }

        AddPowerLaws(GridKeys.Spectrum, k, axis);
    }

    private SpectrumSpec? ReadSpectrumFile(string path, bool normalize, GridLocation at)
    {
        string full = System.IO.Path.GetFullPath(System.IO.Path.Combine(_directory, path));
        string cacheKey = $"{full}|{normalize}";
        if (_fileSpectra.TryGetValue(cacheKey, out var cached))
        {
            return cached;
        }

        SpectrumSpec? spec = null;
        string? problem = null;
        string? text = null;
        try
        {
            Files.RegularFile.EnsureRegular(full);
            text = File.ReadAllText(full);
        }
        catch (FileNotFoundException)
        {
            problem = $"spectrum file '{path}' does not exist (looked for {full}; paths are relative to the grid file)";
        }
        catch (DirectoryNotFoundException)
        {
            problem = $"spectrum file '{path}' does not exist: its folder is missing (looked for {full}; paths are relative to the grid file)";
        }
        catch (UnauthorizedAccessException)
        {
            problem = $"spectrum file '{path}' cannot be read (permission denied, or it is a folder)";
        }
        catch (IOException e)
        {
            problem = $"spectrum file '{path}' cannot be read: {e.Message}";
        }

        if (text is not null)
        {
            try
            {
                EigenvalueFile.Parse(text, path, null, normalize);
                string hash = ContentHash.Sha256Hex(text);
                _spectrumTexts[hash] = text;
                spec = new SpectrumSpec(SpectrumKind.File, 0.0, full, normalize, hash);
            }
            catch (SpectrumFormatException e)
            {
                problem = e.Line is int line
                    ? $"malformed spectrum file '{path}', line {line}: {e.Problem}"
                    : $"malformed spectrum file '{path}': {e.Problem}";
            }
        }

        if (problem is not null)
        {
            Error(GridKeys.Spectrum, at, problem);
        }

        _fileSpectra[cacheKey] = spec;
        return spec;
    }

    // ---------------------------------------------------------------- reported steps and seeds

    private List<int> ReadReportedSteps(int smallestT)
    {
        if (!_values.TryGetValue(GridKeys.Steps, out var node))
        {
            // The same fractions of T as the model's default steps 0, 100, 500, 999 of T = 1000.
            var steps = new List<int> { 0, (int)Math.Round(smallestT / 10.0), (int)Math.Round(smallestT / 2.0), smallestT - 1 };
            return [.. steps.Distinct()];
        }

        if (node is YamlSequenceNode { Children.Count: 0 })
        {
            return [];
        }

        string range = $"0..T-1 = 0..{smallestT - 1}{(_axes[GridKeys.T].Items.Count > 1 ? $" (T = {smallestT} is the smallest T of the grid)" : string.Empty)}";
        var result = new List<int>();
        foreach (var (value, at) in ReadNumbers(GridKeys.Steps, node, $"integers in {range}"))
        {
            double t = double.IsFinite(value) ? Math.Round(value, MidpointRounding.ToEven) : value;
            if (!(t >= 0 && t < smallestT))
            {
                Error(GridKeys.Steps, at, $"t = {Num(value)} is outside {range}; t lists the reported diffusion steps");
            }
            else if (!result.Contains((int)t))
            {
                result.Add((int)t);
            }
        }

        return result;
    }

    private List<long> ReadSeeds()
    {
        long seed0 = Defaults.Seed0;
        bool hasSeed0 = _values.TryGetValue(GridKeys.Seed0, out var seed0Node);
        if (hasSeed0)
        {
            if (seed0Node is YamlScalarNode s && TryParseNumber(s.Value, out double v) && v == Math.Floor(v) && v >= 0 && v < MaxSeed)
            {
                seed0 = (long)v;
            }
            else
            {
                Error(GridKeys.Seed0, seed0Node!, $"expected an integer from 0 to 2^53 (the seed of the first draw; default 0), got {Show(seed0Node!)}");
            }
        }

        if (!_values.TryGetValue(GridKeys.Seeds, out var node) || _faultyKeys.Contains(GridKeys.Seeds))
        {
            // A family cell is expensive and usually averages inside (pairs, draws, trials): one seed unless asked.
            return [.. Enumerable.Range(0, _family is null ? DefaultSeedCount : 1).Select(r => seed0 + r)];
        }

        const string forms = "seeds is a count of training-set draws (seeds seed0, seed0 + 1, ...) or {values: [<seed>, ...]}";
        switch (node)
        {
            case YamlScalarNode scalar when !IsNull(scalar):
                if (TryParseNumber(scalar.Value, out double count) && count == Math.Floor(count) && count >= 1 && count <= MaxRangeCount)
                {
                    return [.. Enumerable.Range(0, (int)count).Select(r => seed0 + r)];
                }

                Error(GridKeys.Seeds, scalar, $"expected a count from 1 to {MaxRangeCount}, got {Show(scalar)}; {forms}");
                break;
            case YamlMappingNode map:
                return ReadSeedValues(map, hasSeed0, seed0, forms);
            case YamlSequenceNode:
                Error(GridKeys.Seeds, node, $"a list of seeds is written {{values: [...]}}; {forms}");
                break;
            default:
                Error(GridKeys.Seeds, node, $"got {Show(node)}; {forms}");
                break;
        }

        return [seed0];
    }

    private List<long> ReadSeedValues(YamlMappingNode map, bool hasSeed0, long seed0, string forms)
    {
        YamlNode? values = null;
        foreach (var (entryKey, value) in map.Children)
        {
            string name = (entryKey as YamlScalarNode)?.Value ?? string.Empty;
            if (name == "values")
            {
                values = value;
            }
            else
            {
                Error($"{GridKeys.Seeds}.{name}", entryKey, KeySuggestions.Describe(name, SeedKeys));
            }
        }

        if (values is null)
        {
            Error(GridKeys.Seeds, map, forms);
            return [seed0];
        }

        if (hasSeed0)
        {
            Error(GridKeys.Seed0, _keys[GridKeys.Seed0], "seed0 has no effect when seeds lists explicit values; remove seed0 or write the seeds as a count");
        }

        var seeds = new List<long>();
        foreach (var (value, at) in ReadNumbers(GridKeys.Seeds, values, "integers from 0 to 2^53"))
        {
            double s = double.IsFinite(value) ? Math.Round(value, MidpointRounding.ToEven) : value;
            if (!(s >= 0 && s < MaxSeed))
            {
                Error(GridKeys.Seeds, at, $"{Num(value)} is not allowed; a seed is an integer from 0 to 2^53");
            }
            else if (!seeds.Contains((long)s))
            {
                seeds.Add((long)s);
            }
        }

        return seeds.Count > 0 ? seeds : [seed0];
    }

    // ---------------------------------------------------------------- zip and repeats

    private List<List<RawAxis>> ReadZip()
    {
        var groups = new List<List<RawAxis>>();
        if (!_values.TryGetValue(GridKeys.Zip, out var node) || IsNull(node))
        {
            return groups;
        }

        const string forms = "zip is a list of axis names that vary together, e.g. zip: [N, c], or a list of such lists";
        if (node is not YamlSequenceNode list || list.Children.Count == 0)
        {
            Error(GridKeys.Zip, node, $"got {Show(node)}; {forms}");
            return groups;
        }

        List<YamlSequenceNode> written;
        if (list.Children.All(c => c is YamlScalarNode))
        {
            written = [list];
        }
        else if (list.Children.All(c => c is YamlSequenceNode))
        {
            written = [.. list.Children.Cast<YamlSequenceNode>()];
        }
        else
        {
            Error(GridKeys.Zip, node, $"mixes names and lists; {forms}");
            return groups;
        }

        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var group in written)
        {
            var members = new List<RawAxis>();
            foreach (var entry in group.Children)
            {
                if (ZipMember(entry, used) is { } axis)
                {
                    members.Add(axis);
                }
            }

            if (members.Count == 0)
            {
                continue;
            }

            var counts = members.Select(m => m.Items.Count).Distinct().ToList();
            if (counts.Count > 1 && !members.Any(m => _faultyKeys.Contains(m.FileKey)))
            {
                string lengths = string.Join(", ", members.Select(m => $"{m.FileKey} has {m.Items.Count} value{(m.Items.Count == 1 ? string.Empty : "s")}"));
                Error(GridKeys.Zip, group, $"zipped axes vary together, so they need equal lengths: {lengths}");
            }

            groups.Add(members);
        }

        return groups;
    }

    private RawAxis? ZipMember(YamlNode entry, HashSet<string> used)
    {
        if (entry is not YamlScalarNode { Value: { Length: > 0 } name })
        {
            Error(GridKeys.Zip, entry, $"expected an axis name, got {Show(entry)}");
            return null;
        }

        string[] axisNames = [.. GridKeys.Axes, GridKeys.K];
        if (!axisNames.Contains(name))
        {
            string message = GridKeys.All.Contains(name)
                ? $"{name} is not an axis; zip takes axis names: {string.Join(", ", axisNames)}"
                : KeySuggestions.Describe(name, axisNames, "axis");
            Error(GridKeys.Zip, entry, message);
            return null;
        }

        string key = name == GridKeys.K ? GridKeys.Spectrum : name;
        if (!_axes.TryGetValue(key, out var axis) || (name != axis.FileKey && name != GridKeys.Spectrum))
        {
            Error(GridKeys.Zip, entry, $"zip names {name}, which this file does not set; zip only axes the file gives values for");
            return null;
        }

        if (!used.Add(key))
        {
            Error(GridKeys.Zip, entry, $"{name} appears twice in zip; an axis belongs to one zip group at most");
            return null;
        }

        return axis;
    }

    private void ResolveRepeats(List<List<RawAxis>> zip)
    {
        var zipped = new HashSet<string>(StringComparer.Ordinal);
        foreach (var group in zip)
        {
            zipped.UnionWith(group.Select(a => a.Key));
            int length = group.Min(a => a.Items.Count);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var keep = new List<int>();
            for (int i = 0; i < length; i++)
            {
                // Zipped axes keep their own repeats (N = [100, 100] with c = [0, 1] is two points); only whole repeated tuples go.
                if (seen.Add(string.Join("\u001f", group.Select(a => a.Items[i].Identity))))
                {
                    keep.Add(i);
                }
            }

            foreach (var axis in group)
            {
                axis.KeepOnly(keep);
            }
        }

        foreach (var axis in _axes.Values.Where(a => !zipped.Contains(a.Key)))
        {
            axis.RemoveRepeats();
        }
    }

    /// <summary>Axes the file leaves out take the model defaults; an axis whose every value was rejected takes them too, so later checks still run.</summary>
    private void FillDefaults()
    {
        void Default(string key, object value, string identity)
        {
            if (!_axes.TryGetValue(key, out var axis))
            {
                axis = NewAxis(key, key);
            }

            if (axis.Items.Count == 0)
            {
                axis.Items.Add(new AxisValue(value, identity, axis.At));
            }
        }

        Default(GridKeys.D, Defaults.D, "default");
        if (!_axes.ContainsKey(GridKeys.NOverD))
        {
            Default(GridKeys.N, Defaults.N, "default");
        }
        else
        {
            Default(GridKeys.NOverD, 0.5, "default");
        }

        Default(GridKeys.Spectrum, Defaults.Spectrum, CellParameters.SpectrumKey(Defaults.Spectrum));
        Default(GridKeys.C, Defaults.C, "default");
        Default(GridKeys.T, Defaults.T, "default");
        Default(GridKeys.BetaMin, Defaults.BetaMin, "default");
        Default(GridKeys.BetaMax, Defaults.BetaMax, "default");
        Default(GridKeys.Tau, Defaults.Tau, "default");
        Default(GridKeys.Eta, Defaults.Eta, "default");
        Default(GridKeys.Dynamics, Defaults.Dynamics, "default");
        Default(GridKeys.InitStd, Defaults.InitStd, "default");
        Default(GridKeys.BiasMode, Defaults.BiasMode, "default");
        Default(GridKeys.SamplerLastNoise, Defaults.SamplerLastNoise, "default");
        Default(GridKeys.AsymptoticTheory, Defaults.AsymptoticTheory, "default");
        Default(GridKeys.SpectralGrid, Defaults.SpectralGrid, "default");
    }
}
