using SweepCluster.Sweeps.Grids;

namespace SweepCluster.Cli.Commands;

/// <summary>Loads a grid file for a command, printing every problem (file:line:column: key: message) on failure.</summary>
public static class GridLoading
{
    public static Grid? TryLoad(string path, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(error);
        try
        {
            return GridFile.Load(path);
        }
        catch (GridValidationException e)
        {
            foreach (var problem in e.Errors)
            {
                error.WriteLine($"error: {problem}");
            }

            if (e.Errors.Count == 0)
            {
                error.WriteLine($"error: {e.Message}");
            }

            error.WriteLine($"{path}: {e.Errors.Count} problem(s); nothing was written. The grid format is described in docs/grid-format.md.");
            return null;
        }
    }
}
