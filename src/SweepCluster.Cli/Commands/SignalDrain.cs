using System.Runtime.InteropServices;

namespace SweepCluster.Cli.Commands;

/// <summary>
/// SIGINT and SIGTERM ask for a drain: stop claiming, let in-flight units finish and commit, exit.
/// A second signal exits at once; leases then expire and other nodes (or the next run) redo those units.
/// </summary>
public sealed class SignalDrain : IDisposable
{
    private readonly CancellationTokenSource _drain = new();
    private readonly List<PosixSignalRegistration> _registrations = [];
    private int _signals;

    public SignalDrain(TextWriter error)
    {
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
        {
            _registrations.Add(PosixSignalRegistration.Create(signal, context =>
            {
                if (Interlocked.Increment(ref _signals) == 1)
                {
                    context.Cancel = true;
                    error.WriteLine($"sweep: {context.Signal} received: finishing the units in flight, then exiting (signal again to exit now)");
                    _drain.Cancel();
                }
            }));
        }
    }

    public CancellationToken Token => _drain.Token;

    public bool Requested => _drain.IsCancellationRequested;

    public void Dispose()
    {
        foreach (var r in _registrations)
        {
            r.Dispose();
        }

        _drain.Dispose();
    }
}
