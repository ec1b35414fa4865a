using System.Net;
using SweepCluster.Deployment.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace SweepCluster.Deployment.Tests;

/// <summary>
/// Sweep pods (workers, coordinators) may open connections only to PostgreSQL (TCP 5432), DNS (53) and, for
/// Akka remoting, the other sweep pods (the akka-remote port); they take them only on the akka-remote port from
/// sweep pods and on the http port (8080, /metrics) from Prometheus' namespace; the in-cluster database only takes
/// 5432 from sweep pods and opens none.
/// </summary>
public sealed class NetworkPolicyTests
{
    private const string Remoting = "TCP/akka-remote";
    private const string Metrics = "TCP/http";

    /// <summary>The namespace the base lets scrape /metrics (k8s/base/networkpolicy-prometheus.yaml).</summary>
    private const string PrometheusNamespace = "monitoring";
    private static readonly HashSet<string> AllowedSweepEgress = new(StringComparer.Ordinal) { "TCP/5432", "UDP/53", "TCP/53", Remoting };

    [KubectlTheory]
    [MemberData(nameof(Targets.Everything), MemberType = typeof(Targets))]
    public void Every_pod_is_selected_by_a_policy_restricting_ingress_and_egress(string target)
    {
        var rendered = Kubectl.Render(target);
        foreach (var w in rendered.Workloads)
        {
            var policies = Selecting(rendered, w).ToList();
            Assert.True(policies.Count > 0, $"{w.Id}: no NetworkPolicy selects its pods");
            Assert.Contains(policies, p => PolicyTypes(p).Contains("Egress"));
            Assert.Contains(policies, p => PolicyTypes(p).Contains("Ingress"));
        }
    }

    [KubectlTheory]
    [MemberData(nameof(Targets.Everything), MemberType = typeof(Targets))]
    public void Sweep_pods_egress_only_to_postgresql_and_dns(string target)
    {
        var rendered = Kubectl.Render(target);
        foreach (var w in rendered.Workloads.Where(w => w.Containers.All(c => c.IsSweep)))
        {
            var rules = Selecting(rendered, w).SelectMany(p => p.Root.Items("spec", "egress")).OfType<YamlMappingNode>().ToList();
            Assert.NotEmpty(rules);
            foreach (var rule in rules)
            {
                var ports = Ports(rule).ToList();
                Assert.True(ports.Count > 0, $"{w.Id}: an egress rule without ports allows every port");
                Assert.All(ports, p => Assert.Contains(p, AllowedSweepEgress));
                if (ports.Contains("TCP/5432"))
                {
                    Assert.True(rule.Items("to").Count > 0, $"{w.Id}: the PostgreSQL egress rule allows every destination");
                }

                if (ports.Contains(Remoting))
                {
                    Assert.All(rule.Items("to").OfType<YamlMappingNode>(), t => Assert.True(SelectsSweepPods(t), $"{w.Id}: remoting egress to something other than sweep pods"));
                    Assert.True(rule.Items("to").Count > 0, $"{w.Id}: the remoting egress rule allows every destination");
                }
            }

            Assert.Contains(rules, r => Ports(r).Contains("TCP/5432"));
            Assert.Contains(rules, r => Ports(r).Contains("UDP/53") && Ports(r).Contains("TCP/53"));
        }
    }

    [KubectlTheory]
    [MemberData(nameof(Targets.Everything), MemberType = typeof(Targets))]
    public void Sweep_pods_take_remoting_from_sweep_pods_and_metrics_from_the_prometheus_namespace_only(string target)
    {
        var rendered = Kubectl.Render(target);
        foreach (var w in rendered.Workloads.Where(w => w.Containers.All(c => c.IsSweep)))
        {
            var rules = Selecting(rendered, w).SelectMany(p => p.Root.Items("spec", "ingress")).OfType<YamlMappingNode>().ToList();
            Assert.Contains(rules, r => Ports(r).SequenceEqual([Remoting]));
            Assert.Contains(rules, r => Ports(r).SequenceEqual([Metrics]));
            foreach (var rule in rules)
            {
                var from = rule.Items("from").OfType<YamlMappingNode>().ToList();
                Assert.True(from.Count > 0, $"{w.Id}: an ingress rule without `from` admits every source");
                if (Ports(rule).SequenceEqual([Remoting]))
                {
                    Assert.All(from, f => Assert.True(SelectsSweepPods(f), $"{w.Id}: remoting ingress from something other than sweep pods"));
                    continue;
                }

                Assert.Equal([Metrics], Ports(rule));
                var peer = Assert.Single(from);
                Assert.False(peer.Has("ipBlock") || peer.Has("podSelector"), $"{w.Id}: metrics ingress must come from Prometheus' namespace, selected by name");
                Assert.Equal(PrometheusNamespace, peer.Scalar("namespaceSelector", "matchLabels", "kubernetes.io/metadata.name"));
            }

            // Named ports resolve to what every sweep container declares, and to the number the config and the seeds use.
            foreach (var c in w.Containers.Where(c => !c.IsInit))
            {
                Assert.Equal("4053", c.Node.Items("ports").OfType<YamlMappingNode>().Single(p => p.Scalar("name") == "akka-remote").Scalar("containerPort"));
                Assert.Equal("8080", c.Node.Items("ports").OfType<YamlMappingNode>().Single(p => p.Scalar("name") == "http").Scalar("containerPort"));
            }
        }
    }

    [KubectlTheory]
    [MemberData(nameof(Targets.Everything), MemberType = typeof(Targets))]
    public void Prometheus_namespace_is_named_in_one_place(string target)
    {
        var selectors = Kubectl.Render(target).OfKind("NetworkPolicy")
            .SelectMany(p => p.Root.AllScalars().Where(s => s.Path.Contains("namespaceSelector", StringComparison.Ordinal)).Select(s => (p.Name, s.Path)))
            .ToList();
        var single = Assert.Single(selectors);
        Assert.Equal("sweep-metrics-scrape", single.Name);
    }

    [KubectlTheory]
    [MemberData(nameof(Targets.InClusterDatabase), MemberType = typeof(Targets))]
    public void Workers_reach_the_in_cluster_database_and_only_they_do(string target)
    {
        var rendered = Kubectl.Render(target);
        var postgres = rendered.Get("StatefulSet", "sweep-postgres");
        var service = rendered.Get("Service", "sweep-postgres");
        var serviceSelector = service.Root.StringMap("spec", "selector");
        Assert.NotEmpty(serviceSelector);
        Assert.All(serviceSelector, kv => Assert.Equal(kv.Value, postgres.PodLabels.GetValueOrDefault(kv.Key)));

        foreach (var w in rendered.Workloads.Where(w => w.Containers.All(c => c.IsSweep)))
        {
            var dbRules = Selecting(rendered, w).SelectMany(p => p.Root.Items("spec", "egress")).OfType<YamlMappingNode>()
                .Where(r => Ports(r).Contains("TCP/5432")).ToList();
            Assert.Contains(dbRules, r => r.Items("to").OfType<YamlMappingNode>().Any(t =>
                !t.Has("namespaceSelector") && !t.Has("ipBlock") && t.Has("podSelector") && Yaml.SelectorMatches(t.At("podSelector"), postgres.PodLabels)));
        }

        var dbPolicies = Selecting(rendered, postgres).ToList();
        Assert.NotEmpty(dbPolicies);
        Assert.All(dbPolicies, p =>
        {
            Assert.Contains("Egress", PolicyTypes(p));
            Assert.Empty(p.Root.Items("spec", "egress"));
        });
        var ingress = dbPolicies.SelectMany(p => p.Root.Items("spec", "ingress")).OfType<YamlMappingNode>().ToList();
        Assert.NotEmpty(ingress);
        var worker = rendered.Workloads.First(w => w.PodLabels.GetValueOrDefault("app.kubernetes.io/component") == "worker");
        foreach (var rule in ingress)
        {
            Assert.Equal(["TCP/5432"], Ports(rule));
            var from = rule.Items("from").OfType<YamlMappingNode>().ToList();
            Assert.NotEmpty(from);
            Assert.All(from, f => Assert.True(f.Has("podSelector") && !f.Has("namespaceSelector") && !f.Has("ipBlock")));
            Assert.Contains(from, f => Yaml.SelectorMatches(f.At("podSelector"), worker.PodLabels));
        }
    }

    [KubectlFact]
    public void External_postgres_egress_is_an_ip_range_on_5432()
    {
        var rendered = Kubectl.Render(Targets.ExternalPostgres);
        Assert.Null(rendered.Find("StatefulSet", "sweep-postgres"));
        var policy = rendered.Get("NetworkPolicy", "sweep-nodes");
        var db = Assert.Single(policy.Root.Items("spec", "egress").OfType<YamlMappingNode>(), r => Ports(r).Contains("TCP/5432"));
        var to = Assert.Single(db.Items("to").OfType<YamlMappingNode>());
        Assert.False(to.Has("podSelector") || to.Has("namespaceSelector"), "the external database rule must be an ipBlock only");
        string cidr = to.Scalar("ipBlock", "cidr") ?? string.Empty;
        string[] parts = cidr.Split('/');
        Assert.True(parts.Length == 2 && IPAddress.TryParse(parts[0], out _) && int.TryParse(parts[1], out int prefix) && prefix > 0,
            $"ipBlock {cidr} is not a CIDR narrower than everything");
    }

    private static IEnumerable<K8sObject> Selecting(RenderedManifests rendered, K8sObject workload) =>
        rendered.OfKind("NetworkPolicy").Where(p => Yaml.SelectorMatches(p.Root.At("spec", "podSelector"), workload.PodLabels));

    private static List<string> PolicyTypes(K8sObject policy) =>
        policy.Root.Items("spec", "policyTypes").Select(t => t.Scalar() ?? string.Empty).ToList();

    private static bool SelectsSweepPods(YamlMappingNode peer) =>
        !peer.Has("namespaceSelector") && !peer.Has("ipBlock")
        && peer.Scalar("podSelector", "matchLabels", "app.kubernetes.io/name") == "sweepcluster";

    private static List<string> Ports(YamlMappingNode rule) =>
        rule.Items("ports").OfType<YamlMappingNode>().Select(p => $"{p.Scalar("protocol") ?? "TCP"}/{p.Scalar("port")}").ToList();
}
