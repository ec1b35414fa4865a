using System.CommandLine;

namespace SweepCluster.Cli.Options;

internal static class OptionExtensions
{
    /// <summary>AcceptOnlyFromAmong that returns the option, so it can sit in an initialiser.</summary>
    public static Option<T> AcceptOnlyFromAmongFluent<T>(this Option<T> option, params string[] values)
    {
        option.AcceptOnlyFromAmong(values);
        return option;
    }
}
