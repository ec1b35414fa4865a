using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Prometheus;
using SweepCluster.Cluster.Hosting;
using SweepCluster.Cluster.Membership;

namespace SweepCluster.Cli.Hosting;

/// <summary>
/// /healthz (the process is up), /readyz (the node is an Up cluster member; a worker also registered) and /metrics (Prometheus text format, prometheus-net) for workers
/// and coordinators, on ASP.NET Core minimal APIs. Off when the port is 0.
/// </summary>
public sealed class HealthServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private HealthServer(WebApplication app)
    {
        _app = app;
    }

    /// <summary>Starts the endpoints; <paramref name="readiness"/> says whether this node is ready and, if not, why.</summary>
    public static async Task<HealthServer?> StartAsync(int port, Func<CancellationToken, Task<(bool Ready, string Detail)>> readiness, MetricsExport metrics, Serilog.ILogger log)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(readiness);
        ArgumentNullException.ThrowIfNull(metrics);
        if (port <= 0)
        {
            return null;
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://0.0.0.0:{port}");
        var app = builder.Build();

        // Liveness is the process answering at all: a slow database must not get a pod killed.
        app.MapGet("/healthz", () => Results.Text("ok\n"));
        app.MapGet("/readyz", async (CancellationToken ct) =>
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            try
            {
                var (ready, detail) = await readiness(timeout.Token).ConfigureAwait(false);
                return ready ? Results.Text($"ready: {detail}\n") : Results.Text($"not ready: {detail}\n", statusCode: StatusCodes.Status503ServiceUnavailable);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                return Results.Text($"not ready: {e.GetType().Name}\n", statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        });
        app.MapMetrics("/metrics", metrics.Registry);
        await app.StartAsync().ConfigureAwait(false);
        log.Information("Serving /healthz, /readyz and /metrics on port {Port}", port);
        return new HealthServer(app);
    }

    /// <summary>
    /// Ready when this node is an Up member of the cluster and, for a worker, registered with the coordinator. Only
    /// cluster state, never the database: a slow store must not take pods out of service or stall a rolling update.
    /// The detail adds this node's view of the cluster (members, the singleton's host), so that nodes can be compared.
    /// </summary>
    public static Func<CancellationToken, Task<(bool Ready, string Detail)>> ClusterReadiness(SweepNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return _ =>
        {
            var view = ClusterView.Of(node.Cluster);
            return Task.FromResult(node.IsUp switch
            {
                false => (false, $"member {node.Cluster.SelfMember.Status}; {view}"),
                true when node.Worker is { Registered: false } => (false, $"member up, not yet registered with the coordinator; {view}"),
                _ => (true, (node.Worker is null ? "member up" : "member up, registered") + $"; {view}"),
            });
        };
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
