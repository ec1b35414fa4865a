using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SweepCluster.Cluster.Hosting;
using SweepCluster.Storage;

namespace SweepCluster.Cli.Hosting;

/// <summary>
/// /healthz (the process is up), /readyz (the store answers) and /metrics (Prometheus text) for workers
/// and coordinators, on ASP.NET Core minimal APIs. Off when the port is 0.
/// </summary>
public sealed class HealthServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private HealthServer(WebApplication app)
    {
        _app = app;
    }

    public static async Task<HealthServer?> StartAsync(int port, ISweepStore store, NodeMetrics metrics, Serilog.ILogger log)
    {
        ArgumentNullException.ThrowIfNull(log);
        if (port <= 0)
        {
            return null;
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://0.0.0.0:{port}");
        var app = builder.Build();
        app.MapGet("/healthz", () => Results.Text("ok\n"));
        app.MapGet("/readyz", async (CancellationToken ct) =>
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            try
            {
                await store.ListSweepsAsync(timeout.Token).ConfigureAwait(false);
                return Results.Text("ready\n");
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                return Results.Text($"store unreachable: {e.GetType().Name}\n", statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        });
        app.MapGet("/metrics", () => Results.Text(metrics.ToPrometheusText(), "text/plain; version=0.0.4"));
        await app.StartAsync().ConfigureAwait(false);
        log.Information("Serving /healthz, /readyz and /metrics on port {Port}", port);
        return new HealthServer(app);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
