using System.Globalization;
using System.Text;

namespace SweepCluster.Sweeps.Reports.Svg;

/// <summary>
/// Builds SVG (XML) text. Every attribute value and text node goes through <see cref="Escape"/>, so data
/// (titles, labels, series names) can never break the markup. Elements other than text are put on lines of
/// their own; text content is written without added white space, which SVG would render as spaces.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "the only writer it makes is a StringWriter over its own StringBuilder, which holds no resource")]
public sealed class SvgWriter
{
    private readonly TextWriter _text;
    private readonly StringBuilder? _own;
    private readonly Stack<string> _open = new();
    private int _textDepth;

    /// <summary>Writes into a text of its own, which <see cref="ToString"/> returns.</summary>
    public SvgWriter()
    {
        _own = new StringBuilder();
        _text = new StringWriter(_own, CultureInfo.InvariantCulture);
    }

    /// <summary>Writes straight into <paramref name="target"/> (a report page streamed to its file: a figure of 10^5 points is tens of megabytes).</summary>
    public SvgWriter(TextWriter target)
    {
        ArgumentNullException.ThrowIfNull(target);
        _text = target;
    }

    /// <summary>Opens an element; null attribute values are left out.</summary>
    public SvgWriter Start(string name, params (string Name, string? Value)[] attributes)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        WriteTag(name, attributes);
        _text.Write('>');
        _open.Push(name);
        if (IsText(name))
        {
            _textDepth++;
        }
        else
        {
            NewLine();
        }

        return this;
    }

    /// <summary>
    /// Opens the root of a figure: its size and view box, an accessible name, the report's font, a white background and
    /// the &lt;title&gt; a browser shows on hover. <paramref name="standalone"/> adds the namespace a separate .svg file needs.
    /// </summary>
    public SvgWriter StartFigure(string title, int width, int height, bool standalone, string cssClass)
    {
        string w = width.ToString(CultureInfo.InvariantCulture), h = height.ToString(CultureInfo.InvariantCulture);
        Start(
            "svg",
            ("xmlns", standalone ? "http://www.w3.org/2000/svg" : null),
            ("width", w),
            ("height", h),
            ("viewBox", $"0 0 {w} {h}"),
            ("role", "img"),
            ("aria-label", title),
            ("font-family", "DejaVu Sans, Helvetica, Arial, sans-serif"),
            ("font-size", "12"),
            ("class", cssClass));
        Element("title", title);
        return Empty("rect", ("width", w), ("height", h), ("fill", "#ffffff"));
    }

    /// <summary>Closes the innermost open element.</summary>
    /// <exception cref="InvalidOperationException">No element is open.</exception>
    public SvgWriter End()
    {
        if (_open.Count == 0)
        {
            throw new InvalidOperationException("no element is open");
        }

        string name = _open.Pop();
        _text.Write("</");
        _text.Write(name);
        _text.Write('>');
        if (IsText(name))
        {
            _textDepth--;
        }

        NewLine();
        return this;
    }

    /// <summary>An element without content ("&lt;circle .../&gt;").</summary>
    public SvgWriter Empty(string name, params (string Name, string? Value)[] attributes)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        WriteTag(name, attributes);
        _text.Write("/>");
        NewLine();
        return this;
    }

    /// <summary>Escaped character data inside the open element.</summary>
    public SvgWriter Text(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        _text.Write(Escape(text));
        return this;
    }

    /// <summary>An element holding only text.</summary>
    public SvgWriter Element(string name, string text, params (string Name, string? Value)[] attributes) =>
        Start(name, attributes).Text(text).End();

    /// <summary>The markup written so far.</summary>
    /// <exception cref="InvalidOperationException">An element is still open.</exception>
    /// <exception cref="InvalidOperationException">The writer writes into a target of the caller's.</exception>
    public override string ToString() => _open.Count > 0
        ? throw new InvalidOperationException($"<{_open.Peek()}> is still open")
        : _own?.ToString() ?? throw new InvalidOperationException("the markup went to the caller's writer");

    /// <summary>
    /// Text safe in XML content and in quoted attribute values: the five markup characters become entities,
    /// and characters XML 1.0 does not allow at all (most control characters, unpaired surrogates) are dropped.
    /// </summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var escaped = new StringBuilder(text.Length + 16);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            switch (c)
            {
                case '&':
                    escaped.Append("&amp;");
                    break;
                case '<':
                    escaped.Append("&lt;");
                    break;
                case '>':
                    escaped.Append("&gt;");
                    break;
                case '"':
                    escaped.Append("&quot;");
                    break;
                case '\'':
                    escaped.Append("&#39;");
                    break;
                case '\t' or '\n' or '\r':
                    escaped.Append(c);
                    break;
                case < ' ' or '\uFFFE' or '\uFFFF':
                    break;
                default:
                    if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                    {
                        escaped.Append(c).Append(text[++i]);
                    }
                    else if (!char.IsSurrogate(c))
                    {
                        escaped.Append(c);
                    }

                    break;
            }
        }

        return escaped.ToString();
    }

    /// <summary>A coordinate: invariant culture, at most two decimals (a hundredth of a pixel is plenty).</summary>
    public static string Number(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "SVG coordinates must be finite");
        }

        string text = Math.Round(value, 2).ToString("0.##", CultureInfo.InvariantCulture);
        return text == "-0" ? "0" : text;
    }

    private static bool IsText(string name) => name is "text" or "tspan" or "title";

    private void WriteTag(string name, (string Name, string? Value)[] attributes)
    {
        _text.Write('<');
        _text.Write(name);
        foreach (var (attribute, value) in attributes)
        {
            if (value is not null)
            {
                _text.Write(' ');
                _text.Write(attribute);
                _text.Write("=\"");
                _text.Write(Escape(value));
                _text.Write('"');
            }
        }
    }

    private void NewLine()
    {
        if (_textDepth == 0)
        {
            _text.Write('\n');
        }
    }
}
