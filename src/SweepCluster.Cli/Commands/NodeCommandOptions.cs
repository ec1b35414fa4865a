using System.CommandLine;
using Serilog.Core;
using SweepCluster.Cli.Configuration;
using SweepCluster.Cli.Logging;

namespace SweepCluster.Cli.Commands;

/// <summary>Options shared by the long-running cluster processes (worker, coordinator): configuration, logs, HTTP port.</summary>
public sealed class NodeCommandOptions
{
    public StoreOptions Store { get; } = new();

    public Option<string?> Config { get; } = new("--config") { Description = $"Settings file (JSON, see docs/configuration.md). Default: ${SweepConfigurationLoader.FileVariable}, else built-in defaults; Sweep__* environment variables override it." };

    public Option<int?> HttpPort { get; } = new("--http-port") { Description = "Serve /healthz, /readyz and /metrics on this port (0 = off). Default: the HttpPort setting." };

    public Option<string?> LogJson { get; } = new("--log-json") { Description = "Also write JSON log lines to this file." };

    public Option<bool> Verbose { get; } = new("--verbose", "-v") { Description = "Log every unit on the console." };

    public Option<string[]> Seeds { get; } = new("--seed")
    {
        Description = "A seed node to join (akka.tcp://sweep@HOST:PORT; repeat for several). Default: the Seeds setting, else the coordinators that published their addresses in the store.",
        AllowMultipleArgumentsPerToken = false,
    };

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        Store.AddTo(command);
        command.Add(Config);
        command.Add(HttpPort);
        command.Add(LogJson);
        command.Add(Verbose);
        command.Add(Seeds);
    }

    public SweepSettings LoadSettings(ParseResult parse, TextWriter? warnings = null)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var settings = SweepConfigurationLoader.Load(parse.GetValue(Config), warnings);
        if (parse.GetValue(HttpPort) is int port)
        {
            if (port is < 0 or > 65535)
            {
                throw new CommandInputException($"--http-port: {port} is not a port; give 1 to 65535, or 0 for no HTTP endpoint");
            }

            settings.HttpPort = port;
        }

        return settings;
    }

    public Logger CreateLogger(ParseResult parse, SweepSettings settings, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(settings);
        string? file = parse.GetValue(LogJson);
        OutputFolder.EnsureWritableFor(file, "--log-json");
        return CliLogging.Create(error, parse.GetValue(Verbose), settings, file is null ? [] : [file]);
    }
}
