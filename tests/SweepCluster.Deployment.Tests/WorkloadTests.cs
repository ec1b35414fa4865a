using SweepCluster.Deployment.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace SweepCluster.Deployment.Tests;

/// <summary>
/// Every container of every rendered workload: probes, resources and security context.
/// Probe policy (docs/kubernetes.md, "Probes, shutdown and security"): containers of Deployments and StatefulSets
/// need liveness and readiness probes; containers of Jobs need at least a liveness probe (the Job workers run the
/// same long-running server as the Deployment's and get all three); init containers take none.
/// </summary>
public sealed class WorkloadTests
{
    [KubectlTheory]
    [MemberData(nameof(Targets.Everything), MemberType = typeof(Targets))]
    public void Renders_workloads(string target)
    {
        var rendered = Kubectl.Render(target);
        Assert.NotEmpty(rendered.Workloads);
        Assert.All(rendered.Workloads, w => Assert.NotEmpty(w.PodSpec.Items("containers")));
    }

    [KubectlTheory]
    [MemberData(nameof(Targets.Everything), MemberType = typeof(Targets))]
    public void Every_container_has_the_probes_its_workload_needs(string target)
    {
        var problems = new List<string>();
        foreach (var c in Kubectl.Render(target).Containers.Where(c => !c.IsInit))
        {
            bool liveness = c.Node.Has("livenessProbe");
            bool readiness = c.Node.Has("readinessProbe");
            if (!liveness)
            {
                problems.Add($"{c}: no livenessProbe");
            }

            if (c.Owner.Kind is "Deployment" or "StatefulSet" or "DaemonSet" && !readiness)
            {
                problems.Add($"{c}: no readinessProbe");
            }

            foreach (string probe in new[] { "startupProbe", "livenessProbe", "readinessProbe" })
            {
                if (c.Node.At(probe) is YamlMappingNode p)
                {
                    problems.AddRange(CheckProbe(c, probe, p));
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [KubectlTheory]
    [MemberData(nameof(Targets.Everything), MemberType = typeof(Targets))]
    public void Init_containers_have_no_probes(string target)
    {
        foreach (var c in Kubectl.Render(target).Containers.Where(c => c.IsInit))
        {
            Assert.False(c.Node.Has("livenessProbe") || c.Node.Has("readinessProbe") || c.Node.Has("startupProbe"), $"{c}: init containers cannot have probes");
        }
    }

    [KubectlTheory]
    [MemberData(nameof(Targets.Everything), MemberType = typeof(Targets))]
    public void The_sweep_probes_use_the_http_port_the_process_serves(string target)
    {
        foreach (var c in Kubectl.Render(target).Containers.Where(c => c.IsSweep && !c.IsInit))
        {
            var args = c.Args;
            int at = args.ToList().IndexOf("--http-port");
            Assert.True(at >= 0 && at + 1 < args.Count, $"{c}: no --http-port argument");
            string port = args[at + 1];
            Assert.Equal("8080", port);
            var named = c.Node.Items("ports").OfType<YamlMappingNode>().SingleOrDefault(p => p.Scalar("name") == "http");
            Assert.True(named is not null, $"{c}: no container port named http");
            Assert.Equal(port, named.Scalar("containerPort"));
            Assert.Equal("/healthz", c.Node.Scalar("livenessProbe", "httpGet", "path"));
            Assert.Equal("/healthz", c.Node.Scalar("startupProbe", "httpGet", "path"));
            Assert.Equal("/readyz", c.Node.Scalar("readinessProbe", "httpGet", "path"));
        }
    }

    [KubectlTheory]
    [MemberData(nameof(Targets.Everything), MemberType = typeof(Targets))]
    public void Every_container_has_cpu_memory_and_ephemeral_storage_requests_and_limits(string target)
    {
        var problems = new List<string>();
        foreach (var c in Kubectl.Render(target).Containers)
        {
            foreach (string kind in new[] { "requests", "limits" })
            {
                foreach (string resource in new[] { "cpu", "memory", "ephemeral-storage" })
                {
                    if (string.IsNullOrWhiteSpace(c.Node.Scalar("resources", kind, resource)))
                    {
                        problems.Add($"{c}: no resources.{kind}.{resource}");
                    }
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [KubectlTheory]
    [MemberData(nameof(Targets.Everything), MemberType = typeof(Targets))]
    public void Every_container_runs_non_root_without_privileges(string target)
    {
        var problems = new List<string>();
        foreach (var c in Kubectl.Render(target).Containers)
        {
            if (c.Effective("runAsNonRoot") != "true")
            {
                problems.Add($"{c}: runAsNonRoot is not true");
            }

            if (c.Effective("runAsUser") is not { } uid || !int.TryParse(uid, out int u) || u == 0)
            {
                problems.Add($"{c}: runAsUser must be set to a non-zero uid (is {c.Effective("runAsUser") ?? "unset"})");
            }

            if (c.Node.Scalar("securityContext", "allowPrivilegeEscalation") != "false")
            {
                problems.Add($"{c}: allowPrivilegeEscalation is not false");
            }

            if (c.Node.Scalar("securityContext", "privileged") == "true")
            {
                problems.Add($"{c}: privileged");
            }

            if (!c.Node.Items("securityContext", "capabilities", "drop").Any(d => d.Scalar() == "ALL"))
            {
                problems.Add($"{c}: capabilities.drop does not contain ALL");
            }

            if (c.Node.Items("securityContext", "capabilities", "add").Count > 0)
            {
                problems.Add($"{c}: adds capabilities");
            }

            if (c.Effective("seccompProfile", "type") != "RuntimeDefault")
            {
                problems.Add($"{c}: seccompProfile is not RuntimeDefault");
            }

            // Every sweep container must have a read-only root filesystem. PostgreSQL is allowed a
            // writable one (it needs a writable data folder; ours is a volume and it is read-only too).
            if (c.IsSweep && c.Node.Scalar("securityContext", "readOnlyRootFilesystem") != "true")
            {
                problems.Add($"{c}: readOnlyRootFilesystem is not true");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [KubectlTheory]
    [MemberData(nameof(Targets.Everything), MemberType = typeof(Targets))]
    public void Sweep_containers_run_as_the_image_user_and_write_only_to_tmp(string target)
    {
        foreach (var c in Kubectl.Render(target).Containers.Where(c => c.IsSweep))
        {
            Assert.Equal("10001", c.Effective("runAsUser"));
            Assert.Equal("/tmp", c.Node.Scalar("workingDir"));
            var tmp = c.VolumeAt("/tmp");
            Assert.True(tmp is not null && tmp.Has("emptyDir"), $"{c}: /tmp is not an emptyDir");
        }
    }

    [KubectlTheory]
    [MemberData(nameof(Targets.Everything), MemberType = typeof(Targets))]
    public void Pods_share_nothing_with_the_node_and_get_no_api_token(string target)
    {
        foreach (var w in Kubectl.Render(target).Workloads)
        {
            foreach (string field in new[] { "hostNetwork", "hostPID", "hostIPC" })
            {
                Assert.NotEqual("true", w.PodSpec.Scalar(field));
            }

            Assert.DoesNotContain(w.Volumes, v => v.Has("hostPath"));
            Assert.Equal("false", w.PodSpec.Scalar("automountServiceAccountToken"));

            // Nor a token by hand: no projected service account token, no Secret of type token.
            Assert.DoesNotContain(w.Volumes, v => v.Items("projected", "sources").Any(s => s.Has("serviceAccountToken")));
        }

        var rendered = Kubectl.Render(target);
        foreach (var account in rendered.OfKind("ServiceAccount"))
        {
            Assert.Equal("false", account.Root.Scalar("automountServiceAccountToken"));
        }

        // The sweep pods never talk to the Kubernetes API, so nothing grants them anything there.
        Assert.DoesNotContain(rendered.Objects, o => o.Kind is "Role" or "ClusterRole" or "RoleBinding" or "ClusterRoleBinding");
    }

    [KubectlTheory]
    [MemberData(nameof(Targets.Everything), MemberType = typeof(Targets))]
    public void Sweep_containers_use_one_pinned_image_and_postgres_is_15(string target)
    {
        var rendered = Kubectl.Render(target);
        var images = rendered.Containers.Where(c => c.IsSweep).Select(c => c.Image).Distinct().ToList();
        string image = Assert.Single(images);
        Assert.Contains("/", image, StringComparison.Ordinal); // the base's `images:` entry was applied
        int colon = image.LastIndexOf(':');
        Assert.True(colon > image.LastIndexOf('/'), $"{image}: no tag");
        Assert.NotEqual("latest", image[(colon + 1)..]);
        Assert.All(rendered.Containers.Where(c => !c.IsSweep), c => Assert.StartsWith("postgres:15", c.Image, StringComparison.Ordinal));
    }

    [KubectlTheory]
    [MemberData(nameof(Targets.Everything), MemberType = typeof(Targets))]
    public void Third_party_images_are_pinned_by_digest(string target)
    {
        // Our own image is named in one place (the base's `images:`); every other image is someone else's and is
        // pinned, so that a re-pushed tag cannot change what runs.
        foreach (var c in Kubectl.Render(target).Containers.Where(c => !c.IsSweep))
        {
            Assert.Matches(@"^[^@\s]+@sha256:[0-9a-f]{64}$", c.Image);
        }
    }

    private static IEnumerable<string> CheckProbe(ContainerRef c, string name, YamlMappingNode probe)
    {
        if (probe.At("httpGet") is { } http)
        {
            string? port = http.Scalar("port");
            bool declared = c.Node.Items("ports").OfType<YamlMappingNode>().Any(p => p.Scalar("name") == port || p.Scalar("containerPort") == port);
            if (!declared)
            {
                yield return $"{c}: {name} uses port {port}, which the container does not declare";
            }
        }
        else if (probe.At("exec") is { } exec)
        {
            if (exec.Items("command").Count == 0)
            {
                yield return $"{c}: {name} exec probe has no command";
            }
        }
        else if (!probe.Has("tcpSocket") && !probe.Has("grpc"))
        {
            yield return $"{c}: {name} has no handler";
        }
    }
}
