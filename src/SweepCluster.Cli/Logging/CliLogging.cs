using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Compact;
using Serilog.Formatting.Display;
using SweepCluster.Cli.Configuration;

namespace SweepCluster.Cli.Logging;

/// <summary>
/// Builds the process logger: readable lines on standard error for people (standard output stays
/// machine-readable), and JSON lines in files for machines. Machine lines are CLEF (Serilog's compact JSON, with
/// the rendered message), which jq, Seq and Loki read as they are. Every event carries the host and process.
/// </summary>
public static class CliLogging
{
    public const string ReadableTemplate = "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}";

    /// <summary>
    /// The logger of a command that honours the LogLevel and LogFormat settings (Sweep__LogLevel, Sweep__LogFormat):
    /// --verbose lowers the console to Debug; JSON files always get Debug.
    /// </summary>
    public static Logger Create(TextWriter error, bool verbose, SweepSettings settings, IEnumerable<string> jsonFiles)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var level = verbose ? LogEventLevel.Debug : Enum.Parse<LogEventLevel>(settings.LogLevel);
        return Create(error, verbose, jsonFiles, console: true, consoleJson: settings.LogFormat == "json", consoleLevel: level);
    }

    public static Logger Create(TextWriter error, bool verbose, IEnumerable<string>? jsonFiles = null, bool console = true, bool consoleJson = false, LogEventLevel? consoleLevel = null)
    {
        var config = new LoggerConfiguration()
            .MinimumLevel.Debug()
            .Enrich.WithProperty("Host", Environment.MachineName)
            .Enrich.WithProperty("ProcessId", Environment.ProcessId);
        if (console)
        {
            Serilog.Formatting.ITextFormatter formatter = consoleJson
                ? new RenderedCompactJsonFormatter()
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
            var fileLogger = new LoggerConfiguration().MinimumLevel.Debug().WriteTo.File(new RenderedCompactJsonFormatter(), file, shared: true).CreateLogger();
            config = config.WriteTo.Sink(new FailSafeSink(fileLogger), LogEventLevel.Debug);
        }

        return config.CreateLogger();
    }
}
