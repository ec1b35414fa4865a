using System.Text.Json;
using SweepCluster.Deployment.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace SweepCluster.Deployment.Tests;

/// <summary>
/// The cluster can form from what the manifests give each pod: the seed list of the rendered configuration names
/// the coordinator StatefulSet's pods, in ordinal order, by their names under its headless Service, on the port
/// the containers, the Service and the configuration agree on; each coordinator advertises exactly its seed name
/// (the first seed recognises itself by it) and each worker its pod IP, none of them 0.0.0.0.
/// </summary>
public sealed class FormationTests
{
    private const string RemotingPortName = "akka-remote";

    [KubectlTheory]
    [MemberData(nameof(Targets.Everything), MemberType = typeof(Targets))]
    public void The_seeds_are_the_coordinator_pods_names_under_the_headless_service_in_ordinal_order(string target)
    {
        var rendered = Kubectl.Render(target);
        var config = Settings(rendered);
        var sts = rendered.Get("StatefulSet", "sweep-coordinator");
        string service = sts.Root.Scalar("spec", "serviceName") ?? string.Empty;
        int replicas = int.Parse(sts.Root.Scalar("spec", "replicas") ?? "1");
        int port = config.GetProperty("RemotingPort").GetInt32();

        var seeds = config.GetProperty("Seeds").GetString()!.Split(',', StringSplitOptions.TrimEntries);
        var expected = Enumerable.Range(0, replicas).Select(i => $"akka.tcp://sweep@{sts.Name}-{i}.{service}:{port}").ToArray();
        Assert.Equal(expected, seeds);
        Assert.True(replicas >= 2, "a standby coordinator is needed to hand the singleton over");

        // The headless Service that gives those names: same namespace as every sweep pod (the names are short and
        // resolve through the pod's own namespace), every pod address published before it is ready.
        var headless = rendered.Get("Service", service);
        Assert.Equal("None", headless.Root.Scalar("spec", "clusterIP"));
        Assert.Equal("true", headless.Root.Scalar("spec", "publishNotReadyAddresses"));
        var selector = headless.Root.StringMap("spec", "selector");
        Assert.NotEmpty(selector);
        Assert.All(selector, kv => Assert.Equal(kv.Value, sts.PodLabels.GetValueOrDefault(kv.Key)));
        var servicePort = Assert.Single(headless.Root.Items("spec", "ports").OfType<YamlMappingNode>());
        Assert.Equal(port.ToString(System.Globalization.CultureInfo.InvariantCulture), servicePort.Scalar("port"));
        Assert.Equal(RemotingPortName, servicePort.Scalar("targetPort"));
        Assert.Equal(RemotingPortName, servicePort.Scalar("name"));
        foreach (var w in rendered.Workloads.Where(w => w.Containers.All(c => c.IsSweep)))
        {
            Assert.Equal(headless.Namespace, w.Namespace);
        }
    }

    [KubectlTheory]
    [MemberData(nameof(Targets.Everything), MemberType = typeof(Targets))]
    public void Every_node_listens_on_the_seed_port_and_advertises_a_reachable_address(string target)
    {
        var rendered = Kubectl.Render(target);
        var config = Settings(rendered);
        string port = config.GetProperty("RemotingPort").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var sts = rendered.Get("StatefulSet", "sweep-coordinator");
        string service = sts.Root.Scalar("spec", "serviceName")!;
        var nodes = rendered.Containers.Where(c => c.IsSweep && !c.IsInit).ToList();
        Assert.NotEmpty(nodes);
        foreach (var c in nodes)
        {
            var remoting = c.Node.Items("ports").OfType<YamlMappingNode>().SingleOrDefault(p => p.Scalar("name") == RemotingPortName);
            Assert.True(remoting is not null, $"{c}: no container port named {RemotingPortName}");
            Assert.Equal(port, remoting.Scalar("containerPort"));

            // Seeds come from the configuration only, so every pod joins the same list.
            Assert.Null(c.Env.SingleOrDefault(e => e.Scalar("name") == "Sweep__Seeds"));
            Assert.Null(c.Env.SingleOrDefault(e => e.Scalar("name") == "Sweep__RemotingPort"));

            var advertised = c.Env.SingleOrDefault(e => e.Scalar("name") == "Sweep__PublicHostname");
            Assert.True(advertised is not null, $"{c}: advertises no address of its own (Sweep__PublicHostname)");
            if (c.Owner == sts)
            {
                // $(POD_NAME) expands to sweep-coordinator-<ordinal>, which makes it exactly that pod's seed.
                Assert.Equal($"$(POD_NAME).{service}", advertised.Scalar("value"));
                var podName = c.Env.TakeWhile(e => e != advertised).SingleOrDefault(e => e.Scalar("name") == "POD_NAME");
                Assert.True(podName is not null, $"{c}: POD_NAME must be defined before Sweep__PublicHostname for $(POD_NAME) to expand");
                Assert.Equal("metadata.name", podName.Scalar("valueFrom", "fieldRef", "fieldPath"));
            }
            else
            {
                Assert.Equal("worker", c.Args[0]);
                Assert.Equal("status.podIP", advertised.Scalar("valueFrom", "fieldRef", "fieldPath"));
            }
        }

        Assert.Equal("0.0.0.0", config.GetProperty("RemotingHost").GetString()); // bound everywhere, advertised by name or IP
        Assert.Equal(string.Empty, config.GetProperty("PublicHostname").GetString());
    }

    [KubectlTheory]
    [MemberData(nameof(Targets.Everything), MemberType = typeof(Targets))]
    public void Probes_and_grace_periods_fit_the_configured_timings(string target)
    {
        var rendered = Kubectl.Render(target);
        var config = Settings(rendered);
        double join = config.GetProperty("JoinTimeoutSeconds").GetDouble();
        double drain = config.GetProperty("DrainTimeoutSeconds").GetDouble();
        foreach (var c in rendered.Containers.Where(c => c.IsSweep && !c.IsInit))
        {
            // /healthz answers once the node has joined: the startup probe must outlast a join that eventually succeeds.
            double startup = Seconds(c.Node, "startupProbe", "periodSeconds") * Seconds(c.Node, "startupProbe", "failureThreshold");
            Assert.True(startup > join, $"{c}: the startup probe gives up after {startup} s, before a join may time out ({join} s)");

            double preStop = c.Node.Items("lifecycle", "preStop", "exec", "command").Select(n => n.Scalar()).ToList() is ["sleep", var s] ? double.Parse(s!, System.Globalization.CultureInfo.InvariantCulture) : -1;
            Assert.True(preStop >= 0, $"{c}: no preStop sleep");
            double grace = Seconds(c.Owner.PodSpec, "terminationGracePeriodSeconds");
            double needed = preStop + (c.Args[0] == "worker" ? drain : 0) + 20; // + leaving the cluster (CoordinatedShutdown)
            Assert.True(grace >= needed, $"{c}: terminationGracePeriodSeconds {grace} s < preStop {preStop} s + drain + leaving ({needed} s)");
        }
    }

    private static JsonElement Settings(RenderedManifests rendered)
    {
        var config = Assert.Single(rendered.OfKind("ConfigMap"), c => c.Name.StartsWith("sweep-config-", StringComparison.Ordinal));
        using var doc = JsonDocument.Parse(config.Root.Scalar("data", "cluster.json") ?? "{}");
        return doc.RootElement.GetProperty("Sweep").Clone();
    }

    private static double Seconds(YamlNode? node, params string[] path) =>
        double.Parse(node.Scalar(path) ?? throw new Xunit.Sdk.XunitException($"{string.Join('.', path)} is not set"), System.Globalization.CultureInfo.InvariantCulture);
}
