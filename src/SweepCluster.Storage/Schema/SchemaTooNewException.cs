namespace SweepCluster.Storage.Schema;

/// <summary>
/// The database was migrated by a newer version of SweepCluster than this one. Running against it could
/// write rows the newer schema no longer means, so the store refuses; upgrade this program instead.
/// </summary>
public sealed class SchemaTooNewException : Exception
{
    public SchemaTooNewException()
        : base("the store's schema is newer than this program knows")
    {
    }

    public SchemaTooNewException(string message)
        : base(message)
    {
    }

    public SchemaTooNewException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SchemaTooNewException(string store, int databaseVersion, int knownVersion)
        : base($"the store {store} has schema version {databaseVersion}, but this program knows versions up to {knownVersion}: it was written by a newer SweepCluster; upgrade this program to use it")
    {
        DatabaseVersion = databaseVersion;
        KnownVersion = knownVersion;
    }

    /// <summary>The version recorded in the database.</summary>
    public int DatabaseVersion { get; }

    /// <summary>The highest version this program has scripts for.</summary>
    public int KnownVersion { get; }
}
