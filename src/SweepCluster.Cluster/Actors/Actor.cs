using System.Threading.Channels;

namespace SweepCluster.Cluster.Actors;

/// <summary>
/// The whole actor machinery: a mailbox and a loop that handles one message at a time, so the actor's
/// state needs no locks. CPU-heavy work must not run in <see cref="HandleAsync"/>; start it as a task
/// and send its result back with <see cref="Tell"/>.
/// </summary>
public abstract class Actor<TMessage>
    where TMessage : class
{
    private readonly Channel<TMessage> _mailbox = Channel.CreateUnbounded<TMessage>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Posts a message; safe from any thread.</summary>
    public void Tell(TMessage message) => _mailbox.Writer.TryWrite(message);

    /// <summary>Tells a message after a delay unless the token is cancelled first.</summary>
    public void TellLater(TMessage message, TimeSpan delay, CancellationToken cancellationToken) =>
        _ = Task.Delay(delay, cancellationToken).ContinueWith(t => Tell(message), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);

    /// <summary>Runs the loop until <see cref="Stop"/> is called (or the token is cancelled).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await OnStartAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await foreach (var message in _mailbox.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                await HandleAsync(message, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            await OnStopAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Ends the loop after the messages already queued.</summary>
    protected void Stop() => _mailbox.Writer.TryComplete();

    protected virtual Task OnStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    protected abstract Task HandleAsync(TMessage message, CancellationToken cancellationToken);

    protected virtual Task OnStopAsync() => Task.CompletedTask;
}
