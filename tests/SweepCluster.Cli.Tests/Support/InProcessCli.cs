namespace SweepCluster.Cli.Tests.Support;

/// <summary>
/// Runs the program's entry point (<see cref="SweepCommandLine.Run"/>) inside the test process, with its writers
/// captured: for the many cases that end before any store, cluster node or signal handler exists, where starting a
/// process per case would cost a second each. What a user meets end to end stays in real processes (<see cref="CliProcess"/>).
/// </summary>
public static class InProcessCli
{
    /// <summary>Runs `sweep ARGS`; fails the test when it has not ended within <paramref name="bound"/>.</summary>
    public static CliProcess.Result Run(TimeSpan bound, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var run = Task.Run(() => SweepCommandLine.Run(args, output, error));
        if (!run.Wait(bound))
        {
            Assert.Fail($"sweep {string.Join(' ', args)} did not end within {bound}");
        }

        return new CliProcess.Result(run.Result, output.ToString(), error.ToString());
    }
}
