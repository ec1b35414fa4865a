using SweepCluster.Cli.Tests.Support;

namespace SweepCluster.Cli.Tests.Reports;

/// <summary>A grid run to the end with `sweep run` on 2 workers, then its report written into the folder's report/.</summary>
public static class ReportedRun
{
    public static CliProcess.Result Make(TempFolder folder, string gridText)
    {
        ArgumentNullException.ThrowIfNull(folder);
        string grid = folder.Write("grid.yaml", gridText);
        string store = folder["grid.db"];
        var run = CliProcess.Run(TimeSpan.FromMinutes(5), folder.Path, "run", grid, "--store", store, "--workers", "2");
        Assert.True(run.ExitCode == 0, $"sweep run exited with {run.ExitCode}:\n{run.Stderr}");
        var report = CliProcess.Run(TimeSpan.FromMinutes(2), folder.Path, "report", "--store", store, "--out", folder["report"]);
        Assert.True(report.ExitCode == 0, $"sweep report exited with {report.ExitCode}:\n{report.Stderr}");
        return report;
    }
}
