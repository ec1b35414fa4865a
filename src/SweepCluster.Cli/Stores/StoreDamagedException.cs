namespace SweepCluster.Cli.Stores;

/// <summary>The store's data are damaged (a corrupt file, lost rows): reported with exit code <see cref="ExitCodes.StoreDamaged"/>.</summary>
public sealed class StoreDamagedException : Exception
{
    public StoreDamagedException()
    {
    }

    public StoreDamagedException(string message)
        : base(message)
    {
    }

    public StoreDamagedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
