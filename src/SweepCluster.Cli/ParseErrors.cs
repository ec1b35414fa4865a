using System.CommandLine.Parsing;

namespace SweepCluster.Cli;

/// <summary>
/// System.CommandLine's parse errors as one line each that names the option and what it accepts, in words: its own
/// texts name .NET types ("as expected type 'System.Double'") and list allowed values over several lines.
/// </summary>
internal static class ParseErrors
{
    public static string Describe(ParseError error)
    {
        var option = OptionOf(error.SymbolResult);
        string message = string.Join("; ", error.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Replace(":; ", ": ", StringComparison.Ordinal);
        if (option is null)
        {
            return message;
        }

        if (message.Contains("Cannot parse argument", StringComparison.Ordinal))
        {
            string token = option.Tokens.Count > 0 ? option.Tokens[^1].Value : string.Empty;
            message = $"'{token}' is not {KindOf(option.Option.ValueType)}";
        }

        return message.Contains(option.Option.Name, StringComparison.Ordinal) ? message : $"{option.Option.Name}: {message}";
    }

    /// <summary>What a value of <paramref name="type"/> looks like, for "'x' is not ..." messages.</summary>
    private static string KindOf(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        t = t.IsArray ? t.GetElementType()! : t;
        return t == typeof(int) || t == typeof(long) ? "a whole number (such as 4)"
            : t == typeof(double) ? "a finite number (such as 0.5 or 1e-3)"
            : t == typeof(bool) ? "true or false"
            : "an allowed value";
    }

    /// <summary>The option a parse error belongs to, so that every message names it.</summary>
    private static OptionResult? OptionOf(SymbolResult? result) => result switch
    {
        OptionResult o => o,
        ArgumentResult { Parent: OptionResult o } => o,
        _ => null,
    };
}
