using System.Text.RegularExpressions;
using SweepCluster.Deployment.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace SweepCluster.Deployment.Tests;

/// <summary>
/// No credential is ever part of the manifests: the store URL and the database password exist only in
/// Secrets created by hand (docs/kubernetes.md) and reach the pods as mounted files.
/// </summary>
public sealed partial class SecretTests
{
    [KubectlTheory]
    [MemberData(nameof(Targets.Everything), MemberType = typeof(Targets))]
    public void No_Secret_object_is_rendered(string target)
    {
        var secrets = Kubectl.Render(target).OfKind("Secret").Select(s => s.Name).ToList();
        Assert.True(secrets.Count == 0, $"{target} renders Secrets ({string.Join(", ", secrets)}): create them by hand instead (docs/kubernetes.md)");
    }

    [KubectlTheory]
    [MemberData(nameof(Targets.Everything), MemberType = typeof(Targets))]
    public void No_value_looks_like_a_literal_password(string target)
    {
        var problems = new List<string>();
        foreach (var o in Kubectl.Render(target).Objects)
        {
            foreach (var (path, value) in o.Root.AllScalars())
            {
                if (UrlWithPassword().IsMatch(value))
                {
                    problems.Add($"{o.Id} {path}: a URL with user:password@");
                }

                if (PasswordAssignment().IsMatch(value))
                {
                    problems.Add($"{o.Id} {path}: a password=... assignment");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [KubectlTheory]
    [MemberData(nameof(Targets.Everything), MemberType = typeof(Targets))]
    public void Credential_environment_variables_come_from_secrets(string target)
    {
        var problems = new List<string>();
        foreach (var c in Kubectl.Render(target).Containers)
        {
            foreach (var env in c.Env)
            {
                string name = env.Scalar("name") ?? string.Empty;
                if (!CredentialName().IsMatch(name))
                {
                    continue;
                }

                bool fromSecret = env.Has("valueFrom", "secretKeyRef");
                bool fileInSecretVolume = name.EndsWith("_FILE", StringComparison.Ordinal)
                    && env.Scalar("value") is { } path
                    && c.VolumeAt(Path.GetDirectoryName(path)!.Replace('\\', '/')) is { } volume
                    && volume.Has("secret");
                if (!fromSecret && !fileInSecretVolume)
                {
                    problems.Add($"{c}: env {name} is neither a secretKeyRef nor a *_FILE path in a Secret volume");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [KubectlTheory]
    [MemberData(nameof(Targets.Everything), MemberType = typeof(Targets))]
    public void The_store_url_comes_only_from_the_store_secret_file(string target)
    {
        var sweep = Kubectl.Render(target).Containers.Where(c => c.IsSweep).ToList();
        Assert.NotEmpty(sweep);
        foreach (var c in sweep)
        {
            var args = c.Command.Concat(c.Args).ToList();
            Assert.DoesNotContain(args, a => a == "--store" || a.StartsWith("--store=", StringComparison.Ordinal));
            Assert.DoesNotContain(c.Env, e => e.Scalar("name") == "SWEEP_STORE" && !e.Has("valueFrom", "secretKeyRef"));

            // The main containers name the file on their command line; the submitting init container's
            // script uses the same path by default (k8s/base/submit-grids.sh).
            if (!c.IsInit)
            {
                int at = args.IndexOf("--store-file");
                Assert.True(at >= 0 && at + 1 < args.Count, $"{c}: no --store-file");
                Assert.Equal(Targets.StoreFile, args[at + 1]);
            }

            var volume = c.VolumeAt(Path.GetDirectoryName(Targets.StoreFile)!.Replace('\\', '/'));
            Assert.True(volume is not null, $"{c}: nothing mounted at {Path.GetDirectoryName(Targets.StoreFile)}");
            Assert.Equal(Targets.StoreSecret, volume.Scalar("secret", "secretName"));
            var item = Assert.Single(volume.Items("secret", "items").OfType<YamlMappingNode>());
            Assert.Equal("store-url", item.Scalar("key"));
            Assert.Equal("store-url", item.Scalar("path"));
            Assert.True(c.Mounts.Single(m => m.MountPath == Path.GetDirectoryName(Targets.StoreFile)!.Replace('\\', '/')).Volume is not null);
            Assert.Equal("true", c.Node.Items("volumeMounts").OfType<YamlMappingNode>().Single(m => m.Scalar("mountPath") == "/var/run/secrets/sweep").Scalar("readOnly"));
        }
    }

    [KubectlTheory]
    [MemberData(nameof(Targets.Everything), MemberType = typeof(Targets))]
    public void Only_the_documented_secrets_are_referenced(string target)
    {
        var allowed = new HashSet<string>(StringComparer.Ordinal) { Targets.StoreSecret };
        if (Targets.HasInClusterDatabase(target))
        {
            allowed.Add(Targets.PostgresSecret);
        }

        foreach (var w in Kubectl.Render(target).Workloads)
        {
            foreach (var v in w.Volumes.Where(v => v.Has("secret")))
            {
                Assert.Contains(v.Scalar("secret", "secretName") ?? string.Empty, allowed);
                Assert.Equal("288", v.Scalar("secret", "defaultMode")); // 0440
            }
        }
    }

    [Theory]
    [InlineData("postgres://sweep:hunter2@db:5432/sweep", true)]
    [InlineData("postgresql://u:p@h/db", true)]
    [InlineData("Host=db;Username=sweep;Password=hunter2", false)]
    [InlineData("postgres://user:***@host:5432/db", true)]
    [InlineData("postgres://db.example.org:5432/sweep", false)]
    [InlineData("/var/run/secrets/postgres/password", false)]
    public void The_url_pattern_catches_credentials(string value, bool flagged) =>
        Assert.Equal(flagged, UrlWithPassword().IsMatch(value));

    [Theory]
    [InlineData("Host=db;Username=sweep;Password=hunter2", true)]
    [InlineData("password = hunter2", true)]
    [InlineData("POSTGRES_PASSWORD_FILE", false)]
    [InlineData("/var/run/secrets/postgres/password", false)]
    public void The_assignment_pattern_catches_passwords(string value, bool flagged) =>
        Assert.Equal(flagged, PasswordAssignment().IsMatch(value));

    [GeneratedRegex(@"[a-zA-Z][a-zA-Z0-9+.\-]*://[^\s/@:]+:[^\s/@]+@")]
    private static partial Regex UrlWithPassword();

    [GeneratedRegex(@"(?i)\b(password|passwd|pwd)\s*=\s*[^\s;'""]+")]
    private static partial Regex PasswordAssignment();

    [GeneratedRegex(@"(?i)(PASSWORD|PASSWD|SECRET|TOKEN|CREDENTIAL|SWEEP_STORE|STORE_URL)")]
    private static partial Regex CredentialName();
}
