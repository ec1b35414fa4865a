using SweepCluster.Sweeps.Aggregation;

namespace SweepCluster.Sweeps.Tests.Aggregation;

public class MetricOrderTests
{
    [Fact]
    public void LossesThenExcessThenKlThenOthersByName()
    {
        string[] expected =
        [
            "eps_test_tavg", "eps_test_t0", "eps_test_t5", "eps_test_t100", "eps_test_t999",
            "eps_train_tavg", "data_test_tavg", "data_test_t5", "data_opt_tavg",
            "eps_excess_tavg", "data_excess_tavg",
            "dkl_ideal_fwd", "dkl_ideal_rev", "dkl_ddpm_fwd", "dkl_ddpm_rev",
            "alpha", "zeta", "zeta_t3",
        ];
        MetricColumn[] columns =
        [
            new("zeta_t", 3), new("eps_test_t", 5), new("dkl_ddpm_rev", null), new("eps_test_t", 999), new("alpha", null), new("data_opt_tavg", null),
            new("eps_test_t", 100), new("data_excess_tavg", null), new("dkl_ideal_fwd", null), new("eps_test_tavg", null),
            new("zeta", null), new("data_test_t", 5), new("eps_train_tavg", null), new("dkl_ideal_rev", null),
            new("eps_excess_tavg", null), new("dkl_ddpm_fwd", null), new("data_test_tavg", null), new("eps_test_t", 0),
        ];

        Assert.Equal(expected, columns.Order(MetricOrder.Instance).Select(c => c.Name));
    }
}
