using SweepCluster.Model.Spectra;

namespace SweepCluster.Model.Tests.Spectra;

public class EigenvalueFileTests
{
    [Fact]
    public void ValuesAreSortedDescendingAndRenormalisedToUnitMeanVariance()
    {
        var s = EigenvalueFile.Parse("# eigenvalues\n1 4\n2\t3\n", "e.txt");
        Assert.Equal(new[] { 1.6, 1.2, 0.8, 0.4 }, s.Eigenvalues.ToArray().Select(v => Math.Round(v, 12)));
        Assert.Equal(4.0, s.Trace, 12);
    }

    [Fact]
    public void WithoutNormalisationValuesAreKeptAndNegligibleOnesDropped()
    {
        var s = EigenvalueFile.Parse("3\n1\n1e-20\n-1e-17\n", "e.txt", normalize: false);
        Assert.Equal(new[] { 3.0, 1.0 }, s.Eigenvalues.ToArray());
    }

    [Fact]
    public void TheLargestDEigenvaluesAreKept()
    {
        var s = EigenvalueFile.Parse("1 2 3 4 5", "e.txt", d: 2, normalize: false);
        Assert.Equal(new[] { 5.0, 4.0 }, s.Eigenvalues.ToArray());
    }

    [Theory]
    [InlineData("1\n2\nabc\n", 3, "not a list of numbers")]
    [InlineData("1\nNaN\n", 2, "not a finite number")]
    [InlineData("", null, "no eigenvalues")]
    [InlineData("# only a comment\n", null, "no eigenvalues")]
    [InlineData("0 -1 -2", null, "zero or negative")]
    public void BadFilesNameTheFileAndTheLine(string text, int? line, string problem)
    {
        var e = Assert.Throws<SpectrumFormatException>(() => EigenvalueFile.Parse(text, "spec.txt"));
        Assert.Equal(line, e.Line);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("abc", e.Message, StringComparison.Ordinal);
        Assert.StartsWith(line is null ? "spec.txt:" : $"spec.txt:{line}:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TooFewEigenvaluesForDIsAnError()
    {
        var e = Assert.Throws<SpectrumFormatException>(() => EigenvalueFile.Parse("1 2 3", "spec.txt", d: 10));
        Assert.Contains("d = 10", e.Message, StringComparison.Ordinal);
    }
}
