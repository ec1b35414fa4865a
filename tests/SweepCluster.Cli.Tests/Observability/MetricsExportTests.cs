using SweepCluster.Cli.Hosting;
using SweepCluster.Cli.Tests.Support;
using SweepCluster.Cluster.Hosting;

namespace SweepCluster.Cli.Tests.Observability;

/// <summary>The bridge from the node's instruments to prometheus-net, in process: what the hand-written exposition got wrong.</summary>
public sealed class MetricsExportTests
{
    [Fact]
    public async Task Failed_cells_are_counted_and_computing_units_are_told_from_held_ones()
    {
        using var metrics = new NodeMetrics("worker") { NodeId = "worker-a" };
        using var export = new MetricsExport(metrics);
        metrics.SetHeld(5);
        metrics.ComputeStarted("s1", TimeSpan.FromSeconds(0.2));
        metrics.ComputeEnded("s1", TimeSpan.FromSeconds(2));
        metrics.ComputeStarted("s1", TimeSpan.FromSeconds(0.1));
        metrics.UnitCompleted("s1", cells: 4, failedCells: 3);

        var scraped = await ScrapeAsync(export);

        Assert.Equal(3, Value(scraped, "sweep_cells_failed_total", "s1"));
        Assert.Equal(4, Value(scraped, "sweep_cells_done_total", "s1"));
        Assert.Equal(1, Value(scraped, "sweep_units_computing", null));
        Assert.Equal(5, Value(scraped, "sweep_units_held", null));
        var duration = scraped["sweep_unit_duration_seconds"].Samples;
        Assert.Equal(1, duration.Single(s => s.Name == "sweep_unit_duration_seconds_count").Value);
        Assert.Equal(2, duration.Single(s => s.Name == "sweep_unit_duration_seconds_sum").Value);
        Assert.Equal(2, scraped["sweep_unit_queue_wait_seconds"].Samples.Single(s => s.Name == "sweep_unit_queue_wait_seconds_count").Value);
    }

    [Fact]
    public async Task After_a_rejoin_the_gauges_carry_the_new_node_id_only()
    {
        using var metrics = new NodeMetrics("coordinator") { NodeId = "coordinator-a" };
        using var export = new MetricsExport(metrics);
        metrics.SetSweepProgress("s1", 1, 10, 0, 2);
        var first = await ScrapeAsync(export);
        Assert.Equal(10, Value(first, "sweep_sweep_cells_total", "s1"));

        metrics.NodeId = "coordinator-b";
        var second = await ScrapeAsync(export);
        var members = Assert.Single(second["sweep_cluster_members_up"].Samples);
        Assert.Equal("coordinator-b", members.Labels["node"]);
    }

    private static async Task<IReadOnlyDictionary<string, PrometheusFamily>> ScrapeAsync(MetricsExport export)
    {
        using var stream = new MemoryStream();
        await export.Registry.CollectAndExportAsTextAsync(stream);
        return PrometheusText.Parse(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static double Value(IReadOnlyDictionary<string, PrometheusFamily> scraped, string name, string? sweep)
    {
        Assert.True(scraped.TryGetValue(name, out var family), $"no {name}");
        var sample = Assert.Single(family.Samples, s => s.Labels.GetValueOrDefault("sweep") == sweep);
        Assert.Equal(["node", "role"], sample.Labels.Keys.Where(k => k != "sweep").Order(StringComparer.Ordinal));
        return sample.Value;
    }
}
