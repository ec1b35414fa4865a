using Spectre.Console;
using SweepCluster.Cluster.Progress;

namespace SweepCluster.Cli.Progress;

/// <summary>
/// A progress bar on an interactive terminal (standard error), fed by the coordinator's snapshots.
/// Only used when standard error is a terminal; otherwise the coordinator's log lines are the progress.
/// </summary>
public sealed class TerminalProgressBar : IProgressObserver, IAsyncDisposable
{
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<ProgressTask> _task = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _render;

    public TerminalProgressBar(string title)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        _render = console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new SpinnerColumn())
            .StartAsync(async ctx =>
            {
                _task.SetResult(ctx.AddTask(Markup.Escape(title), maxValue: 1));
                await _finished.Task.ConfigureAwait(false);
            });
    }

    /// <summary>True when a progress bar can be drawn (standard error is an interactive terminal).</summary>
    public static bool IsSupported => !Console.IsErrorRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    public void OnProgress(ProgressSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (!_task.Task.IsCompleted)
        {
            return;
        }

        var task = _task.Task.Result;
        var p = snapshot.Progress;
        // The bar follows the predicted work, not the cell count: a few long units would hold a cell count still.
        task.MaxValue = 1;
        task.Value = snapshot.Fraction;
        task.Description = Markup.Escape($"{p.SweepId}: {p.CellsDone}/{p.CellsTotal} cells, {snapshot.CellsPerSecond:0.0}/s, ETA {EtaText.Format(snapshot.EtaSeconds)}");
    }

    public async ValueTask DisposeAsync()
    {
        _finished.TrySetResult();
        await _render.ConfigureAwait(false);
    }
}
