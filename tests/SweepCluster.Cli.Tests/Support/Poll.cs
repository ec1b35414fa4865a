using System.Diagnostics;

namespace SweepCluster.Cli.Tests.Support;

/// <summary>Waiting for a condition with a deadline.</summary>
public static class Poll
{
    /// <summary>
    /// Checks <paramref name="condition"/> every <paramref name="interval"/> (default 25 ms) until it holds; fails the
    /// test after <paramref name="timeout"/>, or as soon as <paramref name="process"/> exits before it held.
    /// </summary>
    public static void Until(Func<bool> condition, TimeSpan timeout, string what, CliChildProcess? process = null, TimeSpan? interval = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (process is { HasExited: true })
            {
                Assert.Fail($"the process exited with {process.ExitCode} before {what}:\n{process.StderrSoFar}");
            }

            if (clock.Elapsed > timeout)
            {
                Assert.Fail($"timed out after {timeout} waiting for {what}{(process is null ? string.Empty : ":\n" + process.StderrSoFar)}");
            }

            Thread.Sleep(interval ?? TimeSpan.FromMilliseconds(25));
        }
    }
}
