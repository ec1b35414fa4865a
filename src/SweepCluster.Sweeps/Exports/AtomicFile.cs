using System.Text;

namespace SweepCluster.Sweeps.Exports;

/// <summary>
/// Replaces a file in one step: the content goes to a temporary file in the same folder (so the move is
/// a rename on one file system), is flushed to disk, then moved over the target. A reader never sees a
/// half-written export, and a crash leaves the old file in place.
/// </summary>
internal static class AtomicFile
{
    /// <summary>UTF-8 without a byte order mark: what CSV and JSON readers expect.</summary>
    public static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    public static void Write(string path, Action<Stream> write)
    {
        string full = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(full) ?? throw new ArgumentException($"'{path}' has no folder", nameof(path));
        string temp = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            // Only left over when writing or moving failed.
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    public static void WriteText(string path, Action<TextWriter> write) => Write(path, stream =>
    {
        using var writer = new StreamWriter(stream, Utf8, bufferSize: 1 << 16, leaveOpen: true) { NewLine = "\n" };
        write(writer);
    });
}
