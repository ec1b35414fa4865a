using System.Data.Common;
using SweepCluster.Cli.Stores;
using SweepCluster.Storage;
using SweepCluster.Storage.Sqlite;

namespace SweepCluster.Cli.Commands;

/// <summary>
/// Turns every failure of a command into one clear line and an exit code (<see cref="ExitCodes"/>): a user never
/// sees a stack trace. Set SWEEP_DEBUG=1 to get the full exception of an unexpected failure as well.
/// </summary>
public static class CommandErrors
{
    public const string DebugVariable = "SWEEP_DEBUG";

    public static async Task<int> GuardAsync(TextWriter error, Func<Task<int>> action)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(action);
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            return Report(error, e);
        }
    }

    /// <summary>Writes the one line for <paramref name="e"/> and returns its exit code.</summary>
    public static int Report(TextWriter error, Exception e)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(e);
        var (code, message) = e switch
        {
            CommandInputException => (ExitCodes.BadInput, e.Message),
            StoreLocationException => (e.InnerException is null ? ExitCodes.BadInput : ExitCodes.Failure, e.Message),
            StoreDamagedException => (ExitCodes.StoreDamaged, e.Message),
            EnvironmentFailureException => (ExitCodes.Failure, e.Message),
            _ when StoreFull.Is(e) => (ExitCodes.Failure, $"{StoreFull.Advice} ({e.GetBaseException().Message})"),
            _ when SqliteErrorCodes.MeansDamage(e) =>
                (ExitCodes.StoreDamaged, $"the store file is damaged ({e.Message}); keep a copy of it and see docs/troubleshooting.md"),
            DbException or TimeoutException =>
                (ExitCodes.Failure, $"the store failed: {e.Message}; check that the database is reachable, then run the same command again"),
            IOException or UnauthorizedAccessException =>
                (ExitCodes.Failure, $"{(e is UnauthorizedAccessException ? "permission denied" : "a file operation failed")}: {e.Message}"),
            _ => (ExitCodes.Failure, $"unexpected failure: {e.Message} (set {DebugVariable}=1 for the details and report it)"),
        };
        error.WriteLine($"error: {message}");
        if (Environment.GetEnvironmentVariable(DebugVariable) is "1" or "true")
        {
            error.WriteLine(e.ToString());
        }

        return code;
    }
}
