using Serilog;
using Serilog.Events;
using Serilog.Formatting.Display;

namespace SweepCluster.Cli.Logging;

/// <summary>Builds the process logger: readable lines on standard error, so standard output stays machine-readable.</summary>
public static class CliLogging
{
    public const string ReadableTemplate = "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}";

    public static ILogger Create(TextWriter error, bool verbose)
    {
        return new LoggerConfiguration()
            .MinimumLevel.Is(verbose ? LogEventLevel.Debug : LogEventLevel.Information)
            .Enrich.WithProperty("NodeId", Environment.MachineName)
            .WriteTo.Sink(new TextWriterSink(error, new MessageTemplateTextFormatter(ReadableTemplate, System.Globalization.CultureInfo.InvariantCulture)))
            .CreateLogger();
    }
}
