namespace SweepCluster.Cli.Output;

/// <summary>
/// Where `status` puts each look at a sweep: the text once, JSON, or with --watch the text redrawn in place on a
/// terminal (ANSI cursor up and erase below) and otherwise one line per look, so that a log file gets no escape codes.
/// </summary>
public sealed class StatusView
{
    private readonly TextWriter _output;
    private readonly bool _json;
    private readonly bool _inPlace;
    private int _linesShown;

    public StatusView(TextWriter output, bool json, bool watch, TimeSpan interval)
    {
        _output = output;
        _json = json;
        Watching = watch;
        Interval = interval;
        _inPlace = watch && !json && ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
    }

    public bool Watching { get; }

    public TimeSpan Interval { get; }

    public void Show(SweepStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        if (_json)
        {
            _output.WriteLine(StatusJson.Write(status));
        }
        else if (!Watching)
        {
            StatusText.Write(_output, status);
        }
        else if (!_inPlace)
        {
            _output.WriteLine(StatusText.Line(status));
        }
        else
        {
            var text = new StringWriter();
            StatusText.Write(text, status);
            string shown = text.ToString();
            _output.Write((_linesShown > 0 ? $"\u001b[{_linesShown}A\u001b[J" : string.Empty) + shown);
            _linesShown = shown.Count(ch => ch == '\n');
        }

        _output.Flush();
    }
}
