using Polly;
using Polly.Retry;

namespace SweepCluster.Storage;

/// <summary>A failed try of a store operation that is about to be run again.</summary>
/// <param name="Operation">What was tried (a store method, or what the caller named).</param>
/// <param name="Try">The try that failed (1-based).</param>
/// <param name="Tries">Tries in all, the first included.</param>
/// <param name="Delay">The wait before the next try (exponential with jitter).</param>
/// <param name="Error">What failed; its message never holds a password.</param>
public sealed record StoreRetry(string Operation, int Try, int Tries, TimeSpan Delay, Exception Error)
{
    /// <summary>The reason in one line, for a log: the error and, when it wraps one, the cause (no stack trace).</summary>
    public string Reason => Error.InnerException is { } inner && inner.Message != Error.Message ? $"{Error.Message}: {inner.GetBaseException().Message}" : Error.Message;
}

/// <summary>
/// The one retry rule for store operations, in the database client and in the nodes: a bounded number of tries,
/// waits that double up to a cap, with ±20 % jitter so that many nodes that lost the same database do not come back to it
/// in lockstep, and a report of every retry.
/// </summary>
public static class StoreRetries
{
    /// <summary>A pipeline of <paramref name="tries"/> tries (1: no retry) that retries what <paramref name="retryable"/> accepts.</summary>
    public static ResiliencePipeline Create(int tries, TimeSpan firstDelay, TimeSpan maxDelay, Func<Exception, bool> retryable, Action<StoreRetry> onRetry)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tries);
        ArgumentNullException.ThrowIfNull(retryable);
        ArgumentNullException.ThrowIfNull(onRetry);
        if (tries == 1)
        {
            return ResiliencePipeline.Empty;
        }

        return new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = tries - 1,
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(Delay(firstDelay, maxDelay, args.AttemptNumber + 1, Random.Shared.NextDouble())),
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } e && e is not OperationCanceledException && retryable(e)),
                OnRetry = args =>
                {
                    onRetry(new StoreRetry(args.Context.OperationKey ?? "store operation", args.AttemptNumber + 1, tries, args.RetryDelay, args.Outcome.Exception!));
                    return default;
                },
            })
            .Build();
    }

    /// <summary>
    /// The wait after failed try <paramref name="failedTry"/>: the doubling delay capped at <paramref name="maxDelay"/>,
    /// times a factor between 0.8 and 1.2 from <paramref name="unit"/> (in [0, 1)). Jitter that could shrink a wait
    /// to nothing (Polly's decorrelated jitter) would also shrink the whole budget, which is sized to outlast a
    /// database restart; ±20 % keeps the budget and still spreads the nodes apart.
    /// </summary>
    public static TimeSpan Delay(TimeSpan firstDelay, TimeSpan maxDelay, int failedTry, double unit)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(failedTry);
        double nominal = Math.Min(firstDelay.TotalMilliseconds * Math.Pow(2, Math.Min(failedTry - 1, 30)), maxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(nominal * (0.8 + (0.4 * unit)));
    }

    /// <summary>Runs <paramref name="operation"/> through <paramref name="pipeline"/>, named <paramref name="name"/> in its retry reports.</summary>
    public static async Task<T> RunAsync<T, TState>(this ResiliencePipeline pipeline, string name, TState state, Func<TState, CancellationToken, Task<T>> operation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(operation);
        var context = ResilienceContextPool.Shared.Get(name, cancellationToken);
        try
        {
            return await pipeline.ExecuteAsync(
                static async (ctx, s) => await s.operation(s.state, ctx.CancellationToken).ConfigureAwait(false),
                context,
                (operation, state)).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }
}
