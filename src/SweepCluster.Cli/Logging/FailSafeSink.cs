using Serilog.Core;
using Serilog.Debugging;
using Serilog.Events;

namespace SweepCluster.Cli.Logging;

/// <summary>
/// A log file is a witness, not the work: when its disk fills (often the store's disk too), a write or the final
/// flush must not turn into the command's error or hide the real one. Failures go to Serilog's SelfLog.
/// </summary>
internal sealed class FailSafeSink(Logger inner) : ILogEventSink, IDisposable
{
    public void Emit(LogEvent logEvent)
    {
        try
        {
            inner.Write(logEvent);
        }
        catch (IOException e)
        {
            SelfLog.WriteLine("Writing a log event failed: {0}", e.Message);
        }
    }

    public void Dispose()
    {
        try
        {
            inner.Dispose();
        }
        catch (IOException e)
        {
            SelfLog.WriteLine("Closing a log file failed: {0}", e.Message);
        }
    }
}
