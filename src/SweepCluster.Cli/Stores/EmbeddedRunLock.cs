namespace SweepCluster.Cli.Stores;

/// <summary>
/// One `sweep run` per SQLite store at a time. Two would each start a coordinator of their own on one journal (the
/// same persistence id), and their events would interleave. The lock is an exclusive advisory lock on a file beside
/// the store, which the operating system releases when the process ends in any way, SIGKILL included, so a
/// killed run never blocks the next one. The file stays: deleting it on exit would let two later runs lock two
/// different files of the same name.
/// </summary>
public sealed class EmbeddedRunLock : IDisposable
{
    private readonly FileStream _file;

    private EmbeddedRunLock(FileStream file, string path)
    {
        _file = file;
        Path = path;
    }

    /// <summary>The lock file.</summary>
    public string Path { get; }

    /// <summary>The lock file of a store file.</summary>
    public static string PathFor(string storeFile) => System.IO.Path.GetFullPath(storeFile) + ".lock";

    /// <summary>Takes the lock of <paramref name="storeFile"/>, or returns null when another process holds it.</summary>
    public static EmbeddedRunLock? TryTake(string storeFile)
    {
        string path = PathFor(storeFile);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        try
        {
            // FileShare.None is an exclusive flock on Unix and a sharing lock on Windows: either way a second opener fails.
            var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            return new EmbeddedRunLock(file, path);
        }
        catch (IOException) when (File.Exists(path))
        {
            return null;
        }
    }

    public void Dispose() => _file.Dispose();
}
