using System.Text.RegularExpressions;

namespace SweepCluster.Cli.Tests.Support;

/// <summary>What every failing command must look like (issue 12): its exit code, one message that names the problem, no stack trace.</summary>
public static partial class CliAssert
{
    /// <summary>
    /// The command exited with <paramref name="exitCode"/>, wrote exactly one "error:" line (a usage error may add the
    /// line pointing to --help) holding every one of <paramref name="expected"/>, and no stack trace or exception type.
    /// </summary>
    /// <returns>The error line.</returns>
    public static string OneError(CliProcess.Result result, int exitCode, params string[] expected)
    {
        ArgumentNullException.ThrowIfNull(result);
        string all = result.Stdout + result.Stderr;
        Assert.True(result.ExitCode == exitCode, $"exit {result.ExitCode}, expected {exitCode}:\n{all}");
        NoStackTrace(all);
        var errors = Lines(all).Where(l => l.Contains("error: ", StringComparison.Ordinal) || l.Contains(" ERR] ", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 1, $"expected one error line, got {errors.Count}:\n{all}");
        foreach (string text in expected)
        {
            Assert.True(errors[0].Contains(text, StringComparison.Ordinal), $"the error does not say '{text}':\n{errors[0]}");
        }

        return errors[0];
    }

    /// <summary>No frame of a stack trace ("   at ..."), no "Unhandled exception" and no .NET exception type name.</summary>
    public static void NoStackTrace(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Assert.False(StackFrame().IsMatch(text), $"a stack trace was printed:\n{text}");
        Assert.False(ExceptionType().IsMatch(text), $"an exception type was printed:\n{text}");
    }

    public static IReadOnlyList<string> Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [GeneratedRegex(@"^\s+at \S", RegexOptions.Multiline)]
    private static partial Regex StackFrame();

    [GeneratedRegex(@"Unhandled exception|\b[A-Z]\w*Exception\b")]
    private static partial Regex ExceptionType();
}
