using Npgsql;

namespace SweepCluster.Storage.Postgres;

/// <summary>
/// Listens on <see cref="PostgresSweepStore.WorkChannel"/> on a connection of its own and wakes the callers of
/// <see cref="WaitAsync"/>. One background loop per store, started by the first wait: it reconnects with
/// backoff whenever the connection is lost, and it never ends before the store is disposed.
/// </summary>
/// <remarks>
/// A notification is a hint, not a message: it is sent only when work became claimable (units submitted,
/// released, re-queued), nothing is lost if a worker misses one (its poll finds the work a little later), and
/// a spurious wake-up costs one empty claim. Hence the rules: a notification that arrives while nobody waits
/// is remembered (one flag, not a count) so that the next wait returns at once instead of missing the work
/// that came between a worker's empty claim and its wait; and every (re)connection counts as a notification,
/// because whatever was sent while nobody listened is gone.
/// </remarks>
internal sealed class PostgresWorkListener : IAsyncDisposable
{
    /// <summary>
    /// How long the connection may stay silent before the loop checks it with a query. A peer that vanished
    /// without closing the socket (a node lost, a network cut) would otherwise leave the wait hanging forever.
    /// </summary>
    private static readonly TimeSpan s_livenessInterval = TimeSpan.FromSeconds(30);

    /// <summary>Reconnection backoff: doubling from the first delay to the cap, then trying every cap for as long as it takes.</summary>
    private static readonly PostgresRetryPolicy s_reconnect = new(int.MaxValue, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5));

    private readonly NpgsqlDataSource _dataSource;
    private readonly Action<PostgresRetry> _onRetry;
    private readonly CancellationTokenSource _stop = new();

    // Guards the three fields below; the loop and every waiter take it only to read or swap them.
    private readonly Lock _lock = new();

    // Completed (and replaced) on each notification; waiters await the one current when they started.
    private TaskCompletionSource _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // A notification (or a reconnection) came since the last wait returned: the next wait returns at once.
    private bool _pending;

    private Task? _loop;

    public PostgresWorkListener(NpgsqlDataSource dataSource, Action<PostgresRetry> onRetry)
    {
        _dataSource = dataSource;
        _onRetry = onRetry;
    }

    /// <summary>True when woken by a notification (or a reconnection), false on timeout.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Task signal;
        lock (_lock)
        {
            _loop ??= Task.Run(() => ListenAsync(_stop.Token), CancellationToken.None);
            if (_pending)
            {
                _pending = false;
                return true;
            }

            signal = _signal.Task;
        }

        using var delayCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(timeout, delayCancellation.Token);
        var first = await Task.WhenAny(signal, delay).ConfigureAwait(false);
        if (first == signal)
        {
            await delayCancellation.CancelAsync().ConfigureAwait(false);
            lock (_lock)
            {
                // This wake-up consumed the notification; a later one sets the flag again.
                _pending = false;
            }

            return true;
        }

        cancellationToken.ThrowIfCancellationRequested();
        return false;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);

        // Waiters return now rather than at their timeouts; their next store call reports the disposal.
        Signal();
        Task? loop;
        lock (_lock)
        {
            loop = _loop;
        }

        if (loop is not null)
        {
            // The loop ends only by cancellation and catches it itself.
            await loop.ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    private void Signal()
    {
        lock (_lock)
        {
            _pending = true;
            _signal.TrySetResult();
            _signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    private async Task ListenAsync(CancellationToken stop)
    {
        int failures = 0;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _dataSource.OpenConnectionAsync(stop).ConfigureAwait(false);
                connection.Notification += (_, _) => Signal();
                await using (var listen = new NpgsqlCommand("LISTEN " + PostgresSweepStore.WorkChannel, connection))
                {
                    await listen.ExecuteNonQueryAsync(stop).ConfigureAwait(false);
                }

                failures = 0;
                Signal();
                while (true)
                {
                    if (!await connection.WaitAsync(s_livenessInterval, stop).ConfigureAwait(false))
                    {
                        await using var ping = new NpgsqlCommand("SELECT 1", connection);
                        await ping.ExecuteScalarAsync(stop).ConfigureAwait(false);
                    }
                }
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
                // Disposal: the wait was cancelled, or the connection closed under it.
                return;
            }
            catch (Exception e)
            {
                // Lost, refused, or anything else: this loop must outlive every error, since nothing would
                // restart it. Waiters fall back to their timeouts (polling) until the connection is back.
                failures++;
                var delay = s_reconnect.DelayAfter(failures);
                try
                {
                    _onRetry(new PostgresRetry("WaitForWork", failures, delay, e));
                }
                catch (Exception)
                {
                    // A failing log handler must not end the only loop that listens; the retry goes ahead unlogged.
                }

                try
                {
                    await Task.Delay(delay, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
