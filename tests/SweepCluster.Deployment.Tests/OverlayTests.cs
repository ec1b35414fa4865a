using System.Text.Json;
using SweepCluster.Deployment.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace SweepCluster.Deployment.Tests;

/// <summary>What each overlay deploys: the objects, their wiring, labels and namespace.</summary>
public sealed class OverlayTests
{
    private const string PartOf = "app.kubernetes.io/part-of";

    [Fact]
    public void Every_overlay_directory_is_under_test()
    {
        var dirs = Directory.GetDirectories(RepositoryRoot.Combine("k8s/overlays"))
            .Where(d => File.Exists(Path.Combine(d, "kustomization.yaml")))
            .Select(d => "k8s/overlays/" + Path.GetFileName(d))
            .Order(StringComparer.Ordinal);
        Assert.Equal(Targets.Overlays.Order(StringComparer.Ordinal), dirs);
    }

    [KubectlTheory]
    [MemberData(nameof(Targets.AllOverlays), MemberType = typeof(Targets))]
    public void Overlays_deploy_into_the_sweep_namespace_without_owning_it(string target)
    {
        var rendered = Kubectl.Render(target);
        Assert.Empty(rendered.OfKind("Namespace")); // deleting the manifests must not delete secrets and data
        Assert.All(rendered.Objects, o => Assert.Equal(Targets.Namespace, o.Namespace));
    }

    [KubectlFact]
    public void The_base_is_namespace_agnostic()
    {
        Assert.All(Kubectl.Render(Targets.Base).Objects, o => Assert.Null(o.Namespace));
    }

    [KubectlTheory]
    [MemberData(nameof(Targets.Everything), MemberType = typeof(Targets))]
    public void Every_object_and_pod_is_labelled_part_of_sweepcluster(string target)
    {
        foreach (var o in Kubectl.Render(target).Objects)
        {
            Assert.True(o.Labels.GetValueOrDefault(PartOf) == "sweepcluster", $"{o.Id}: no {PartOf}: sweepcluster label");
            if (o.PodTemplate is not null)
            {
                Assert.True(o.PodLabels.GetValueOrDefault(PartOf) == "sweepcluster", $"{o.Id}: pod template without {PartOf}: sweepcluster");
            }
        }
    }

    [KubectlTheory]
    [MemberData(nameof(Targets.Everything), MemberType = typeof(Targets))]
    public void Selectors_do_not_carry_the_common_label(string target)
    {
        // Selectors of Deployments and StatefulSets are immutable; a common label must never enter them.
        foreach (var o in Kubectl.Render(target).Objects.Where(o => o.Kind is "Deployment" or "StatefulSet" or "PodDisruptionBudget"))
        {
            Assert.False(o.Root.StringMap("spec", "selector", "matchLabels").ContainsKey(PartOf), $"{o.Id}: {PartOf} in its selector");
        }
    }

    [KubectlTheory]
    [MemberData(nameof(Targets.Everything), MemberType = typeof(Targets))]
    public void The_cluster_configuration_is_generated_from_cluster_config_and_mounted_where_SWEEP_CONFIG_points(string target)
    {
        var rendered = Kubectl.Render(target);
        string expected = File.ReadAllText(RepositoryRoot.Combine("cluster-config/cluster.json"));
        var config = Assert.Single(rendered.OfKind("ConfigMap"), c => c.Name.StartsWith("sweep-config-", StringComparison.Ordinal));
        string? json = config.Root.Scalar("data", "cluster.json");
        Assert.NotNull(json);
        Assert.Equal(expected.Trim(), json.Trim());
        using (var doc = JsonDocument.Parse(json))
        {
            Assert.Equal(JsonValueKind.Object, doc.RootElement.GetProperty("Sweep").ValueKind);
        }

        var nodes = rendered.Containers.Where(c => c.IsSweep && !c.IsInit).ToList();
        Assert.Contains(nodes, c => c.Args.Count > 0 && c.Args[0] == "worker");
        Assert.Contains(nodes, c => c.Args.Count > 0 && c.Args[0] == "coordinator");
        foreach (var c in nodes)
        {
            string? file = c.EnvValue("SWEEP_CONFIG");
            Assert.Equal("/etc/sweep/cluster.json", file);
            var volume = c.VolumeAt("/etc/sweep");
            Assert.True(volume is not null, $"{c}: nothing mounted at /etc/sweep");
            Assert.Equal(config.Name, volume.Scalar("configMap", "name"));
            Assert.Equal("json", c.EnvValue("Sweep__LogFormat"));
        }
    }

    [KubectlTheory]
    [MemberData(nameof(Targets.Everything), MemberType = typeof(Targets))]
    public void Every_referenced_ConfigMap_is_rendered_or_is_the_grids_one(string target)
    {
        var rendered = Kubectl.Render(target);
        var names = rendered.OfKind("ConfigMap").Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var w in rendered.Workloads)
        {
            foreach (var v in w.Volumes.Where(v => v.Has("configMap")))
            {
                string name = v.Scalar("configMap", "name") ?? string.Empty;
                Assert.True(names.Contains(name) || name == Targets.GridsConfigMap, $"{w.Id}: volume {v.Scalar("name")} references ConfigMap {name}, which is neither rendered nor {Targets.GridsConfigMap}");
            }
        }
    }

    [KubectlTheory]
    [MemberData(nameof(Targets.DeploymentOverlays), MemberType = typeof(Targets))]
    public void Workers_are_a_scalable_draining_Deployment(string target)
    {
        var rendered = Kubectl.Render(target);
        var deployment = rendered.Get("Deployment", "sweep-worker");
        Assert.Equal("2", deployment.Root.Scalar("spec", "replicas"));
        Assert.True(int.Parse(deployment.PodSpec.Scalar("terminationGracePeriodSeconds") ?? "30") >= 60, "workers need time to drain their units");
        var worker = Assert.Single(deployment.Containers);
        Assert.Equal("worker", worker.Args[0]);
        Assert.DoesNotContain("--exit-when-idle", worker.Args);
        Assert.Equal("1", worker.EnvValue("OPENBLAS_NUM_THREADS"));
        Assert.Equal(worker.Node.Scalar("resources", "limits", "cpu"), worker.EnvValue("Sweep__Slots"));
        Assert.DoesNotContain(rendered.OfKind("Job"), j => j.Name == "sweep-worker");
    }

    [KubectlTheory]
    [MemberData(nameof(Targets.DeploymentOverlays), MemberType = typeof(Targets))]
    public void A_disruption_budget_covers_the_workers(string target)
    {
        var rendered = Kubectl.Render(target);
        var deployment = rendered.Get("Deployment", "sweep-worker");
        var pdb = Assert.Single(rendered.OfKind("PodDisruptionBudget"), p => Yaml.SelectorMatches(p.Root.At("spec", "selector"), deployment.PodLabels));
        Assert.True(pdb.Root.Has("spec", "maxUnavailable") || pdb.Root.Has("spec", "minAvailable"));
        Assert.NotEqual("0", pdb.Root.Scalar("spec", "maxUnavailable")); // would block every drain
    }

    [KubectlFact]
    public void Job_workers_replace_the_Deployment_with_an_Indexed_Job()
    {
        var rendered = Kubectl.Render(Targets.JobWorkers);
        Assert.Null(rendered.Find("Deployment", "sweep-worker"));
        // A PDB cannot use maxUnavailable for Job pods and minAvailable would block drains; the Job
        // ignores disruptions instead (docs/kubernetes.md).
        Assert.Null(rendered.Find("PodDisruptionBudget", "sweep-worker"));
        var job = rendered.Get("Job", "sweep-worker");
        Assert.Equal("Indexed", job.Root.Scalar("spec", "completionMode"));
        Assert.True(int.Parse(job.Root.Scalar("spec", "parallelism") ?? "0") >= 1);
        Assert.Equal(job.Root.Scalar("spec", "parallelism"), job.Root.Scalar("spec", "completions"));
        Assert.Contains(job.Root.Items("spec", "podFailurePolicy", "rules").OfType<YamlMappingNode>(),
            r => r.Scalar("action") == "Ignore" && r.Items("onPodConditions").Any(c => c.Scalar("type") == "DisruptionTarget"));
        Assert.Equal("Never", job.PodSpec.Scalar("restartPolicy")); // required by podFailurePolicy
        var worker = Assert.Single(job.Containers, c => !c.IsInit);
        Assert.Equal("worker", worker.Args[0]);
        Assert.Contains("--exit-when-idle", worker.Args);
        Assert.Equal("1", worker.EnvValue("OPENBLAS_NUM_THREADS"));
        Assert.True(int.Parse(job.PodSpec.Scalar("terminationGracePeriodSeconds") ?? "30") >= 60);
        AssertSubmitsGridsFirst(job);

        // The component takes its image from the coordinator, so the base's images: entry applies.
        var coordinator = rendered.Get("StatefulSet", "sweep-coordinator");
        Assert.All(job.Containers, c => Assert.Equal(coordinator.Containers.First().Image, c.Image));
    }

    [KubectlTheory]
    [MemberData(nameof(Targets.Everything), MemberType = typeof(Targets))]
    public void Two_standing_coordinators_submit_the_grids_first_and_hand_over_one_at_a_time(string target)
    {
        var rendered = Kubectl.Render(target);
        Assert.DoesNotContain(rendered.OfKind("Job"), j => j.Name == "sweep-coordinator");
        var sts = rendered.Get("StatefulSet", "sweep-coordinator");
        Assert.Equal("2", sts.Root.Scalar("spec", "replicas"));
        Assert.Equal("Parallel", sts.Root.Scalar("spec", "podManagementPolicy"));
        Assert.Equal("RollingUpdate", sts.Root.Scalar("spec", "updateStrategy", "type"));
        Assert.Null(sts.Root.Scalar("spec", "updateStrategy", "rollingUpdate", "maxUnavailable")); // one pod at a time
        var coordinator = Assert.Single(sts.Containers, c => !c.IsInit);
        Assert.Equal("coordinator", coordinator.Args[0]);
        Assert.DoesNotContain("--until-done", coordinator.Args); // a standing server: exiting would restart it
        Assert.Equal("coordinator", sts.PodTemplate.Scalar("metadata", "annotations", "kubectl.kubernetes.io/default-container"));
        AssertSubmitsGridsFirst(sts);

        // A node drain never takes both: one coordinator may be unavailable at a time.
        var pdb = Assert.Single(rendered.OfKind("PodDisruptionBudget"), p => Yaml.SelectorMatches(p.Root.At("spec", "selector"), sts.PodLabels));
        Assert.Equal("1", pdb.Root.Scalar("spec", "maxUnavailable"));
        Assert.False(Yaml.SelectorMatches(pdb.Root.At("spec", "selector"), new Dictionary<string, string> { ["app.kubernetes.io/name"] = "sweepcluster", ["app.kubernetes.io/component"] = "worker" }));
    }

    [KubectlTheory]
    [MemberData(nameof(Targets.Everything), MemberType = typeof(Targets))]
    public void The_metrics_Service_selects_the_sweep_pods_on_8080(string target)
    {
        var rendered = Kubectl.Render(target);
        var service = rendered.Get("Service", "sweep-metrics");
        var port = Assert.Single(service.Root.Items("spec", "ports").OfType<YamlMappingNode>());
        Assert.Equal("8080", port.Scalar("port"));
        var selector = service.Root.StringMap("spec", "selector");
        foreach (var w in rendered.Workloads.Where(w => w.Containers.All(c => c.IsSweep)))
        {
            Assert.All(selector, kv => Assert.Equal(kv.Value, w.PodLabels.GetValueOrDefault(kv.Key)));
        }
    }

    [KubectlTheory]
    [MemberData(nameof(Targets.InClusterDatabase), MemberType = typeof(Targets))]
    public void The_in_cluster_database_is_non_root_persistent_and_probed_with_pg_isready(string target)
    {
        var rendered = Kubectl.Render(target);
        var sts = rendered.Get("StatefulSet", "sweep-postgres");
        var postgres = Assert.Single(sts.Containers);
        Assert.StartsWith("postgres:15", postgres.Image, StringComparison.Ordinal);
        Assert.NotEqual("0", postgres.Effective("runAsUser"));
        foreach (string probe in new[] { "startupProbe", "livenessProbe", "readinessProbe" })
        {
            var command = postgres.Node.Items(probe, "exec", "command").Select(n => n.Scalar()).ToList();
            Assert.True(command.FirstOrDefault() == "pg_isready", $"{probe} is not an exec pg_isready probe");
        }

        string? pgdata = postgres.EnvValue("PGDATA");
        Assert.NotNull(pgdata);
        var template = Assert.Single(sts.Root.Items("spec", "volumeClaimTemplates").OfType<YamlMappingNode>());
        string claim = template.Scalar("metadata", "name") ?? string.Empty;
        Assert.Contains(postgres.Mounts, m => m.Volume == claim && pgdata.StartsWith(m.MountPath + "/", StringComparison.Ordinal));
        Assert.Equal("Retain", sts.Root.Scalar("spec", "persistentVolumeClaimRetentionPolicy", "whenDeleted"));

        // The password is a file from the Secret, never a value.
        Assert.Equal("/var/run/secrets/postgres/password", postgres.EnvValue("POSTGRES_PASSWORD_FILE"));
        Assert.Null(postgres.EnvValue("POSTGRES_PASSWORD"));
        Assert.Equal(Targets.PostgresSecret, postgres.VolumeAt("/var/run/secrets/postgres").Scalar("secret", "secretName"));

        // The documented store URL's host and database: postgres://sweep:...@sweep-postgres:5432/sweep
        var service = rendered.Get("Service", "sweep-postgres");
        Assert.Contains(service.Root.Items("spec", "ports").OfType<YamlMappingNode>(), p => p.Scalar("port") == "5432");
        Assert.Equal("sweep", postgres.EnvValue("POSTGRES_DB"));
        Assert.Equal("sweep", postgres.EnvValue("POSTGRES_USER"));
    }

    private static void AssertSubmitsGridsFirst(K8sObject job)
    {
        var submit = Assert.Single(job.Containers, c => c.IsInit);
        Assert.Equal("submit", submit.Name);
        Assert.Equal(["/bin/sh", "/opt/sweep/scripts/submit-grids.sh"], submit.Command);
        var scripts = submit.VolumeAt("/opt/sweep/scripts");
        Assert.StartsWith("sweep-scripts-", scripts?.Scalar("configMap", "name") ?? string.Empty, StringComparison.Ordinal);
        var grids = submit.VolumeAt("/grids");
        Assert.Equal(Targets.GridsConfigMap, grids?.Scalar("configMap", "name"));
    }
}
