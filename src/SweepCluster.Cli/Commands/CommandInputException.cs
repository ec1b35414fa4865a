namespace SweepCluster.Cli.Commands;

/// <summary>The user's input cannot be used: reported as one line and exit code 2.</summary>
public sealed class CommandInputException : Exception
{
    public CommandInputException()
    {
    }

    public CommandInputException(string message)
        : base(message)
    {
    }

    public CommandInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
