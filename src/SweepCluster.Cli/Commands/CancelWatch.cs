using Serilog;
using SweepCluster.Storage;

namespace SweepCluster.Cli.Commands;

/// <summary>
/// Makes `sweep run` honour `sweep cancel` from another shell: looks at the store every interval, and when the sweep
/// is cancelled (or deleted) there, cancels <see cref="Token"/>, which the run treats like a drain request.
/// </summary>
public sealed class CancelWatch : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _linked;
    private readonly Task _loop;

    public CancelWatch(ISweepStore store, string sweepId, TimeSpan interval, ILogger log, CancellationToken drain)
    {
        _linked = CancellationTokenSource.CreateLinkedTokenSource(drain);
        _loop = Task.Run(() => WatchAsync(store, sweepId, interval, log), CancellationToken.None);
    }

    /// <summary>Cancelled on a drain request or when the sweep was cancelled in the store.</summary>
    public CancellationToken Token => _linked.Token;

    /// <summary>The sweep was cancelled (or deleted) in the store while the run ran.</summary>
    public bool Fired { get; private set; }

    private async Task WatchAsync(ISweepStore store, string sweepId, TimeSpan interval, ILogger log)
    {
        while (!_stop.IsCancellationRequested && !_linked.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, _stop.Token).ConfigureAwait(false);
                var sweep = (await store.ListSweepsAsync(_stop.Token).ConfigureAwait(false)).FirstOrDefault(s => s.Id == sweepId);
                if (sweep is null || sweep.Cancelled)
                {
                    Fired = true;
                    log.Warning("Sweep {SweepId} was {What} in the store: stopping after the units in flight", sweepId, sweep is null ? "deleted" : "cancelled");
                    await _linked.CancelAsync().ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException or InvalidOperationException)
            {
                // The run's own store calls report a store that fails; this look is tried again at the next interval.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
        _linked.Dispose();
    }
}
