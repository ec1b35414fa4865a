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
        Assert.Contains(Instructions, l => FromImage().Match(l) is { Success: true } m && Unpinned(m.Groups[1].Value) == "mcr.microsoft.com/dotnet/sdk:10.0");
        Assert.Contains(Instructions, l => l.StartsWith("RUN ", StringComparison.Ordinal)
            && l.Contains("dotnet publish src/SweepCluster.Cli/SweepCluster.Cli.csproj -c Release -o /app", StringComparison.Ordinal));
        Assert.Contains(Instructions, l => l.StartsWith("COPY ", StringComparison.Ordinal) && l.Contains("Directory.Packages.props", StringComparison.Ordinal));
    }

    [Fact]
    public void Runs_on_aspnet_with_openblas_as_user_10001()
    {
        var final = FinalStage;
        Assert.Equal("mcr.microsoft.com/dotnet/aspnet:10.0", Unpinned(FromImage().Match(final[0]).Groups[1].Value));
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

    [Fact]
    public void It_is_multi_stage_and_every_base_image_is_pinned_by_digest()
    {
        var images = Instructions.Select(l => FromImage().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value).ToList();
        Assert.True(images.Count >= 2, "one stage builds, another runs: the SDK stays out of the image");
        Assert.All(images, i => Assert.Matches(@"^[^@\s]+:[^@\s]+@sha256:[0-9a-f]{64}$", i));
    }

    [Fact]
    public void The_final_user_is_not_root()
    {
        // The last USER wins; the numeric uid lets the kubelet check runAsNonRoot without reading /etc/passwd.
        string user = FinalStage.Last(l => l.StartsWith("USER ", StringComparison.Ordinal))["USER ".Length..];
        string uid = user.Split(':')[0];
        Assert.True(int.TryParse(uid, out int u) && u != 0, $"USER {user} is not a numeric non-root uid");
        Assert.NotEqual("0", user.Split(':').ElementAtOrDefault(1) ?? "none");
    }

    [Fact]
    public void The_entry_point_is_the_published_apphost()
    {
        // ENTRYPOINT /app/sweep exists when the published project is an executable named sweep with an apphost.
        string entry = Assert.Single(FinalStage, l => l.StartsWith("ENTRYPOINT ", StringComparison.Ordinal));
        Assert.Equal("ENTRYPOINT [\"/app/sweep\"]", entry);
        var project = System.Xml.Linq.XDocument.Load(RepositoryRoot.Combine("src/SweepCluster.Cli/SweepCluster.Cli.csproj"));
        string? Property(string name) => project.Descendants(name).Select(e => e.Value.Trim()).LastOrDefault();
        Assert.Equal("sweep", Property("AssemblyName"));
        Assert.Equal("Exe", Property("OutputType"));
        Assert.NotEqual("false", Property("UseAppHost")?.ToLowerInvariant());
        Assert.Contains(Instructions, l => l.Contains("dotnet publish src/SweepCluster.Cli/SweepCluster.Cli.csproj", StringComparison.Ordinal) && l.Contains("-o /app", StringComparison.Ordinal));
    }

    private static string Unpinned(string image) => image.Split('@')[0];

    [GeneratedRegex(@"^FROM\s+(\S+)")]
    private static partial Regex FromImage();
}
