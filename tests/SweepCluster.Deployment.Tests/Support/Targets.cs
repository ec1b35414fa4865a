namespace SweepCluster.Deployment.Tests.Support;

/// <summary>The kustomize directories under test and what each should contain.</summary>
public static class Targets
{
    public const string Base = "k8s/base";
    public const string DevPostgres = "k8s/overlays/dev-postgres";
    public const string ExternalPostgres = "k8s/overlays/external-postgres";
    public const string JobWorkers = "k8s/overlays/job-workers";

    /// <summary>The namespace every overlay deploys into (the docs' commands assume it).</summary>
    public const string Namespace = "sweep";

    /// <summary>Objects the user creates by hand (docs/kubernetes.md); manifests reference them by name only.</summary>
    public const string StoreSecret = "sweep-store";
    public const string PostgresSecret = "sweep-postgres";
    public const string GridsConfigMap = "sweep-grids";

    public const string StoreFile = "/var/run/secrets/sweep/store-url";

    public static readonly IReadOnlyList<string> Overlays = [DevPostgres, ExternalPostgres, JobWorkers];

    public static TheoryData<string> AllOverlays => [.. Overlays];

    /// <summary>The overlays and the base (which renders on its own, without namespace or database).</summary>
    public static TheoryData<string> Everything => [Base, .. Overlays];

    /// <summary>Overlays whose workers are the Deployment.</summary>
    public static TheoryData<string> DeploymentOverlays => [DevPostgres, ExternalPostgres];

    /// <summary>Overlays with the in-cluster database.</summary>
    public static TheoryData<string> InClusterDatabase => [DevPostgres, JobWorkers];

    public static bool HasInClusterDatabase(string target) => target is DevPostgres or JobWorkers;
}
