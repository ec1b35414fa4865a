using SweepCluster.Sweeps.Files;

namespace SweepCluster.Sweeps.Grids;

/// <summary>
/// The entry point for grid files (docs/grid-format.md): reads, parses and validates one, reporting every
/// problem with its line and column.
/// </summary>
public static class GridFile
{
    /// <summary>Loads a grid file; spectrum files are looked up relative to it.</summary>
    /// <exception cref="GridValidationException">The file cannot be read or is not a valid grid; every problem is listed.</exception>
    public static Grid Load(string path) => Parse(ReadText(path), path);

    /// <summary>A grid file's text, for a caller that changes it before <see cref="Parse"/> (see <see cref="GridOverrides"/>).</summary>
    /// <exception cref="GridValidationException">The file cannot be read.</exception>
    public static string ReadText(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (RegularFile.WhatElse(path) is { } what)
        {
            throw Unreadable(path, $"the grid file is {what}, not a regular file");
        }

        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (FileNotFoundException)
        {
            throw Unreadable(path, "the grid file does not exist");
        }
        catch (DirectoryNotFoundException)
        {
            throw Unreadable(path, "the grid file does not exist (its folder is missing)");
        }
        catch (UnauthorizedAccessException)
        {
            throw Unreadable(path, "the grid file cannot be read (permission denied, or it is a folder)");
        }
        catch (IOException e)
        {
            throw Unreadable(path, $"the grid file cannot be read: {e.Message}");
        }

        return text;
    }

    /// <summary>Parses a grid file's text; <paramref name="path"/> names it in errors, gives the default name and locates spectrum files.</summary>
    /// <exception cref="GridValidationException">The text is not a valid grid; every problem is listed.</exception>
    public static Grid Parse(string text, string path)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return GridReader.Read(text, path);
    }

    private static GridValidationException Unreadable(string path, string message) =>
        new([new GridError(path, 1, 1, "file", message)]);
}
