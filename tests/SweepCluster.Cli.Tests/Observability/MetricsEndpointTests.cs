using System.Globalization;
using System.Net;
using System.Net.Sockets;
using SweepCluster.Cli.Tests.Support;

namespace SweepCluster.Cli.Tests.Observability;

/// <summary>
/// /metrics of a real coordinator and worker, scraped while they run a sweep and parsed with a strict parser of the
/// Prometheus text format: names, types, labels (sweep, role, node), histograms, runtime metrics, counters that move.
/// </summary>
public sealed class MetricsEndpointTests
{
    private const string SweepId = "obs-metrics";

    // 8 grid points, 32 cells.
    private const string Grid = $"name: {SweepId}\nd: 24\nN: {{logspace: [1, 2.5, 4]}}\nk: [0, 1]\nc: 2e-3\nT: 150\nseeds: 3\ntheory: true\n";

    // Submitted once the worker serves /metrics: work done for certain after the first scrape, however fast the first sweep went.
    private const string LaterSweepId = "obs-metrics-later";
    private const string LaterGrid = $"name: {LaterSweepId}\nd: 20\nN: [10, 20]\nseeds: 2\n";

    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(4);
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    [Fact]
    public void A_running_worker_and_coordinator_expose_labelled_counters_gauges_and_histograms_that_move()
    {
        using var folder = new TempFolder("metrics");
        folder.Write("grid.yaml", Grid);
        folder.Write("later.yaml", LaterGrid);
        var submit = CliProcess.Run(Bound, folder.Path, "submit", "grid.yaml", "--store", "s.db");
        Assert.True(submit.ExitCode == 0, submit.Stderr);

        int coordinatorPort = FreePort(), workerPort = FreePort();
        using var coordinator = CliProcess.Start(folder.Path, null, "coordinator", "--store", "s.db", "--http-port", Port(coordinatorPort));
        using var worker = CliProcess.Start(folder.Path, null, "worker", "--store", "s.db", "--slots", "1", "--http-port", Port(workerPort));

        IReadOnlyDictionary<string, PrometheusFamily>? before = null;
        Poll.Until(() => (before = TryScrape(workerPort)) is not null, Bound, "the worker's /metrics", worker, TimeSpan.FromMilliseconds(50));
        IReadOnlyDictionary<string, PrometheusFamily>? watching = null;
        Poll.Until(() => (watching = TryScrape(coordinatorPort)) is { } m && m.ContainsKey("sweep_sweep_cells_total") && m["sweep_sweep_cells_total"].Samples.Count > 0, Bound, "the coordinator's sweep gauges", coordinator, TimeSpan.FromMilliseconds(50));

        var later = CliProcess.Run(Bound, folder.Path, "submit", "later.yaml", "--store", "s.db");
        Assert.True(later.ExitCode == 0, later.Stderr);
        IReadOnlyDictionary<string, PrometheusFamily>? after = null;
        Poll.Until(
            () => (after = TryScrape(workerPort)) is { } m && Series(m, "sweep_cells_done_total", SweepId)?.Value >= 32 && Series(m, "sweep_units_completed_total", LaterSweepId) is not null,
            Bound,
            "every cell of the first sweep and a unit of the later one computed",
            worker,
            TimeSpan.FromMilliseconds(100));

        // The coordinator: per-sweep gauges and its view of the cluster, labelled with its role and node.
        var cellsTotal = Single(watching!, "sweep_sweep_cells_total", "gauge");
        Assert.Equal(SweepId, cellsTotal.Labels["sweep"]);
        Assert.Equal("coordinator", cellsTotal.Labels["role"]);
        Assert.StartsWith("coordinator-", cellsTotal.Labels["node"], StringComparison.Ordinal);
        Assert.Equal(32, cellsTotal.Value);
        Assert.True(Single(watching!, "sweep_cluster_members_up", "gauge").Value >= 1);

        // The worker: every unit of the sweep computed here, counted once, timed once, waited for once.
        Assert.Equal("counter", after!["sweep_units_completed_total"].Type);
        var units = Series(after!, "sweep_units_completed_total", SweepId)!;
        Assert.Equal(new[] { "node", "role", "sweep" }, units.Labels.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(SweepId, units.Labels["sweep"]);
        Assert.Equal("worker", units.Labels["role"]);
        Assert.StartsWith("worker-", units.Labels["node"], StringComparison.Ordinal);
        Assert.True(ValueOrZero(after!, "sweep_units_completed_total") > ValueOrZero(before!, "sweep_units_completed_total"), "sweep_units_completed_total did not move");
        Assert.Equal(32, Series(after!, "sweep_cells_done_total", SweepId)!.Value);
        Assert.Equal("counter", after!["sweep_cells_failed_total"].Type);
        Assert.Equal(0, Series(after!, "sweep_cells_failed_total", SweepId)!.Value);
        Assert.Equal(units.Value, Count(after!, "sweep_unit_duration_seconds", SweepId));
        Assert.Equal(units.Value, Count(after!, "sweep_unit_queue_wait_seconds", SweepId));
        Assert.True(Count(after!, "sweep_handout_duration_seconds", null) >= 1);
        Assert.Equal("gauge", after!["sweep_units_computing"].Type);
        Assert.Equal("gauge", after!["sweep_units_held"].Type);

        // .NET runtime and process metrics beside ours.
        Assert.Equal("counter", after!["dotnet_collection_count_total"].Type);
        Assert.True(Single(after!, "process_cpu_seconds_total", "counter").Value > ValueOrZero(before!, "process_cpu_seconds_total"), "process_cpu_seconds_total did not move");
    }

    [Fact]
    public void The_parser_refuses_what_Prometheus_would_refuse()
    {
        const string Good = "# HELP a_total A.\n# TYPE a_total counter\na_total{x=\"1\\\"\"} 3\n# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_sum 4\nh_count 2\n";
        var parsed = PrometheusText.Parse(Good);
        Assert.Equal("1\"", parsed["a_total"].Samples.Single().Labels["x"]);
        Assert.Equal(4, parsed["h"].Samples.Count);

        Assert.Throws<FormatException>(() => PrometheusText.Parse("a_total 3\n"));
        Assert.Throws<FormatException>(() => PrometheusText.Parse("# TYPE a counter\na{x=1} 3\n"));
        Assert.Throws<FormatException>(() => PrometheusText.Parse("# TYPE a counter\na -1\n"));
        Assert.Throws<FormatException>(() => PrometheusText.Parse("# TYPE a gauge\na three\n"));
        Assert.Throws<FormatException>(() => PrometheusText.Parse("# TYPE h histogram\nh_bucket{le=\"1\"} 3\nh_bucket{le=\"+Inf\"} 2\nh_sum 4\nh_count 2\n"));
        Assert.Throws<FormatException>(() => PrometheusText.Parse("# TYPE a gauge\na 1\n# TYPE b gauge\nb 1\na{x=\"y\"} 2\n"));
    }

    private static IReadOnlyDictionary<string, PrometheusFamily>? TryScrape(int port)
    {
        try
        {
            using var response = Http.GetAsync(new Uri($"http://127.0.0.1:{Port(port)}/metrics")).GetAwaiter().GetResult();
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return null;
            }

            Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
            string body = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
            try
            {
                return PrometheusText.Parse(body);
            }
            catch (FormatException e)
            {
                throw new FormatException($"{e.Message}\n/metrics was:\n{body}", e);
            }
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>The one series of a family, after checking the family's type.</summary>
    private static PrometheusSample Single(IReadOnlyDictionary<string, PrometheusFamily> metrics, string name, string type)
    {
        Assert.True(metrics.TryGetValue(name, out var family), $"no {name} in /metrics");
        Assert.Equal(type, family.Type);
        return Assert.Single(family.Samples);
    }

    /// <summary>The series of a family for one sweep; null while there is none.</summary>
    private static PrometheusSample? Series(IReadOnlyDictionary<string, PrometheusFamily> metrics, string name, string sweep) =>
        metrics.TryGetValue(name, out var family) ? family.Samples.SingleOrDefault(s => s.Labels.GetValueOrDefault("sweep") == sweep) : null;

    /// <summary>A histogram's observation count for one sweep (or its one series when <paramref name="sweep"/> is null).</summary>
    private static double Count(IReadOnlyDictionary<string, PrometheusFamily> metrics, string name, string? sweep)
    {
        Assert.True(metrics.TryGetValue(name, out var family), $"no {name} in /metrics");
        Assert.Equal("histogram", family.Type);
        return family.Samples.Single(s => s.Name == name + "_count" && s.Labels.GetValueOrDefault("sweep") == sweep).Value;
    }

    /// <summary>A counter's value, 0 before its first increment (prometheus-net shows a labelled series once it has one).</summary>
    private static double ValueOrZero(IReadOnlyDictionary<string, PrometheusFamily> metrics, string name) =>
        metrics.TryGetValue(name, out var family) ? family.Samples.Sum(s => s.Value) : 0;

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
