namespace SweepCluster.Model.Spectra;

/// <summary>An eigenvalue file that cannot be used, with the file and line at fault.</summary>
public sealed class SpectrumFormatException : Exception
{
    public SpectrumFormatException(string source, int? line, string problem)
        : base(line is null ? $"{source}: {problem}" : $"{source}:{line}: {problem}")
    {
        Source = source;
        Line = line;
        Problem = problem;
    }

    public SpectrumFormatException()
    {
        Problem = string.Empty;
    }

    public SpectrumFormatException(string message)
        : base(message)
    {
        Problem = message;
    }

    public SpectrumFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problem = message;
    }

    /// <summary>1-based line of the problem, when it has one.</summary>
    public int? Line { get; }

    public string Problem { get; }
}
