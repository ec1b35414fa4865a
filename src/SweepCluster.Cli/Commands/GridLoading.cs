using System.CommandLine;
using SweepCluster.Sweeps.Grids;

namespace SweepCluster.Cli.Commands;

/// <summary>Loads a grid file for a command, with its --set overrides, printing every problem (file:line:column: key: message) on failure.</summary>
public static class GridLoading
{
    /// <summary>The repeatable --set option of run, submit and validate.</summary>
    public static Option<string[]> CreateSetOption() => new("--set")
    {
        Description = "Override a top-level grid field without editing the file: --set key=value, repeatable; the value is YAML, read with the file's rules (--set seeds=3, --set c=[1e-4,1e-2], --set name=quick). The sweep is the grid with the overrides (its own id and hash).",
        Arity = ArgumentArity.ZeroOrMore,
    };

    public static Grid? TryLoad(string path, TextWriter error) => TryLoad(path, [], error);

    public static Grid? TryLoad(string path, IReadOnlyList<string> sets, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(sets);
        GridOverrides.Applied? applied = null;
        try
        {
            if (sets.Count == 0)
            {
                return GridFile.Load(path);
            }

            var overrides = sets.Select(GridOverrides.Parse).ToArray();
            applied = GridOverrides.Apply(GridFile.ReadText(path), overrides);
            return GridFile.Parse(applied.Text, path);
        }
        catch (ArgumentException e) when (applied is null && sets.Count > 0 && e is not ArgumentNullException)
        {
            error.WriteLine($"error: --set: {e.Message}");
            return null;
        }
        catch (GridValidationException e)
        {
            foreach (var problem in e.Errors)
            {
                error.WriteLine($"error: {Describe(problem, applied)}");
            }

            if (e.Errors.Count == 0)
            {
                error.WriteLine($"error: {e.Message}");
            }

            error.WriteLine($"{path}: {e.Errors.Count} problem(s); nothing was written. The grid format is described in docs/grid-format.md.");
            return null;
        }
    }

    /// <summary>A problem on an override's line names the override, not a line the file does not have.</summary>
    private static string Describe(GridError problem, GridOverrides.Applied? applied) =>
        applied?.At(problem.Line) is { } set ? $"--set {set.Key}={set.Value}: {problem.Key}: {problem.Message}" : problem.ToString();
}
