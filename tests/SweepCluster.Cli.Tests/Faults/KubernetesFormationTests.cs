using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SweepCluster.Cli.Tests.Support;

namespace SweepCluster.Cli.Tests.Faults;

/// <summary>
/// The Kubernetes formation (docs/kubernetes.md, "How the cluster forms"), exercised with real `sweep` processes on
/// loopback addresses instead of pods: each gets exactly the settings file the manifests mount
/// (cluster-config/cluster.json, seeds included), with the seed host names mapped to loopback addresses on the same
/// port (sweep-coordinator-0.sweep-coordinator to 127.0.0.10, and so on; all of 127/8 is loopback on Linux). Each
/// coordinator advertises the address of its own seed, as the StatefulSet's $(POD_NAME).sweep-coordinator does, each
/// worker one address of its own on the same port, as a pod IP. The processes are started and stopped the way the
/// StatefulSet and the Deployment do it: all at once, a rolling update (highest ordinal first, each back and ready
/// before the next goes), and a SIGKILL followed by a restart on the same address (the kubelet restarting a
/// container keeps the pod's name). After each step every node must report the same view over /readyz: all members
/// Up, none unreachable, and the same oldest coordinator, the singleton's host: one cluster, one singleton.
/// </summary>
[Collection(ClusterFaultGroup.Name)]
[Trait("Category", "fault")]
public sealed partial class KubernetesFormationTests
{
    private const string SingletonStarted = " started at sequence ";

    /// <summary>
    /// The fault grid made long enough (2,400 units of d = 450: one and a half minutes on 2 quiet cores, where 800 units
    /// once finished during the rolling update) that the kill and the rolling update both land in the middle of the sweep.
    /// </summary>
    private const string Grid = """
        name: k8s-formation
        d: 450
        N: {logspace: [2.0, 3.0, 10]}
        k: [0, 1]
        c: 1e-4
        seeds: 120
        theory: false
        """;

    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(60); // the coordinators' terminationGracePeriodSeconds
    private readonly ClusterFaultFixture _fixture;

    public KubernetesFormationTests(ClusterFaultFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public void TheManifestsSeedsFormOneClusterThroughAFullStartARollingUpdateAndAKill()
    {
        if (PostgresServer.Url(out _) is not { } url)
        {
            return;
        }

        using var folder = new TempFolder("sweep-k8s-formation");
        string grid = folder.Write("k8s-formation.yaml", Grid);
        using var run = new ClusterRun(_fixture, url, (grid, "k8s-formation"));

        // Grid submission is the coordinators' init container: on a full start both run it at once, and every
        // restarted coordinator runs it again. It must add nothing the second time.
        long units = run.UnitCount();
        var submits = Enumerable.Range(0, 2).Select(_ => Task.Run(() => CliProcess.Run(Minute, folder.Path, "submit", grid, "--store", run.StoreUrl))).ToArray();
        foreach (var submit in submits.Select(t => t.Result))
        {
            Assert.True(submit.ExitCode == 0, "a repeated submit failed: " + submit.Stderr);
            Assert.Equal("k8s-formation", submit.Stdout.Trim());
            Assert.Contains("(0 new)", submit.Stderr, StringComparison.Ordinal);
        }

        Assert.Equal(units, run.UnitCount());

        var topology = Topology.FromShippedSettings(folder);
        var coordinators = topology.Coordinators.Select(c => new Pod(run, topology, c, "coordinator")).ToArray();
        var workers = new[] { "127.0.0.20", "127.0.0.21" }.Select(a => new Pod(run, topology, a, "worker", "--slots", "1")).ToArray();
        var everyone = coordinators.Concat(workers).ToArray();
        Assert.Equal(2, coordinators.Length);

        var clock = System.Diagnostics.Stopwatch.StartNew();

        // A full start in the worst order Parallel pod management allows: the second seed and the workers first,
        // the first seed last. Only the first seed may found the cluster; the others wait for it.
        coordinators[1].Start();
        foreach (var w in workers)
        {
            w.Start();
        }

        Thread.Sleep(TimeSpan.FromSeconds(3));
        coordinators[0].Start();
        AssertOneCluster(everyone, coordinators[0]);
        Assert.Contains(SingletonStarted, coordinators[0].Process.StderrSoFar, StringComparison.Ordinal);
        Assert.DoesNotContain(SingletonStarted, coordinators[1].Process.StderrSoFar, StringComparison.Ordinal);
        AssertStatusShowsUp(run, everyone);
        Stage("full start: one cluster", clock);

        // SIGKILL of the singleton's host, the first seed; the kubelet restarts the container at once, with the same
        // name. The singleton moves to sweep-coordinator-1; the restarted first seed asks the other seed before it
        // would found anything, so it joins the running cluster as the new standby.
        run.WaitForResults(10, Minute);
        coordinators[0].Process.KillHard();
        Assert.True(coordinators[0].Process.TryWaitForExit(TimeSpan.FromSeconds(10)), "the killed coordinator is still running");
        coordinators[0].Start();
        Poll.Until(() => coordinators[1].Process.StderrSoFar.Contains(SingletonStarted, StringComparison.Ordinal), Minute, "the singleton to move to sweep-coordinator-1", coordinators[1].Process);
        AssertOneCluster(everyone, coordinators[1]);
        Assert.DoesNotContain(SingletonStarted, coordinators[0].Process.StderrSoFar, StringComparison.Ordinal);
        Stage("SIGKILL of the first seed and restart: one cluster", clock);

        // A rolling update, highest ordinal first, each coordinator back and ready before the next goes. Both hand
        // the singleton over as they leave (sweep-coordinator-1 hosts it now, then sweep-coordinator-0 does).
        Assert.True(run.UnitsNotDone() > 0, "the sweep finished before the rolling update; the test proved nothing");
        coordinators[1].Terminate(run);
        Poll.Until(() => coordinators[0].Process.StderrSoFar.Contains(SingletonStarted, StringComparison.Ordinal), Minute, "the singleton to move to sweep-coordinator-0", coordinators[0].Process);
        coordinators[1].Start();
        AssertOneCluster(everyone, coordinators[0]);
        Assert.DoesNotContain(SingletonStarted, coordinators[1].Process.StderrSoFar, StringComparison.Ordinal);
        coordinators[0].Terminate(run);
        Poll.Until(() => coordinators[1].Process.StderrSoFar.Contains(SingletonStarted, StringComparison.Ordinal), Minute, "the singleton to move to sweep-coordinator-1", coordinators[1].Process);
        coordinators[0].Start();
        AssertOneCluster(everyone, coordinators[1]);
        Assert.DoesNotContain(SingletonStarted, coordinators[0].Process.StderrSoFar, StringComparison.Ordinal);
        long left = run.UnitsNotDone();
        Stage($"rolling update: one cluster ({left} units left)", clock);
        Assert.True(left > 0, "the sweep finished during the rolling update; it must finish after it to show that the work goes on");

        Poll.Until(() => run.UnitsNotDone() == 0, TimeSpan.FromMinutes(8), "every unit done", interval: TimeSpan.FromSeconds(1));
        AssertOneCluster(everyone, coordinators[1]);
        Stage("sweep done", clock);

        // Scale to zero, as `kubectl delete` would: SIGTERM everywhere, every process leaves cleanly.
        foreach (var pod in workers.Concat(coordinators.Reverse()))
        {
            pod.Terminate(run);
        }

        run.AssertComplete();
        Assert.Equal(1, run.Events("sweep_finished"));
    }

    [Fact]
    public void WorkersLeftWithoutCoordinatorsRejoinTheClusterTheRestartedCoordinatorsFound()
    {
        if (PostgresServer.Url(out _) is not { } url)
        {
            return;
        }

        using var folder = new TempFolder("sweep-k8s-orphans");
        string grid = folder.Write("k8s-formation.yaml", Grid);
        using var run = new ClusterRun(_fixture, url, (grid, "k8s-formation"));
        var topology = Topology.FromShippedSettings(folder);
        var coordinators = topology.Coordinators.Select(c => new Pod(run, topology, c, "coordinator")).ToArray();

        // Three workers: the majority, so when both coordinators die at once the workers' side is the one that stays
        // (in a cluster the workers usually outnumber the coordinators), a cluster without a coordinator.
        var workers = new[] { "127.0.0.20", "127.0.0.21", "127.0.0.22" }.Select(a => new Pod(run, topology, a, "worker", "--slots", "1")).ToArray();
        var everyone = coordinators.Concat(workers).ToArray();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        foreach (var pod in everyone)
        {
            pod.Start();
        }

        AssertOneCluster(everyone, coordinators[0]);
        run.WaitForResults(10, Minute);
        Stage("one cluster", clock);

        // Both coordinator pods lost at once and restarted by the kubelet: the first seed finds no other seed in a
        // cluster and founds a new one; the workers are still members of the old one.
        foreach (var c in coordinators)
        {
            c.Process.KillHard();
        }

        foreach (var c in coordinators)
        {
            Assert.True(c.Process.TryWaitForExit(TimeSpan.FromSeconds(10)), "a killed coordinator is still running");
            c.Start();
        }

        AssertOneCluster(everyone, coordinators[0], TimeSpan.FromMinutes(4));
        long left = run.UnitsNotDone();
        Stage($"the workers rejoined the coordinators' cluster ({left} units left)", clock);
        Assert.True(left > 0, "the sweep finished before the workers rejoined; the test proved nothing");
        Assert.All(workers, w => Assert.Contains("No coordinator has been a member of this cluster", w.Process.StderrSoFar, StringComparison.Ordinal));

        Poll.Until(() => run.UnitsNotDone() == 0, TimeSpan.FromMinutes(8), "every unit done", interval: TimeSpan.FromSeconds(1));
        foreach (var pod in workers.Concat(coordinators.Reverse()))
        {
            pod.Terminate(run);
        }

        run.AssertComplete();
    }

    private static void Stage(string what, System.Diagnostics.Stopwatch clock) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{clock.Elapsed.TotalSeconds,6:0.0} s  {what}"));

    /// <summary>Every node is ready and sees the same cluster: all of them Up, none unreachable, one singleton host.</summary>
    private static void AssertOneCluster(IReadOnlyList<Pod> pods, Pod singletonHost, TimeSpan? within = null)
    {
        var timeout = within ?? TimeSpan.FromMinutes(2);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var views = pods.Select(p => (Pod: p, View: p.Readiness())).ToList();
            bool agreed = views.All(v => v.View is { } view
                && ViewPattern().Match(view) is { Success: true } m
                && int.Parse(m.Groups["up"].Value, CultureInfo.InvariantCulture) == pods.Count
                && m.Groups["unreachable"].Value == "0"
                && m.Groups["oldest"].Value == singletonHost.SeedAddress);
            if (agreed)
            {
                return;
            }

            if (clock.Elapsed > timeout)
            {
                Assert.Fail($"after {timeout.TotalSeconds:0} s the nodes still do not all see {pods.Count} members up with the singleton on {singletonHost.SeedAddress}:\n"
                    + string.Join("\n", views.Select(v => $"{v.Pod.Address}: {v.View ?? "not ready"}")));
            }

            Thread.Sleep(500);
        }
    }

    /// <summary>`sweep status` (what docs/kubernetes.md tells users to run) lists every node as up.</summary>
    private static void AssertStatusShowsUp(ClusterRun run, IEnumerable<Pod> pods)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var status = run.Status();
            string[] lines = status.Stdout.Split('\n');
            if (pods.All(p => lines.Any(l => l.TrimStart().StartsWith(p.SeedAddress + " ", StringComparison.Ordinal) && l.Contains(" up ", StringComparison.Ordinal))))
            {
                return;
            }

            if (clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                Assert.Fail($"status does not list every node as up after 30 s (exit code {status.ExitCode}):\n{status.Stdout}\n{status.Stderr}");
            }

            Thread.Sleep(1000);
        }
    }

    [GeneratedRegex(@"^ready: .*; (?<up>\d+) members up, (?<unreachable>\d+) unreachable, \d+ coordinators up, singleton on (?<oldest>\S+)")]
    private static partial Regex ViewPattern();

    /// <summary>The shipped settings file with its seeds mapped to loopback addresses, and which address each seed got.</summary>
    private sealed partial record Topology(string ConfigFile, int Port, IReadOnlyList<string> Coordinators)
    {
        public static Topology FromShippedSettings(TempFolder folder)
        {
            var root = JsonNode.Parse(File.ReadAllText(Path.Combine(PostgresServer.RepositoryRoot(), "cluster-config", "cluster.json")))!;
            var sweep = root["Sweep"]!;
            int port = sweep["RemotingPort"]!.GetValue<int>();
            var seeds = sweep["Seeds"]!.GetValue<string>().Split(',', StringSplitOptions.TrimEntries);
            Assert.True(seeds.Length >= 2, "the shipped settings name fewer than two seeds");
            var mapped = new List<string>();
            var addresses = new List<string>();
            for (int i = 0; i < seeds.Length; i++)
            {
                var seed = SeedPattern().Match(seeds[i]);
                Assert.True(seed.Success, $"seed {seeds[i]} is not akka.tcp://sweep@HOST:PORT");
                Assert.Equal(port.ToString(CultureInfo.InvariantCulture), seed.Groups["port"].Value);
                string address = $"127.0.0.{10 + i}";
                addresses.Add(address);
                mapped.Add($"akka.tcp://sweep@{address}:{port}");
            }

            sweep["Seeds"] = string.Join(",", mapped);
            return new Topology(folder.Write("cluster.json", root.ToJsonString()), port, addresses);
        }

        [GeneratedRegex(@"^akka\.tcp://sweep@(?<host>[^:]+):(?<port>\d+)$")]
        private static partial Regex SeedPattern();
    }

    /// <summary>One pod: an address of its own on the remoting port, an HTTP port for its probes, and its current process.</summary>
    private sealed class Pod(ClusterRun run, Topology topology, string address, params string[] args)
    {
        private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(3) };
        private readonly int _httpPort = FreePort();
        private CliChildProcess? _process;

        public string Address => address;

        public string SeedAddress => $"akka.tcp://sweep@{address}:{topology.Port}";

        public CliChildProcess Process => _process ?? throw new InvalidOperationException($"{address} was never started");

        public void Start()
        {
            Assert.True(_process is null || _process.HasExited, $"{address} is still running");
            _process = run.Start(
                new Dictionary<string, string?>
                {
                    ["SWEEP_CONFIG"] = topology.ConfigFile,
                    ["Sweep__RemotingHost"] = address,
                    ["Sweep__PublicHostname"] = address,
                    ["Sweep__HttpPort"] = _httpPort.ToString(CultureInfo.InvariantCulture),
                },
                args);
        }

        /// <summary>SIGTERM, as Kubernetes stops a pod: the process must leave the cluster and exit 0 within the grace period.</summary>
        public void Terminate(ClusterRun owner)
        {
            Process.Terminate();
            owner.AssertExits(Process, 0, Grace, $"{args[0]} at {address} after SIGTERM");
        }

        /// <summary>The /readyz answer when ready, null otherwise (not ready, not listening yet, exited).</summary>
        public string? Readiness()
        {
            if (_process is null || _process.HasExited)
            {
                return null;
            }

            try
            {
                using var response = Http.GetAsync(new Uri($"http://127.0.0.1:{_httpPort}/readyz")).GetAwaiter().GetResult();
                string body = response.Content.ReadAsStringAsync().GetAwaiter().GetResult().Trim();
                return response.StatusCode == HttpStatusCode.OK ? body : null;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                return null;
            }
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}
