using SweepCluster.Deployment.Tests.Support;

namespace SweepCluster.Deployment.Tests;

/// <summary>docs/kubernetes.md covers every overlay, and its render commands are ones that work.</summary>
public sealed class DocumentationTests
{
    private static readonly Lazy<string> Text = new(() => File.ReadAllText(RepositoryRoot.Combine("docs/kubernetes.md")));

    [Fact]
    public void Every_overlay_is_documented()
    {
        foreach (string overlay in Targets.Overlays)
        {
            Assert.Contains(overlay, Text.Value, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Manifests_are_applied_with_plain_kubectl_and_no_load_restrictor_flag()
    {
        // cluster-config/ is a kustomize component of its own, so no file lies outside the kustomization that reads it.
        Assert.Contains("kubectl apply -k k8s/overlays/dev-postgres", Text.Value, StringComparison.Ordinal);
        foreach (string file in DocumentedFiles())
        {
            Assert.DoesNotContain("load-restrictor", File.ReadAllText(RepositoryRoot.Combine(file)), StringComparison.Ordinal);
        }
    }

    /// <summary>Every file that tells users how to render or apply the manifests.</summary>
    private static IEnumerable<string> DocumentedFiles() =>
        new[] { "docs/kubernetes.md", "README.md" }
            .Concat(Directory.GetFiles(RepositoryRoot.Combine("k8s"), "kustomization.yaml", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(RepositoryRoot.Path, f)));

    [Fact]
    public void The_secrets_are_created_by_hand_and_referenced_by_name()
    {
        Assert.Contains($"kubectl create secret generic {Targets.StoreSecret}", Text.Value, StringComparison.Ordinal);
        Assert.Contains($"kubectl create secret generic {Targets.PostgresSecret}", Text.Value, StringComparison.Ordinal);
        Assert.Contains($"kubectl create configmap {Targets.GridsConfigMap}", Text.Value, StringComparison.Ordinal);
    }
}
