namespace SweepCluster.Storage.Schema;

/// <summary>One numbered schema script of a provider, as embedded in the assembly.</summary>
/// <param name="Version">The number the file name starts with; the schema version once applied.</param>
/// <param name="Name">The file name, recorded beside the version so a person can tell what ran.</param>
/// <param name="Sql">The script text.</param>
internal sealed record MigrationScript(int Version, string Name, string Sql);
