using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Display;
using Serilog.Formatting.Json;

namespace SweepCluster.Cli.Logging;

/// <summary>
/// Builds the process logger: readable lines on standard error for people (standard output stays
/// machine-readable), and optionally JSON lines in a file for machines. Every event carries the node.
/// </summary>
public static class CliLogging
{
    public const string ReadableTemplate = "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}";

    public static Logger Create(TextWriter error, bool verbose, IEnumerable<string>? jsonFiles = null, bool console = true, bool consoleJson = false, LogEventLevel? consoleLevel = null)
    {
        var config = new LoggerConfiguration()
            .MinimumLevel.Debug()
            .Enrich.WithProperty("Host", Environment.MachineName)
            .Enrich.WithProperty("ProcessId", Environment.ProcessId);
        if (console)
        {
            Serilog.Formatting.ITextFormatter formatter = consoleJson
                ? new JsonFormatter(renderMessage: true)
                : new MessageTemplateTextFormatter(ReadableTemplate, System.Globalization.CultureInfo.InvariantCulture);
            config = config.WriteTo.Sink(new TextWriterSink(error, formatter), consoleLevel ?? (verbose ? LogEventLevel.Debug : LogEventLevel.Information));
        }

        foreach (string file in (jsonFiles ?? []).Distinct())
        {
            string? dir = Path.GetDirectoryName(Path.GetFullPath(file));
            if (dir is not null)
            {
                Directory.CreateDirectory(dir);
            }

            // shared: several processes (workers, coordinator) may append to the same file.
            var fileLogger = new LoggerConfiguration().MinimumLevel.Debug().WriteTo.File(new JsonFormatter(renderMessage: true), file, shared: true).CreateLogger();
            config = config.WriteTo.Sink(new FailSafeSink(fileLogger), LogEventLevel.Debug);
        }

        return config.CreateLogger();
    }
}
