namespace SweepCluster.Deployment.Tests.Support;

/// <summary>The repository's root: the first folder above the test binaries that holds SweepCluster.sln.</summary>
public static class RepositoryRoot
{
    private static readonly Lazy<string> Root = new(Find);

    public static string Path => Root.Value;

    public static string Combine(string relative) =>
        System.IO.Path.GetFullPath(System.IO.Path.Combine(Path, relative.Replace('/', System.IO.Path.DirectorySeparatorChar)));

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "SweepCluster.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No SweepCluster.sln in {AppContext.BaseDirectory} or any folder above it.");
    }
}
