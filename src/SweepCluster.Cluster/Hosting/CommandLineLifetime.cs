using Microsoft.Extensions.Hosting;

namespace SweepCluster.Cluster.Hosting;

/// <summary>
/// The host's lifetime when the command line owns the signals: the default ConsoleLifetime would take SIGINT and
/// SIGTERM itself, stop the actor system before the command's drain begins, and hold the signal handler until the
/// host has stopped. Here the command decides when the node stops (after its drain), so the host just runs.
/// </summary>
public sealed class CommandLineLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
