namespace SweepCluster.Sweeps.Datasets;

/// <summary>
/// A dataset file cannot be used: it is missing, unreadable, not in a supported format, or cut short.
/// The message always starts with the file name, so a command can print it as it is.
/// </summary>
public sealed class DatasetFileException : Exception
{
    public DatasetFileException()
    {
        FileName = string.Empty;
        Problem = string.Empty;
    }

    public DatasetFileException(string message)
        : base(message)
    {
        FileName = string.Empty;
        Problem = message;
    }

    public DatasetFileException(string message, Exception innerException)
        : base(message, innerException)
    {
        FileName = string.Empty;
        Problem = message;
    }

    public DatasetFileException(string fileName, string problem, Exception? innerException = null)
        : base($"{fileName}: {problem}", innerException)
    {
        FileName = fileName;
        Problem = problem;
    }

    /// <summary>The file as the caller named it.</summary>
    public string FileName { get; }

    /// <summary>What is wrong with it, without the file name.</summary>
    public string Problem { get; }
}
