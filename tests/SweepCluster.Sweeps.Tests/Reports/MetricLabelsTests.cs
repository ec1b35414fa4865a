using SweepCluster.Sweeps.Reports;

namespace SweepCluster.Sweeps.Tests.Reports;

public class MetricLabelsTests
{
    [Theory]
    [InlineData("eps_test_tavg", "test loss εₜₑₛₜ (noise prediction, t-average)")]
    [InlineData("data_train_t500", "train loss ℓₜᵣₐᵢₙ (data prediction, t = 500)")]
    [InlineData("dkl_ddpm_rev", "KL(data ‖ gen) / d (DDPM sampler)")]
    [InlineData("seconds", "seconds")]
    public void AMetricIsNamedInWordsAndSymbols(string column, string label) => Assert.Equal(label, MetricLabels.Describe(column));

    [Fact]
    public void SeveralMetricsShareTheQualifiersTheyHaveInCommonAndTheLegendKeepsTheRest()
    {
        string[] losses = ["eps_test_tavg", "eps_train_tavg"];
        Assert.Equal("test loss εₜₑₛₜ, train loss εₜᵣₐᵢₙ (noise prediction, t-average)", MetricLabels.Describe(losses));
        Assert.Equal("train loss εₜᵣₐᵢₙ", MetricLabels.InPanel("eps_train_tavg", losses));

        string[] kls = ["dkl_ideal_fwd", "dkl_ddpm_fwd"];
        Assert.Equal("KL(gen ‖ data) / d", MetricLabels.Describe(kls));
        Assert.Equal("KL(gen ‖ data) / d (DDPM sampler)", MetricLabels.InPanel("dkl_ddpm_fwd", kls));
    }
}
