using System.Text.RegularExpressions;
using SweepCluster.Deployment.Tests.Support;

namespace SweepCluster.Deployment.Tests;

/// <summary>
/// The Dockerfile cannot be built here (no container engine); these read it and check the contract the
/// manifests rely on: entrypoint, publish command, OpenBLAS, the non-root user the pods run as.
/// </summary>
public sealed partial class DockerfileTests
{
    private static readonly Lazy<string> Text = new(() => File.ReadAllText(RepositoryRoot.Combine("Dockerfile")));

    private static IReadOnlyList<string> Instructions =>
        Text.Value.Replace("\\\n", " ", StringComparison.Ordinal).Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .ToList();

    /// <summary>The instructions of the last stage (the runtime image).</summary>
    private static IReadOnlyList<string> FinalStage =>
        Instructions.Skip(Instructions.ToList().FindLastIndex(l => l.StartsWith("FROM ", StringComparison.Ordinal))).ToList();

    [Fact]
    public void Builds_with_the_sdk_and_publishes_the_cli_into_app()
    {
        Assert.Contains(Instructions, l => FromImage().Match(l) is { Success: true } m && m.Groups[1].Value == "mcr.microsoft.com/dotnet/sdk:10.0");
        Assert.Contains(Instructions, l => l.StartsWith("RUN ", StringComparison.Ordinal)
            && l.Contains("dotnet publish src/SweepCluster.Cli/SweepCluster.Cli.csproj -c Release -o /app", StringComparison.Ordinal));
        Assert.Contains(Instructions, l => l.StartsWith("COPY ", StringComparison.Ordinal) && l.Contains("Directory.Packages.props", StringComparison.Ordinal));
    }

    [Fact]
    public void Runs_on_aspnet_with_openblas_as_user_10001()
    {
        var final = FinalStage;
        Assert.Equal("mcr.microsoft.com/dotnet/aspnet:10.0", FromImage().Match(final[0]).Groups[1].Value);
        Assert.Contains(final, l => l.Contains("apt-get install -y --no-install-recommends libopenblas0-pthread", StringComparison.Ordinal));
        Assert.Contains(final, l => l.Contains("rm -rf /var/lib/apt/lists/*", StringComparison.Ordinal));
        Assert.Contains(final, l => l.StartsWith("COPY --from=", StringComparison.Ordinal) && l.EndsWith("/app /app", StringComparison.Ordinal));
        string user = Assert.Single(final, l => l.StartsWith("USER ", StringComparison.Ordinal));
        Assert.Equal("USER 10001:10001", user); // numeric, so that runAsNonRoot can verify it
        Assert.Equal("ENTRYPOINT [\"/app/sweep\"]", Assert.Single(final, l => l.StartsWith("ENTRYPOINT ", StringComparison.Ordinal)));
        Assert.Contains("ENV OPENBLAS_NUM_THREADS=1", final);
    }

    [Fact]
    public void The_build_context_leaves_out_build_output_and_local_stores()
    {
        var lines = File.ReadAllLines(RepositoryRoot.Combine(".dockerignore")).Select(l => l.Trim()).ToList();
        foreach (string pattern in new[] { "**/bin/", "**/obj/", "artifacts/", "sweeps/", ".git/", "**/*.db" })
        {
            Assert.Contains(pattern, lines);
        }

        // Everything the Dockerfile copies must stay in the context.
        foreach (string copied in new[] { "src/", "global.json", "Directory.Build.props", "Directory.Packages.props", ".editorconfig" })
        {
            Assert.DoesNotContain(copied, lines);
            Assert.Contains(Instructions, l => l.StartsWith("COPY ", StringComparison.Ordinal) && l.Contains(copied, StringComparison.Ordinal));
        }
    }

    [GeneratedRegex(@"^FROM\s+(\S+)")]
    private static partial Regex FromImage();
}
