namespace SweepCluster.Cli.Commands;

/// <summary>The machine cannot do what was asked (a native library is missing, say): one line and exit code 1.</summary>
public sealed class EnvironmentFailureException : Exception
{
    public EnvironmentFailureException()
    {
    }

    public EnvironmentFailureException(string message)
        : base(message)
    {
    }

    public EnvironmentFailureException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
