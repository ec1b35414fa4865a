using Microsoft.Extensions.Configuration;
using SweepCluster.Cli.Commands;
using SweepCluster.Sweeps.Files;

namespace SweepCluster.Cli.Configuration;

/// <summary>Reads <see cref="SweepSettings"/>: defaults, then a JSON file (--config or SWEEP_CONFIG), then Sweep__* environment variables.</summary>
public static class SweepConfigurationLoader
{
    public const string FileVariable = "SWEEP_CONFIG";

    /// <param name="configFile">The --config file, if given.</param>
    /// <param name="warnings">Where settings that are accepted but ignored are mentioned (standard error).</param>
    public static SweepSettings Load(string? configFile, TextWriter? warnings = null)
    {
        string? file = configFile ?? Environment.GetEnvironmentVariable(FileVariable);
        var builder = new ConfigurationBuilder();
        if (!string.IsNullOrWhiteSpace(file))
        {
            if (!File.Exists(file))
            {
                throw new CommandInputException($"--config: {file} does not exist");
            }

            if (RegularFile.WhatElse(file) is { } what)
            {
                throw new CommandInputException($"--config: {file} is {what}, not a regular file; give a JSON settings file");
            }

            builder.AddJsonFile(Path.GetFullPath(file), optional: false);
        }

        builder.AddEnvironmentVariables();
        SweepSettings settings = new();
        IConfigurationSection section;
        try
        {
            section = builder.Build().GetSection("Sweep");
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or IOException)
        {
            // The parser's message gives the line and position, not the text, so a wrong file's content stays out of the output.
            string why = (e.InnerException ?? e).Message.TrimEnd('.');
            throw new CommandInputException($"--config: {file} is not a valid JSON settings file ({why}); see docs/configuration.md");
        }

        CheckKeys(section, warnings ?? TextWriter.Null);
        try
        {
            section.Bind(settings);
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

    /// <summary>
    /// A misspelt setting would otherwise be ignored in silence and the default used: refuse it, naming it and where
    /// the known ones are listed. Settings of the retired SQL lease engine are only mentioned, so old files still work.
    /// </summary>
    private static void CheckKeys(IConfigurationSection section, TextWriter warnings)
    {
        var known = typeof(SweepSettings).GetProperties().Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var child in section.GetChildren())
        {
            if (SweepSettings.Retired.Contains(child.Key))
            {
                warnings.WriteLine($"warning: configuration: Sweep:{child.Key} is no longer used (the cluster coordinates through Akka.NET, not SQL leases); remove it");
            }
            else if (!known.Contains(child.Key))
            {
                throw new CommandInputException(
                    $"configuration: unknown setting Sweep:{child.Key} (from the --config file or a Sweep__{child.Key} environment variable); the settings are listed in docs/configuration.md");
            }
        }
    }
}
