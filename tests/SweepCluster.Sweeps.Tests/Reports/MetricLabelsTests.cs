using SweepCluster.Sweeps.Reports;

namespace SweepCluster.Sweeps.Tests.Reports;

public sealed class MetricLabelsTests
{
    [Theory]
    [InlineData("eps_test", "test loss ε, noise prediction")]
    [InlineData("eps_train_tavg", "train loss ε_train, noise prediction (t-average)")]
    [InlineData("dkl_ideal_fwd", "KL(gen ‖ data) per dimension, ideal sampler")]
    [InlineData("not_a_metric", "not_a_metric")]
    public void ALabelSaysInWordsAndSymbolsWhatTheMetricIs(string column, string label) =>
        Assert.Equal(label, MetricLabels.Describe(column));

    [Fact]
    public void SeveralMetricsOnOneAxisAreLabelledByWhatTheyShare()
    {
        Assert.Equal("loss ε (eps_test, eps_train)", MetricLabels.DescribeAll(["eps_test", "eps_train"]));
        Assert.Equal("KL per dimension (dkl_ideal_fwd, dkl_ddpm_fwd)", MetricLabels.DescribeAll(["dkl_ideal_fwd", "dkl_ddpm_fwd"]));
        Assert.Equal("eps_test, dkl_ideal_fwd", MetricLabels.DescribeAll(["eps_test", "dkl_ideal_fwd"]));
        Assert.Equal(MetricLabels.Describe("eps_test"), MetricLabels.DescribeAll(["eps_test"]));
    }
}
