using SweepCluster.Sweeps.Exports;

namespace SweepCluster.Sweeps.Tests.Exports;

public class SweepExportersTests
{
    [Fact]
    public void FormatsAreFoundByName()
    {
        Assert.IsType<CsvSweepExporter>(SweepExporters.Get("csv"));
        Assert.IsType<JsonLinesSweepExporter>(SweepExporters.Get("jsonl"));
        Assert.IsType<ParquetSweepExporter>(SweepExporters.Get("parquet"));
        var e = Assert.Throws<ArgumentException>(() => SweepExporters.Get("xlsx"));
        Assert.Contains("csv, jsonl, parquet", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("eps", LossSelection.Eps)]
    [InlineData("data", LossSelection.Data)]
    [InlineData("both", LossSelection.Both)]
    public void LossSelectionsRoundTrip(string name, LossSelection selection)
    {
        Assert.Equal(selection, LossSelections.Parse(name));
        Assert.Equal(name, LossSelections.ToName(selection));
    }

    [Fact]
    public void AnUnknownLossSelectionIsAnError() => Assert.Throws<FormatException>(() => LossSelections.Parse("kl"));
}
