using SweepCluster.Cli.Stores;

namespace SweepCluster.Cli.Commands;

/// <summary>Turns the user-facing exceptions of a command into one clear line and an exit code.</summary>
public static class CommandErrors
{
    public static async Task<int> GuardAsync(TextWriter error, Func<Task<int>> action)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(action);
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (CommandInputException e)
        {
            error.WriteLine($"error: {e.Message}");
            return ExitCodes.BadInput;
        }
        catch (StoreLocationException e)
        {
            error.WriteLine($"error: {e.Message}");
            return e.InnerException is null ? ExitCodes.BadInput : ExitCodes.Failure;
        }
    }
}
