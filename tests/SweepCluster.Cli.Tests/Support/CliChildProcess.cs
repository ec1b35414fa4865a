using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace SweepCluster.Cli.Tests.Support;

/// <summary>
/// A running `sweep` child process (see <see cref="CliProcess.Start"/>): its output so far, waiting with a
/// time limit, SIGKILL and SIGTERM. Disposing it kills the process if it still runs, so a failing test
/// never leaves a child behind.
/// </summary>
public sealed class CliChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly string _description;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Task _stdoutPump;
    private readonly Task _stderrPump;

    internal CliChildProcess(ProcessStartInfo startInfo, string description)
    {
        _description = description;
        _process = new Process { StartInfo = startInfo };
        if (!_process.Start())
        {
            throw new InvalidOperationException("could not start dotnet");
        }

        Pid = _process.Id;
        _process.StandardInput.Close();

        // Raw character pumps rather than line events, so the collected output is exactly what was written.
        _stdoutPump = Task.Run(() => Pump(_process.StandardOutput, _stdout));
        _stderrPump = Task.Run(() => Pump(_process.StandardError, _stderr));
    }

    public int Pid { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>Time since the start.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    public string StdoutSoFar => Snapshot(_stdout);

    public string StderrSoFar => Snapshot(_stderr);

    /// <summary>True when the process has exited and been reaped: no process with its id is left.</summary>
    public bool IsGone => _process.HasExited && !Directory.Exists(Path.Combine("/proc", Pid.ToString(CultureInfo.InvariantCulture)));

    /// <summary>Waits for the exit; true when it exited within <paramref name="timeout"/> (its output is then complete).</summary>
    public bool TryWaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            return false;
        }

        // The pipes close when the process is gone (a grandchild could hold them: then give up after a while).
        Task.WaitAll([_stdoutPump, _stderrPump], TimeSpan.FromSeconds(10));
        return true;
    }

    /// <summary>Waits for the exit and returns the exit code and output; kills the process and throws after <paramref name="timeout"/>.</summary>
    public CliProcess.Result WaitForExit(TimeSpan timeout)
    {
        if (!TryWaitForExit(timeout))
        {
            KillTree();
            throw new TimeoutException($"sweep {_description} did not finish within {timeout}; stderr so far:\n{StderrSoFar}");
        }

        return new CliProcess.Result(_process.ExitCode, StdoutSoFar, StderrSoFar);
    }

    /// <summary>The exit code, once exited.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>SIGKILL: the process gets no chance to clean up (Process.Kill sends SIGKILL on Unix).</summary>
    public void KillHard() => _process.Kill(entireProcessTree: false);

    /// <summary>SIGTERM through kill(1), as an orchestrator or `kill PID` would send it.</summary>
    public void Terminate() => Signal("TERM");

    /// <summary>SIGINT through kill(1), as Ctrl-C would send it.</summary>
    public void Interrupt() => Signal("INT");

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                KillTree();
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
    }

    private void Signal(string name)
    {
        var psi = new ProcessStartInfo("kill") { UseShellExecute = false, RedirectStandardError = true };
        psi.ArgumentList.Add("-" + name);
        psi.ArgumentList.Add(Pid.ToString(CultureInfo.InvariantCulture));
        using var kill = Process.Start(psi) ?? throw new InvalidOperationException("could not start kill");
        string error = kill.StandardError.ReadToEnd();
        kill.WaitForExit();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{name} {Pid} failed ({kill.ExitCode}): {error}");
        }
    }

    private void KillTree()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // It exited meanwhile.
        }
    }

    private static void Pump(StreamReader source, StringBuilder target)
    {
        var buffer = new char[4096];
        int read;
        while ((read = source.Read(buffer, 0, buffer.Length)) > 0)
        {
            lock (target)
            {
                target.Append(buffer, 0, read);
            }
        }
    }

    private static string Snapshot(StringBuilder source)
    {
        lock (source)
        {
            return source.ToString();
        }
    }
}
