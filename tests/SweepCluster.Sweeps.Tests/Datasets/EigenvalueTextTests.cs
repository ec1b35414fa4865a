using SweepCluster.Model.Spectra;
using SweepCluster.Sweeps.Datasets;

namespace SweepCluster.Sweeps.Tests.Datasets;

public sealed class EigenvalueTextTests
{
    [Fact]
    public void TheTextReadsBackAsTheSameDoubles()
    {
        double[] values = [19.80980567304379, 1.0 / 3, 1e-7 / 3, 5e-300];
        string text = EigenvalueText.Format(["first line", "", "two\nlines"], values);

        Assert.StartsWith("# first line\n#\n# two\n# lines\n", text, StringComparison.Ordinal);
        var spectrum = EigenvalueFile.Parse(text, "x.txt", normalize: false);
        Assert.Equal(values[..3], spectrum.Eigenvalues.ToArray());
    }

    [Fact]
    public void NonFiniteValuesAreRefused()
    {
        Assert.Throws<ArgumentException>(() => EigenvalueText.Format([], [1, double.NaN]));
    }
}
