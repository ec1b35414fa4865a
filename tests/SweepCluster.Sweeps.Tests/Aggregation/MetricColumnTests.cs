using System.Text.RegularExpressions;
using SweepCluster.Sweeps.Aggregation;

namespace SweepCluster.Sweeps.Tests.Aggregation;

public partial class MetricColumnTests
{
    [Theory]
    [InlineData("eps_test_tavg", null, "eps_test_tavg")]
    [InlineData("eps_test_t", 500, "eps_test_t500")]
    [InlineData("dkl_ddpm_fwd", null, "dkl_ddpm_fwd")]
    [InlineData("odd name-t", 3, "odd_name_t3")]
    [InlineData("a[b].c", null, "a_b__c")]
    public void NamesAreIdentifiersPandasTakesAsTheyAre(string metric, int? step, string expected)
    {
        string name = new MetricColumn(metric, step).Name;

        Assert.Equal(expected, name);
        Assert.Matches(Identifier(), name);
    }

    [Theory]
    [InlineData("eps_test_t[500]", "eps_test_t500")]
    [InlineData("eps_test_t500", "eps_test_t500")]
    [InlineData("dkl_ideal_fwd", "dkl_ideal_fwd")]
    [InlineData("eps_test_t[x]", "eps_test_t[x]")]
    [InlineData("[5]", "[5]")]
    public void TheOlderBracketSpellingNamesTheSameColumn(string asked, string expected) =>
        Assert.Equal(expected, MetricColumn.NormalizeName(asked));

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex Identifier();
}
