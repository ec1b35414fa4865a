using SweepCluster.Deployment.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace SweepCluster.Deployment.Tests;

/// <summary>
/// Every rendered object has a shape the Kubernetes API accepts for its kind (KubernetesSchema: the models of the
/// official client, generated from the API's OpenAPI document, read strictly), and the check itself can fail.
/// </summary>
public sealed class SchemaTests
{
    [KubectlTheory]
    [MemberData(nameof(Targets.Everything), MemberType = typeof(Targets))]
    public void Every_rendered_object_matches_the_api_schema_of_its_kind(string target)
    {
        var rendered = Kubectl.Render(target);
        Assert.NotEmpty(rendered.Objects);
        var problems = rendered.Objects.SelectMany(o => KubernetesSchema.Check(o.Root).Select(p => $"{o.Id}: {p}")).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Theory]
    [InlineData("spec:\n  replica: 2\n  selector: {matchLabels: {a: b}}\n  template: {metadata: {labels: {a: b}}, spec: {containers: [{name: c, image: i}]}}", "replica")]
    [InlineData("spec:\n  replicas: two\n  selector: {matchLabels: {a: b}}\n  template: {metadata: {labels: {a: b}}, spec: {containers: [{name: c, image: i}]}}", "replicas")]
    [InlineData("spec:\n  selector: {matchLabels: {a: b}}\n  template: {metadata: {labels: {a: b}}, spec: {containers: [{name: c, image: i, ports: [{containerPort: http}]}]}}", "containerPort")]
    [InlineData("spec:\n  selector: {matchLabels: {a: b}}\n  template: {metadata: {labels: {a: b}}, spec: {containers: [{name: c, image: i, resources: {limits: {cpu: [1]}}}]}}", "cpu")]
    [InlineData("spec:\n  selector: {matchLabels: {a: b}}\n  template: {metadata: {labels: {a: b}}, spec: {containers: {name: c, image: i}}}", "containers")]
    [InlineData("spec:\n  selector: {matchLabels: {a: b}}\n  template: {metadata: {labels: {a: b}}, spec: {containers: [{name: c, image: i, ports: [{name: http}]}]}}", "containerPort")]
    [InlineData("spec:\n  selector: {matchLabels: {a: b}}\n  template: {metadata: {labels: {a: b}}, spec: {automountServiceAccountToken: \"false\", containers: [{name: c, image: i}]}}", "automountServiceAccountToken")]
    public void The_check_rejects_what_the_api_would_reject(string spec, string culprit)
    {
        var problems = KubernetesSchema.Check(Parse("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\n" + spec));
        Assert.True(problems.Count > 0, $"accepted a Deployment with a bad {culprit}");
        Assert.Contains(culprit, string.Join("\n", problems), StringComparison.Ordinal);
    }

    [Fact]
    public void The_check_accepts_a_well_formed_object_and_rejects_an_unknown_kind()
    {
        const string Valid = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec:\n  replicas: 2\n  selector: {matchLabels: {a: b}}\n  template: {metadata: {labels: {a: b}}, spec: {containers: [{name: c, image: i, ports: [{name: http, containerPort: 8080}], resources: {limits: {cpu: \"2\", memory: 2Gi}}}]}}";
        Assert.Empty(KubernetesSchema.Check(Parse(Valid)));
        Assert.NotEmpty(KubernetesSchema.Check(Parse(Valid.Replace("apps/v1", "apps/v2", StringComparison.Ordinal))));
        Assert.NotEmpty(KubernetesSchema.Check(Parse(Valid.Replace("kind: Deployment", "kind: Deploymnet", StringComparison.Ordinal))));
    }

    private static YamlMappingNode Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }
}
