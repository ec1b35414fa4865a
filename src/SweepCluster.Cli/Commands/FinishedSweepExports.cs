using Serilog;
using SweepCluster.Cli.Stores;
using SweepCluster.Storage;
using SweepCluster.Sweeps.Exports;

namespace SweepCluster.Cli.Commands;

/// <summary>
/// The exports written when a sweep finishes (`run`, `coordinator --out`), from the progress monitor's callback. The
/// sweep is audited first, so a store that lost results is never exported as a finished sweep. A failure is logged
/// once and kept for the exit code instead of thrown: thrown, the monitor would try again every interval, for ever.
/// </summary>
public sealed class FinishedSweepExports
{
    private readonly ISweepStore _store;
    private readonly string _format;
    private readonly LossSelection _losses;
    private readonly ILogger _log;

    public FinishedSweepExports(ISweepStore store, string format, LossSelection losses, ILogger log)
    {
        _store = store;
        _format = format;
        _losses = losses;
        _log = log;
    }

    /// <summary>The first failure: a <see cref="StoreDamagedException"/>, or the I/O error of an unwritable folder; null when every export was written.</summary>
    public Exception? Failure { get; private set; }

    /// <summary>The exit code the failure stands for (<see cref="ExitCodes.Success"/> without one).</summary>
    public int ExitCode => Failure switch
    {
        null => ExitCodes.Success,
        StoreDamagedException => ExitCodes.StoreDamaged,
        _ => ExitCodes.Failure,
    };

    public async Task WriteAsync(string sweepId, string directory, CancellationToken cancellationToken)
    {
        var log = _log.ForContext("SweepId", sweepId);
        try
        {
            await SweepAudits.CheckAsync(_store, sweepId, cancellationToken).ConfigureAwait(false);
            string written = await SweepExport.WriteAsync(_store, sweepId, directory, _format, _losses, cancellationToken).ConfigureAwait(false);
            log.Information("Exports of {SweepId} written to {Directory}", sweepId, written);
        }
        catch (StoreDamagedException e)
        {
            Failure ??= e;
            log.Error("{Message}", e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Failure ??= e;
            log.Error(
                "The exports of {SweepId} could not be written to {Directory} ({Reason}); every result is in the store: write them with `sweep export {SweepId} --out DIR`",
                sweepId, directory, e.Message, sweepId);
        }
    }
}
