using System.CommandLine;
using System.Globalization;
using SweepCluster.Sweeps.Cells;
using SweepCluster.Sweeps.Families;

namespace SweepCluster.Cli.Options;

/// <summary>
/// `sweep cell --family KIND` and one option per family setting (<see cref="FamilyKeys"/>, spelt with dashes:
/// --noise-seed, --max-iter), so that one configuration of a family is computed without writing a grid or a reference file.
/// </summary>
public sealed class FamilyOptions
{
    public FamilyOptions()
    {
        Settings = [.. FamilyKeys.All.Select(k => (k, new Option<string?>("--" + k.Name.Replace('_', '-'))
        {
            Description = $"{string.Join(", ", k.Families.Select(CellKindNames.ToName))}: {k.Meaning}; {k.Allowed}.",
        }))];
    }

    public Option<string?> Family { get; } = new Option<string?>("--family")
    {
        Description = "Compute one configuration of a generalisation family (repro, gl, bound, molrg; docs/generalisation.md) from the model options and the family's own (--sampler, --pairs, --draws, --K, --r, --Nk, ...), and print its values as JSON. A setting left out takes the spec's default.",
    }.AcceptOnlyFromAmongFluent([.. CellKindNames.Families]);

    public IReadOnlyList<(FamilyKey Key, Option<string?> Option)> Settings { get; }

    public IEnumerable<Option> All => [Family, .. Settings.Select(s => s.Option)];

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        foreach (var option in All)
        {
            command.Add(option);
        }

        command.Validators.Add(Validate);
    }

    /// <summary>The family and its settings; the values were checked by <see cref="Validate"/>.</summary>
    public (CellKind Family, FamilySettings Settings)? Bind(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        if (parse.GetValue(Family) is not { } name)
        {
            return null;
        }

        var values = new List<KeyValuePair<string, object>>();
        foreach (var (key, option) in Settings)
        {
            if (parse.GetValue(option) is { } text && Parse(key, text, out object? value, out _))
            {
                values.Add(new(key.Name, value!));
            }
        }

        return (CellKindNames.Parse(name), new FamilySettings(values));
    }

    private void Validate(System.CommandLine.Parsing.CommandResult command)
    {
        // The token, not the value: an unknown family already has the parser's own error, and reading its value would throw.
        string? family = command.GetResult(Family)?.Tokens is { Count: > 0 } tokens && CellKindNames.Families.Contains(tokens[^1].Value) ? tokens[^1].Value : null;
        if (family is null && command.GetResult(Family) is { Implicit: false })
        {
            return;
        }

        foreach (var (key, option) in Settings)
        {
            if (command.GetResult(option) is not { Implicit: false } given)
            {
                continue;
            }

            string takers = string.Join(" or ", key.Families.Select(CellKindNames.ToName));
            if (family is null)
            {
                command.AddError($"{option.Name} is a setting of the {takers} family; give --family {CellKindNames.ToName(key.Families[0])}");
            }
            else if (!key.Families.Contains(CellKindNames.Parse(family)))
            {
                command.AddError($"{option.Name} is a setting of {takers}, not of {family}");
            }
            else if (!Parse(key, given.GetValueOrDefault<string?>() ?? string.Empty, out _, out string? problem))
            {
                command.AddError($"{option.Name}: {problem}");
            }
        }
    }

    /// <summary>Whether the command line asks for MoLRG with K >= 2 (K-subspaces; K defaults to 2).</summary>
    public bool IsSubspaces(System.CommandLine.Parsing.CommandResult command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var k = Settings.First(s => s.Key.Name == FamilyKeys.K).Option;
        return command.GetResult(Family)?.Tokens is { Count: > 0 } family && family[^1].Value == "molrg"
            && !(command.GetResult(k)?.Tokens is { Count: > 0 } tokens && tokens[^1].Value == "1");
    }

    /// <summary>One value of a setting, checked by its rule (integers must be whole).</summary>
    private static bool Parse(FamilyKey key, string text, out object? value, out string? problem)
    {
        value = null;
        problem = null;
        switch (key.Type)
        {
            case FamilyValueType.Name when key.Names?.Contains(text) == true:
                value = text;
                return true;
            case FamilyValueType.Flag when bool.TryParse(text, out bool flag):
                value = flag;
                return true;
            case FamilyValueType.WholeNumber or FamilyValueType.RealNumber
                when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double number)
                    && (key.Type == FamilyValueType.RealNumber || number == Math.Floor(number))
                    && key.IsValid(number):
                value = key.Type == FamilyValueType.WholeNumber ? (long)number : number;
                return true;
            default:
                problem = $"'{text}' is not allowed; {key.Name} must be {key.Allowed}";
                return false;
        }
    }
}
