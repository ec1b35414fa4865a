using SweepCluster.Cli.Tests.Support;

namespace SweepCluster.Cli.Tests.Commands;

/// <summary>Settings files (--config) through the real CLI: a misspelt setting is refused, a retired one only mentioned.</summary>
public sealed class ConfigurationTests
{
    private const string Grid = "name: tiny\nd: 20\nN: 10\n";

    [Fact]
    public void AnUnknownSettingIsRefusedByNameAndNothingIsWritten()
    {
        using var folder = new TempFolder("config-unknown");
        folder.Write("grid.yaml", Grid);
        folder.Write("settings.json", """{ "Sweep": { "HeartbeatIntervalSecs": 1 } }""");
        var before = folder.Files();

        var result = CliProcess.Run(TimeSpan.FromMinutes(1), folder.Path, "run", "grid.yaml", "--config", "settings.json");

        Assert.True(result.ExitCode == 2, $"exit {result.ExitCode}:\n{result.Stderr}");
        Assert.Contains("unknown setting Sweep:HeartbeatIntervalSecs", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("docs/configuration.md", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, folder.Files());
    }

    [Fact]
    public void ASettingOfTheRetiredLeaseEngineIsIgnoredWithAWarning()
    {
        using var folder = new TempFolder("config-retired");
        folder.Write("grid.yaml", Grid);
        folder.Write("settings.json", """{ "Sweep": { "LeaseDurationSeconds": 20, "ProgressIntervalSeconds": 1 } }""");

        var result = CliProcess.Run(TimeSpan.FromMinutes(2), folder.Path, "run", "grid.yaml", "--config", "settings.json");

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}:\n{result.Stderr}\n{result.Stdout}");
        Assert.Contains("warning: configuration: Sweep:LeaseDurationSeconds is no longer used", result.Stderr, StringComparison.Ordinal);
    }
}
