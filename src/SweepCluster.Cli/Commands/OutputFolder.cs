using System.Globalization;

namespace SweepCluster.Cli.Commands;

/// <summary>
/// A folder the command will write its outputs to, tried before any work: a folder that cannot be written is a
/// one-line error at the start, not a failure after an hour of computing (or a retry loop at the end).
/// </summary>
public static class OutputFolder
{
    /// <summary>Creates <paramref name="path"/> if missing and writes and deletes a probe file in it; returns the full path.</summary>
    /// <param name="path">The folder.</param>
    /// <param name="option">The option it came from, for the message (--out).</param>
    /// <exception cref="CommandInputException">It cannot be created or written; the message says why and what to do.</exception>
    public static string EnsureWritable(string path, string option)
    {
        ArgumentNullException.ThrowIfNull(option);
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new CommandInputException($"{option}: the folder name is empty");
        }

        string full = Path.GetFullPath(path);
        try
        {
            Directory.CreateDirectory(full);
            string probe = Path.Combine(full, string.Create(CultureInfo.InvariantCulture, $".sweep-write-test-{Environment.ProcessId}"));
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
            return full;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            string why = e is UnauthorizedAccessException ? "permission denied" : e.Message.TrimEnd('.');
            throw new CommandInputException($"{option}: cannot write to {full} ({why}); give a folder you can write to");
        }
    }

    /// <summary><see cref="EnsureWritable"/> for the folder of an output file; nothing when <paramref name="file"/> is null.</summary>
    public static void EnsureWritableFor(string? file, string option)
    {
        if (file is not null)
        {
            EnsureWritable(Path.GetDirectoryName(Path.GetFullPath(file)) ?? ".", option);
        }
    }
}
