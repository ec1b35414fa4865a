using System.Text.Json;
using SweepCluster.Cli.Tests.Support;

namespace SweepCluster.Cli.Tests.Observability;

/// <summary>The machine logs are CLEF, and `run` takes its console format and level from the settings like the cluster processes.</summary>
public sealed class LogFormatTests
{
    private const string Grid = "name: clef\nd: 20\nN: [10, 20]\nc: [0, 0.1]\nseeds: 2\ntheory: true\n";

    [Fact]
    public void Run_honours_LogFormat_and_LogLevel_and_every_unit_line_names_sweep_unit_node_and_attempt()
    {
        using var folder = new TempFolder("clef");
        folder.Write("grid.yaml", Grid);
        var environment = new Dictionary<string, string?> { ["Sweep__LogFormat"] = "json", ["Sweep__LogLevel"] = "Debug" };
        using var run = CliProcess.Start(folder.Path, environment, "run", "grid.yaml", "--store", "sweeps/clef.db", "--workers", "1");
        var result = run.WaitForExit(TimeSpan.FromMinutes(4));
        Assert.True(result.ExitCode == 0, result.Stderr);

        // The console: nothing but CLEF, Debug lines included (Information is the default level).
        var console = Lines(result.Stderr);
        Assert.NotEmpty(console);
        Assert.All(console, line => Assert.True(line.TryGetProperty("@t", out _) && line.TryGetProperty("@m", out _), line.GetRawText()));
        Assert.Contains(console, line => line.TryGetProperty("@l", out var level) && level.GetString() == "Debug");

        // The file beside the store: every line about a unit carries its sweep, node and attempt.
        var file = Lines(File.ReadAllText(folder["sweeps/clef.log.jsonl"]));
        var unitLines = file.Where(line => line.TryGetProperty("UnitId", out _)).ToList();
        Assert.NotEmpty(unitLines);
        Assert.All(unitLines, line =>
        {
            Assert.Equal("clef", line.GetProperty("SweepId").GetString());
            Assert.StartsWith("run-", line.GetProperty("NodeId").GetString(), StringComparison.Ordinal);
            Assert.True(line.GetProperty("Attempt").GetInt32() >= 1, line.GetRawText());
        });
    }

    [Fact]
    public void Without_settings_run_writes_readable_lines_at_Information()
    {
        using var folder = new TempFolder("text-log");
        folder.Write("grid.yaml", Grid);
        var result = CliProcess.Run(TimeSpan.FromMinutes(4), folder.Path, "run", "grid.yaml", "--store", "sweeps/clef.db", "--workers", "1");
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("INF] ", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("DBG] ", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("\"@t\"", result.Stderr, StringComparison.Ordinal);
    }

    private static List<JsonElement> Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line =>
            {
                try
                {
                    return JsonDocument.Parse(line).RootElement.Clone();
                }
                catch (JsonException e)
                {
                    throw new Xunit.Sdk.XunitException($"not a JSON line ({e.Message}): {line}");
                }
            })
            .ToList();
}
