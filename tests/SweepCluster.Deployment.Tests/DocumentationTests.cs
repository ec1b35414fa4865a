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
    public void Every_render_command_turns_the_load_restrictor_off()
    {
        // The base reads ../../cluster-config/cluster.json; without the flag kustomize refuses it.
        var lines = Text.Value.Split('\n').Where(l => l.Contains("kubectl kustomize ", StringComparison.Ordinal) && l.Contains("k8s/", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(lines);
        Assert.All(lines, l => Assert.Contains("--load-restrictor LoadRestrictionsNone", l, StringComparison.Ordinal));
    }

    [Fact]
    public void The_secrets_are_created_by_hand_and_referenced_by_name()
    {
        Assert.Contains($"kubectl create secret generic {Targets.StoreSecret}", Text.Value, StringComparison.Ordinal);
        Assert.Contains($"kubectl create secret generic {Targets.PostgresSecret}", Text.Value, StringComparison.Ordinal);
        Assert.Contains($"kubectl create configmap {Targets.GridsConfigMap}", Text.Value, StringComparison.Ordinal);
    }
}
