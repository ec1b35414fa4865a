using YamlDotNet.RepresentationModel;

namespace SweepCluster.Deployment.Tests.Support;

/// <summary>The objects of one `kubectl kustomize` output (a multi-document YAML stream).</summary>
public sealed class RenderedManifests
{
    private RenderedManifests(string directory, IReadOnlyList<K8sObject> objects)
    {
        Directory = directory;
        Objects = objects;
    }

    /// <summary>The kustomize directory, relative to the repository root.</summary>
    public string Directory { get; }

    public IReadOnlyList<K8sObject> Objects { get; }

    /// <summary>Objects with a pod template: Deployments, StatefulSets, Jobs, DaemonSets, CronJobs.</summary>
    public IEnumerable<K8sObject> Workloads => Objects.Where(o => o.PodSpec is not null);

    /// <summary>Every container and init container of every workload.</summary>
    public IEnumerable<ContainerRef> Containers => Workloads.SelectMany(w => w.Containers);

    public static RenderedManifests Parse(string directory, string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var objects = stream.Documents
            .Select(d => d.RootNode)
            .OfType<YamlMappingNode>()
            .Select(n => new K8sObject(n))
            .ToList();
        return new RenderedManifests(directory, objects);
    }

    public IEnumerable<K8sObject> OfKind(string kind) => Objects.Where(o => o.Kind == kind);

    public K8sObject? Find(string kind, string name) => Objects.SingleOrDefault(o => o.Kind == kind && o.Name == name);

    public K8sObject Get(string kind, string name) =>
        Find(kind, name) ?? throw new InvalidOperationException($"{Directory}: no {kind}/{name} in the rendered objects ({string.Join(", ", Objects.Select(o => o.Id))})");

    public override string ToString() => Directory;
}

/// <summary>One Kubernetes object of a render.</summary>
public sealed class K8sObject
{
    public K8sObject(YamlMappingNode root)
    {
        Root = root;
        Kind = root.Scalar("kind") ?? string.Empty;
        Name = root.Scalar("metadata", "name") ?? string.Empty;
        Namespace = root.Scalar("metadata", "namespace");
        Labels = root.StringMap("metadata", "labels");
        PodTemplate = (Kind == "CronJob" ? root.At("spec", "jobTemplate", "spec", "template") : root.At("spec", "template")) as YamlMappingNode;
        if (Kind is "Deployment" or "StatefulSet" or "Job" or "DaemonSet" or "ReplicaSet" or "CronJob")
        {
            PodSpec = PodTemplate.At("spec") as YamlMappingNode;
        }

        PodLabels = PodTemplate.StringMap("metadata", "labels");
    }

    public YamlMappingNode Root { get; }

    public string Kind { get; }

    public string Name { get; }

    public string? Namespace { get; }

    public string Id => $"{Kind}/{Name}";

    public IReadOnlyDictionary<string, string> Labels { get; }

    public YamlMappingNode? PodTemplate { get; }

    /// <summary>The pod spec of a workload; null for other kinds.</summary>
    public YamlMappingNode? PodSpec { get; }

    public IReadOnlyDictionary<string, string> PodLabels { get; }

    public IEnumerable<ContainerRef> Containers =>
        PodSpec.Items("initContainers").OfType<YamlMappingNode>().Select(c => new ContainerRef(this, c, IsInit: true))
            .Concat(PodSpec.Items("containers").OfType<YamlMappingNode>().Select(c => new ContainerRef(this, c, IsInit: false)));

    public IEnumerable<YamlMappingNode> Volumes => PodSpec.Items("volumes").OfType<YamlMappingNode>();

    public YamlMappingNode? Volume(string name) => Volumes.SingleOrDefault(v => v.Scalar("name") == name);

    public override string ToString() => Id;
}

/// <summary>A container (or init container) of a workload.</summary>
public sealed record ContainerRef(K8sObject Owner, YamlMappingNode Node, bool IsInit)
{
    public string Name => Node.Scalar("name") ?? string.Empty;

    public string Image => Node.Scalar("image") ?? string.Empty;

    public IReadOnlyList<string> Args => Node.Items("args").Select(a => a.Scalar() ?? string.Empty).ToList();

    public IReadOnlyList<string> Command => Node.Items("command").Select(a => a.Scalar() ?? string.Empty).ToList();

    public IEnumerable<YamlMappingNode> Env => Node.Items("env").OfType<YamlMappingNode>();

    public string? EnvValue(string name) => Env.SingleOrDefault(e => e.Scalar("name") == name)?.Scalar("value");

    public IEnumerable<(string Volume, string MountPath)> Mounts =>
        Node.Items("volumeMounts").OfType<YamlMappingNode>().Select(m => (m.Scalar("name") ?? string.Empty, m.Scalar("mountPath") ?? string.Empty));

    /// <summary>The volume mounted at exactly this path, or null.</summary>
    public YamlMappingNode? VolumeAt(string mountPath)
    {
        var mount = Mounts.Where(m => m.MountPath.TrimEnd('/') == mountPath.TrimEnd('/')).Select(m => m.Volume).FirstOrDefault();
        return mount is null ? null : Owner.Volume(mount);
    }

    /// <summary>A securityContext setting of the container, else of its pod (for the fields both have).</summary>
    public string? Effective(params string[] path) =>
        Node.Scalar(["securityContext", .. path]) ?? Owner.PodSpec.Scalar(["securityContext", .. path]);

    /// <summary>The containers of the product image (every container but the database's).</summary>
    public bool IsSweep => !Image.StartsWith("postgres", StringComparison.Ordinal);

    public override string ToString() => $"{Owner.Id} {(IsInit ? "init container" : "container")} {Name}";
}
