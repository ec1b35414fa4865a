using System.Diagnostics;
using SweepCluster.Deployment.Tests.Support;

namespace SweepCluster.Deployment.Tests;

/// <summary>
/// k8s/base/submit-grids.sh, the init container that submits the grids, run with /bin/sh against a
/// stand-in `sweep` that records its arguments and exits with scripted codes.
/// </summary>
public sealed class SubmitScriptTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sweep-submit-").FullName;

    public SubmitScriptTests()
    {
        Directory.CreateDirectory(GridsDir);
    }

    private string GridsDir => Path.Combine(_dir, "grids");

    private string CallsFile => Path.Combine(_dir, "calls");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [UnixFact]
    public void Submits_every_yaml_grid_with_the_store_file()
    {
        File.WriteAllText(Path.Combine(GridsDir, "a.yaml"), "name: a\n");
        File.WriteAllText(Path.Combine(GridsDir, "b.yml"), "name: b\n");
        File.WriteAllText(Path.Combine(GridsDir, "spectrum.txt"), "1\n");
        var (code, _) = Run([]);
        Assert.Equal(0, code);
        Assert.Equal(
            [$"submit {GridsDir}/a.yaml --store-file /secret/store-url", $"submit {GridsDir}/b.yml --store-file /secret/store-url"],
            Calls());
    }

    [UnixFact]
    public void Retries_while_the_store_is_unreachable()
    {
        File.WriteAllText(Path.Combine(GridsDir, "a.yaml"), "name: a\n");
        var (code, error) = Run([1, 1, 0]);
        Assert.Equal(0, code);
        Assert.Equal(3, Calls().Count);
        Assert.Contains("retrying", error, StringComparison.Ordinal);
    }

    [UnixFact]
    public void Gives_up_after_the_attempts_with_the_last_exit_code()
    {
        File.WriteAllText(Path.Combine(GridsDir, "a.yaml"), "name: a\n");
        var (code, _) = Run([1, 1, 1, 1, 1], attempts: 3);
        Assert.Equal(1, code);
        Assert.Equal(3, Calls().Count);
    }

    [UnixFact]
    public void A_rejected_grid_fails_at_once_with_exit_code_2()
    {
        File.WriteAllText(Path.Combine(GridsDir, "a.yaml"), "name: a\n");
        File.WriteAllText(Path.Combine(GridsDir, "b.yaml"), "name: b\n");
        var (code, error) = Run([2, 0]);
        Assert.Equal(2, code);
        Assert.Single(Calls());
        Assert.Contains("rejected", error, StringComparison.Ordinal);
    }

    [UnixFact]
    public void No_grid_is_an_error()
    {
        var (code, error) = Run([]);
        Assert.Equal(2, code);
        Assert.Empty(Calls());
        Assert.Contains("sweep-grids", error, StringComparison.Ordinal);
    }

    private List<string> Calls() => File.Exists(CallsFile) ? File.ReadAllLines(CallsFile).ToList() : [];

    private (int Code, string Error) Run(int[] exitCodes, int attempts = 60)
    {
        string codes = Path.Combine(_dir, "codes");
        File.WriteAllLines(codes, exitCodes.Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        string fake = Path.Combine(_dir, "sweep");
        File.WriteAllText(fake, """
            #!/bin/sh
            echo "$*" >> "$FAKE_CALLS"
            n=$(wc -l < "$FAKE_CALLS")
            code=$(sed -n "${n}p" "$FAKE_CODES")
            exit "${code:-0}"

            """.Replace("\r\n", "\n", StringComparison.Ordinal));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var start = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(RepositoryRoot.Combine("k8s/base/submit-grids.sh"));
        start.Environment["SWEEP_BIN"] = fake;
        start.Environment["SWEEP_GRIDS_DIR"] = GridsDir;
        start.Environment["SWEEP_STORE_FILE"] = "/secret/store-url";
        start.Environment["SWEEP_SUBMIT_ATTEMPTS"] = attempts.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["SWEEP_SUBMIT_DELAY_SECONDS"] = "0";
        start.Environment["FAKE_CALLS"] = CallsFile;
        start.Environment["FAKE_CODES"] = codes;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        string error = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(60)), "submit-grids.sh did not finish");
        process.WaitForExit();
        _ = stdout.GetAwaiter().GetResult();
        return (process.ExitCode, error);
    }
}

/// <summary>A fact that needs /bin/sh: skipped on Windows.</summary>
public sealed class UnixFactAttribute : FactAttribute
{
    public UnixFactAttribute()
    {
        if (OperatingSystem.IsWindows() || !File.Exists("/bin/sh"))
        {
            Skip = "needs /bin/sh";
        }
    }
}
