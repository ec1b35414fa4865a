using SweepCluster.Cli.Tests.Support;

namespace SweepCluster.Cli.Tests.Hardening;

/// <summary>--workers, --slots and the Slots setting have sane bounds (issue 12): a typo must not start 100,000 threads.</summary>
public sealed class SlotBoundsTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("run", "--workers", "0")]
    [InlineData("run", "--workers", "-3")]
    [InlineData("run", "--workers", "1025")]
    [InlineData("run", "--workers", "100000")]
    [InlineData("worker", "--slots", "0")]
    [InlineData("worker", "--slots", "5000")]
    public void SlotsOutsideOneTo1024AreRefusedBeforeAnythingStarts(string command, string option, string value)
    {
        using var folder = new TempFolder("slots");
        folder.Write("grid.yaml", "name: s\nd: 20\nN: 10\n");
        string[] args = command == "run"
            ? ["run", folder["grid.yaml"], "--store", folder["s.db"], option, value]
            : ["worker", "--store", folder["s.db"], option, value];

        var result = InProcessCli.Run(Bound, args);

        CliAssert.OneError(result, 2, $"{option}: {value} is out of range", "1 to 1024");
        Assert.False(File.Exists(folder["s.db"]));
    }

    [Fact]
    public void TheSlotsSettingHasTheSameBound()
    {
        using var folder = new TempFolder("slots-setting");
        string settings = folder.Write("settings.json", """{ "Sweep": { "Slots": 5000 } }""");

        var result = InProcessCli.Run(Bound, "worker", "--store", folder["s.db"], "--config", settings);

        CliAssert.OneError(result, 2, "Sweep:Slots must be 0 (one per core) to 1024, got 5000");
    }
}
