using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace SweepCluster.Cli.Logging;

/// <summary>Writes formatted events to a given writer (standard error in production, a capture in tests).</summary>
public sealed class TextWriterSink : ILogEventSink
{
    private readonly TextWriter _writer;
    private readonly ITextFormatter _formatter;

    // Events may come from several compute threads at once; a line must never interleave with another.
    private readonly Lock _gate = new();

    public TextWriterSink(TextWriter writer, ITextFormatter formatter)
    {
        _writer = writer ?? throw new ArgumentNullException(nameof(writer));
        _formatter = formatter ?? throw new ArgumentNullException(nameof(formatter));
    }

    public void Emit(LogEvent logEvent)
    {
        lock (_gate)
        {
            _formatter.Format(logEvent, _writer);
            _writer.Flush();
        }
    }
}
