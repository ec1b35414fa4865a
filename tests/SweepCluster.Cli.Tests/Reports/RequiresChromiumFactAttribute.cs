namespace SweepCluster.Cli.Tests.Reports;

/// <summary>
/// A test that needs <see cref="Chromium"/>: skipped with a message when the browser is missing on a developer
/// machine, run (and failing) when it is missing on CI (CI=true), where the CI script installs it.
/// </summary>
/// <remarks>xUnit 2 cannot skip from inside a running test, so the decision is made when the attribute is read.</remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class RequiresChromiumFactAttribute : FactAttribute
{
    public RequiresChromiumFactAttribute()
    {
        if (!Chromium.IsInstalled && !Chromium.OnCi)
        {
            Skip = Chromium.MissingMessage + "; skipped outside CI";
        }
    }
}
