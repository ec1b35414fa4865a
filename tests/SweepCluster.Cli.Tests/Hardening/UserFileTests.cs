using System.Diagnostics;
using SweepCluster.Cli.Tests.Support;

namespace SweepCluster.Cli.Tests.Hardening;

/// <summary>
/// Files given by the user (issue 12): one that is not what it claims has none of its text echoed (it may be a secret);
/// a FIFO or a device is refused instead of read (the read would hang or never end); options ignored in a
/// combination are refused.
/// </summary>
public sealed class UserFileTests
{
    private const string SecretText = "api_key = hunter2-5ecret";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public void AFileThatIsNotWhatItClaimsIsRefusedWithoutShowingItsText()
    {
        using var folder = new TempFolder("secret-file");
        string secret = folder.Write("credentials", SecretText + "\nsecond line\n");
        folder.Write("grid.yaml", "name: s\nd: 4\nN: 10\nspectrum: {file: credentials}\n");

        var cases = new (string[] Args, string Problem)[]
        {
            (["cell", "--d", "4", "--spectrum-file", secret], "not a list of numbers"),
            (["validate", folder["grid.yaml"]], "not a list of numbers"),
            (["spectrum", "--idx", secret, "--out", folder["eig.txt"]], "not an IDX file"),
        };
        foreach (var (args, problem) in cases)
        {
            var result = CliProcess.Run(Bound, folder.Path, args);
            Assert.True(result.ExitCode == 2, $"{args[0]}: exit {result.ExitCode}\n{result.Stderr}");
            Assert.Contains(problem, result.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("hunter2", result.Stdout + result.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("api_key", result.Stdout + result.Stderr, StringComparison.Ordinal);
            CliAssert.NoStackTrace(result.Stdout + result.Stderr);
        }
    }

    [Fact]
    public void AFifoOrADeviceIsRefusedInsteadOfRead()
    {
        using var folder = new TempFolder("special-files");
        string fifo = folder["pipe"];
        MakeFifo(fifo);
        folder.Write("grid.yaml", "name: s\nd: 4\nN: 10\nspectrum: {file: pipe}\n");

        // Each of these would block on the FIFO until a writer came, or read /dev/zero for ever.
        var cases = new (string[] Args, string What)[]
        {
            (["validate", fifo], "a named pipe (FIFO)"),
            (["validate", folder["grid.yaml"]], "a named pipe (FIFO)"),
            (["cell", "--d", "4", "--spectrum-file", "/dev/zero"], "a character device"),
            (["spectrum", "--idx", fifo, "--out", folder["eig.txt"]], "a named pipe (FIFO)"),
            (["status", "--store-file", fifo], "a named pipe (FIFO)"),
            (["run", folder["grid.yaml"], "--config", "/dev/zero"], "a character device"),
        };
        foreach (var (args, what) in cases)
        {
            var result = CliProcess.Run(Bound, folder.Path, args);
            Assert.True(result.ExitCode == 2, $"{string.Join(' ', args)}: exit {result.ExitCode}\n{result.Stderr}");
            Assert.Contains(what, result.Stderr, StringComparison.Ordinal);
            CliAssert.NoStackTrace(result.Stdout + result.Stderr);
        }
    }

    [Theory]
    [InlineData("--k 1 --spectrum-file eig.txt", "--k and --spectrum-file both set the spectrum")]
    [InlineData("--no-normalize-spectrum", "--no-normalize-spectrum applies to --spectrum-file only")]
    public void AnOptionThatWouldBeIgnoredIsRefused(string options, string problem)
    {
        using var folder = new TempFolder("ignored-option");
        folder.Write("eig.txt", "3\n2\n1\n1\n");

        var result = InProcessCli.Run(Bound, ["cell", "--d", "4", .. options.Replace("eig.txt", folder["eig.txt"], StringComparison.Ordinal).Split(' ')]);

        CliAssert.OneError(result, 2, problem);
    }

    private static void MakeFifo(string path)
    {
        using var mkfifo = Process.Start("mkfifo", [path]) ?? throw new InvalidOperationException("mkfifo did not start");
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
    }
}
