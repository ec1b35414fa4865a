using System.Xml.Linq;
using SweepCluster.Sweeps.Reports.Svg;

namespace SweepCluster.Sweeps.Tests.Reports;

public class SvgWriterTests
{
    [Fact]
    public void EscapesTheFiveMarkupCharacters()
    {
        Assert.Equal("a &amp; b &lt;c&gt; &quot;d&quot; &#39;e&#39;", SvgWriter.Escape("a & b <c> \"d\" 'e'"));
    }

    [Fact]
    public void DropsCharactersXmlDoesNotAllowAndKeepsEverythingElse()
    {
        Assert.Equal("ab\tc\nd", SvgWriter.Escape("a\u0000b\tc\nd\u001b"));
        Assert.Equal("x", SvgWriter.Escape("x\ud800"));
        Assert.Equal("κ ± √ 😀", SvgWriter.Escape("κ ± √ 😀"));
    }

    [Fact]
    public void TextAndAttributesAreEscapedAndTheResultParses()
    {
        string hostile = "</text><script>alert('x')</script> & \"q\"";
        var svg = new SvgWriter()
            .Start("svg", ("xmlns", "http://www.w3.org/2000/svg"), ("aria-label", hostile))
            .Element("text", hostile, ("x", "1"))
            .End()
            .ToString();

        Assert.DoesNotContain("<script", svg, StringComparison.Ordinal);
        var root = XElement.Parse(svg);
        Assert.Equal(hostile, root.Attribute("aria-label")!.Value);
        Assert.Equal(hostile, root.Elements().Single().Value);
    }

    [Fact]
    public void TextContentGetsNoAddedWhiteSpace()
    {
        // A line break between "10" and the exponent would render as a space.
        string svg = new SvgWriter().Start("text").Text("10").Element("tspan", "-2", ("baseline-shift", "super")).End().ToString();
        Assert.Equal("<text>10<tspan baseline-shift=\"super\">-2</tspan></text>\n", svg);
    }

    [Fact]
    public void NullAttributesAreLeftOut()
    {
        Assert.Equal("<line x1=\"0\"/>\n", new SvgWriter().Empty("line", ("x1", "0"), ("stroke-dasharray", null)).ToString());
    }

    [Fact]
    public void UnbalancedElementsAreErrors()
    {
        Assert.Throws<InvalidOperationException>(() => new SvgWriter().Start("g").ToString());
        Assert.Throws<InvalidOperationException>(() => new SvgWriter().End());
    }

    [Theory]
    [InlineData(1.0, "1")]
    [InlineData(1.234567, "1.23")]
    [InlineData(-0.001, "0")]
    [InlineData(1e6, "1000000")]
    public void CoordinatesAreShortInvariantNumbers(double value, string expected) => Assert.Equal(expected, SvgWriter.Number(value));

    [Fact]
    public void NonFiniteCoordinatesAreErrors() => Assert.Throws<ArgumentOutOfRangeException>(() => SvgWriter.Number(double.NaN));
}
