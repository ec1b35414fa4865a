using SweepCluster.Sweeps.Reports.Svg;

namespace SweepCluster.Sweeps.Tests.Reports;

public class ScaleTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(0.3)]
    [InlineData(1.7)]
    [InlineData(-5.0)]
    [InlineData(12.5)]
    public void LinearMapAndInvertRoundTrip(double value)
    {
        var scale = new LinearScale(0, 1.7, 400, 80);
        Assert.Equal(value, scale.Invert(scale.Map(value)), 12);
    }

    [Fact]
    public void LinearMapsTheDomainEndsToTheRangeEndsEvenWhenTheRangeRunsBackwards()
    {
        var scale = new LinearScale(-1, 3, 400, 80);
        Assert.Equal(400, scale.Map(-1), 12);
        Assert.Equal(80, scale.Map(3), 12);
        Assert.Equal(240, scale.Map(1), 12);
    }

    [Fact]
    public void LinearTicksOnZeroTo1Point7AreHalfSteps()
    {
        var ticks = new LinearScale(0, 1.7, 0, 500).Ticks();
        Assert.Equal([0.0, 0.5, 1.0, 1.5], ticks.Select(t => t.Value));
        Assert.Equal(["0.0", "0.5", "1.0", "1.5"], ticks.Select(t => t.Label!.Text));
        Assert.All(ticks, t => Assert.True(t.IsMajor));
    }

    [Fact]
    public void LinearTickValuesAreTheDecimalNumbersTheyShow()
    {
        // 0.1 * 3 is 0.30000000000000004 in binary; a tick must be the double nearest 0.3.
        var ticks = new LinearScale(0, 1, 0, 500).Ticks(10);
        Assert.Contains(0.3, ticks.Select(t => t.Value));
        Assert.Contains(0.7, ticks.Select(t => t.Value));
        Assert.Equal("0.3", ticks.Single(t => t.Value == 0.3).Label!.Text);
    }

    [Theory]
    [InlineData(0, 1.7, 6)]
    [InlineData(0.013, 870, 6)]
    [InlineData(-3.2, 4.9, 5)]
    [InlineData(1e-7, 3e-6, 6)]
    [InlineData(123456, 9876543, 4)]
    public void LinearTicksUseOneTwoFiveStepsAndStayInTheDomain(double min, double max, int target)
    {
        var ticks = new LinearScale(min, max, 0, 500).Ticks(target);
        Assert.InRange(ticks.Count, 2, 2 * target);
        Assert.All(ticks, t => Assert.InRange(t.Value, min - 1e-12, max + 1e-12));
        double step = ticks[1].Value - ticks[0].Value;
        double mantissa = step / Math.Pow(10, Math.Floor(Math.Log10(step)));
        Assert.Contains(Math.Round(mantissa, 6), new[] { 1.0, 2.0, 5.0 });
    }

    [Fact]
    public void ADomainAtTheLimitOfDoublePrecisionStillGetsFewDistinctTicks()
    {
        var ticks = new LinearScale(1e6, 1e6 + 1e-9, 0, 500).Ticks();
        Assert.InRange(ticks.Count, 2, 12);
        Assert.All(ticks, t => Assert.True(double.IsFinite(t.Value)));
    }

    [Fact]
    public void NiceLinearDomainEndsOnTicks()
    {
        var scale = LinearScale.Nice(0.4, 19.7, 0, 500);
        Assert.Equal(0, scale.DomainMin);
        Assert.Equal(20, scale.DomainMax);
        Assert.Equal(0, scale.Ticks()[0].Value);
        Assert.Equal(20, scale.Ticks()[^1].Value);
    }

    [Fact]
    public void NiceLinearDomainAroundASingleValue()
    {
        var scale = LinearScale.Nice(5, 5, 0, 500);
        Assert.True(scale.DomainMin < 5 && scale.DomainMax > 5);
        var zero = LinearScale.Nice(0, 0, 0, 500);
        Assert.True(zero.DomainMin < 0 && zero.DomainMax > 0);
    }

    [Fact]
    public void LinearScaleRejectsNonFiniteValues()
    {
        var scale = new LinearScale(0, 1, 0, 100);
        Assert.False(scale.CanMap(double.NaN));
        Assert.False(scale.CanMap(double.PositiveInfinity));
        Assert.Throws<ArgumentOutOfRangeException>(() => scale.Map(double.NaN));
        Assert.Throws<ArgumentException>(() => new LinearScale(1, 1, 0, 100));
        Assert.Throws<ArgumentException>(() => new LinearScale(0, double.PositiveInfinity, 0, 100));
    }

    [Theory]
    [InlineData(0.013)]
    [InlineData(0.1)]
    [InlineData(1.0)]
    [InlineData(37.5)]
    [InlineData(870)]
    [InlineData(1e-3)]
    public void LogMapAndInvertRoundTrip(double value)
    {
        var scale = new LogScale(0.013, 870, 80, 700);
        Assert.Equal(value, scale.Invert(scale.Map(value)), value * 1e-12);
    }

    [Fact]
    public void LogMapsDecadesToEqualDistances()
    {
        var scale = new LogScale(1, 1000, 0, 300);
        Assert.Equal(0, scale.Map(1), 9);
        Assert.Equal(100, scale.Map(10), 9);
        Assert.Equal(200, scale.Map(100), 9);
        Assert.Equal(300, scale.Map(1000), 9);
    }

    [Fact]
    public void LogTicksOn0Point013To870()
    {
        var ticks = new LogScale(0.013, 870, 0, 600).Ticks();
        var majors = ticks.Where(t => t.IsMajor).ToList();
        Assert.Equal([0.1, 1.0, 10.0, 100.0], majors.Select(t => t.Value));
        Assert.Equal(["0.1", "1", "10", "100"], majors.Select(t => t.Label!.Text));

        // Minor ticks at 2..9 times every power inside the domain, unlabelled: 0.02..0.09, 0.2..0.9, 2..9,
        // 20..90 and 200..800 (900 is beyond 870, 0.01 before 0.013).
        var minors = ticks.Where(t => !t.IsMajor).ToList();
        Assert.Equal(39, minors.Count);
        Assert.All(minors, t => Assert.Null(t.Label));
        Assert.Equal(0.02, minors[0].Value);
        Assert.Equal(800, minors[^1].Value);
        Assert.Contains(0.3, minors.Select(t => t.Value));
        Assert.Equal(ticks.OrderBy(t => t.Value).Select(t => t.Value), ticks.Select(t => t.Value));
    }

    [Fact]
    public void LogTicksFarFromOneArePowersOfTenWithSuperscriptExponents()
    {
        var majors = new LogScale(2e-6, 3e3, 0, 600).Ticks(8).Where(t => t.IsMajor).ToList();
        Assert.Equal(Enumerable.Range(-5, 9).Select(e => (int?)e), majors.Select(t => t.Label!.Exponent));
        Assert.Equal("10^-2", majors.Single(t => t.Value == 0.01).Label!.Text);
        Assert.Equal("10", majors.Single(t => t.Value == 0.01).Label!.Base);
    }

    [Fact]
    public void LogTicksOverManyDecadesLabelEveryFewPowers()
    {
        var ticks = new LogScale(1e-20, 1e10, 0, 600).Ticks();
        var majors = ticks.Where(t => t.IsMajor).ToList();
        Assert.InRange(majors.Count, 4, 10);
        Assert.All(majors, t => Assert.NotNull(t.Label!.Exponent));

        // The unlabelled powers remain as minor ticks; there are no 2..9 marks at this density.
        Assert.Equal(31, ticks.Count);
    }

    [Fact]
    public void LogTicksOverTwoDecadesAlsoLabelTheTwoAndFiveMarks()
    {
        var labelled = new LogScale(17, 2300, 0, 600).Ticks().Where(t => t.Label is not null).Select(t => t.Label!.Text);
        Assert.Equal(["20", "50", "100", "200", "500", "1000", "2000"], labelled);
    }

    [Fact]
    public void LogTicksWithinLessThanADecadeLabelEveryMark()
    {
        var labelled = new LogScale(0.25, 0.85, 0, 600).Ticks().Where(t => t.Label is not null).Select(t => t.Label!.Text);
        Assert.Equal(["0.3", "0.4", "0.5", "0.6", "0.7", "0.8"], labelled);
    }

    [Fact]
    public void LogScaleHasNoPlaceForZeroOrNegativeValues()
    {
        var scale = new LogScale(0.1, 10, 0, 100);
        Assert.False(scale.CanMap(0));
        Assert.False(scale.CanMap(-1));
        Assert.False(scale.CanMap(double.PositiveInfinity));
        Assert.Throws<ArgumentOutOfRangeException>(() => scale.Map(0));
        Assert.Throws<ArgumentException>(() => new LogScale(0, 10, 0, 100));
    }

    [Fact]
    public void PaddedLogDomainContainsTheData()
    {
        var scale = LogScale.Padded(20, 2000, 0, 500);
        Assert.True(scale.DomainMin < 20 && scale.DomainMax > 2000);
        Assert.True(scale.DomainMin > 10 && scale.DomainMax < 4000);
        var single = LogScale.Padded(5, 5, 0, 500);
        Assert.True(single.DomainMin < 5 && single.DomainMax > 5);
    }

    [Fact]
    public void TickLabelsInScientificForm()
    {
        Assert.Equal("2.5×10^4", TickLabel.Scientific(25000).Text);
        Assert.Equal("10^-3", TickLabel.Scientific(0.001).Text);
        Assert.Equal("-3×10^-7", TickLabel.Scientific(-3e-7).Text);
        Assert.Equal("10^3", TickLabel.Scientific(999.9999).Text);
        Assert.Equal("0", TickLabel.Scientific(0).Text);
        Assert.Equal("0.00", TickLabel.Plain(-0.0001, 2).Text);
    }
}
