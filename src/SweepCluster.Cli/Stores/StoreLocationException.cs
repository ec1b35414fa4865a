namespace SweepCluster.Cli.Stores;

/// <summary>The store could not be located or opened; the message never contains a password.</summary>
public sealed class StoreLocationException : Exception
{
    public StoreLocationException()
    {
    }

    public StoreLocationException(string message)
        : base(message)
    {
    }

    public StoreLocationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
