using Microsoft.Extensions.Configuration;
using SweepCluster.Cli.Commands;

namespace SweepCluster.Cli.Configuration;

/// <summary>Reads <see cref="SweepSettings"/>: defaults, then a JSON file (--config or SWEEP_CONFIG), then Sweep__* environment variables.</summary>
public static class SweepConfigurationLoader
{
    public const string FileVariable = "SWEEP_CONFIG";

    public static SweepSettings Load(string? configFile)
    {
        string? file = configFile ?? Environment.GetEnvironmentVariable(FileVariable);
        var builder = new ConfigurationBuilder();
        if (!string.IsNullOrWhiteSpace(file))
        {
            if (!File.Exists(file))
            {
                throw new CommandInputException($"--config: {file} does not exist");
            }

            builder.AddJsonFile(Path.GetFullPath(file), optional: false);
        }

        builder.AddEnvironmentVariables();
        SweepSettings settings = new();
        try
        {
            builder.Build().GetSection("Sweep").Bind(settings);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or InvalidDataException)
        {
            throw new CommandInputException($"configuration: {e.Message}{(e.InnerException is null ? string.Empty : " " + e.InnerException.Message)}");
        }

        var errors = settings.Validate();
        if (errors.Count > 0)
        {
            throw new CommandInputException("configuration: " + string.Join("; ", errors));
        }

        return settings;
    }
}
