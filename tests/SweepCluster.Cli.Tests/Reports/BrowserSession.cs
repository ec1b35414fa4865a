using Microsoft.Playwright;

namespace SweepCluster.Cli.Tests.Reports;

/// <summary>
/// The system's Chromium under Playwright: no browser is downloaded (this machine has no internet), and
/// everything that would reach the network is switched off.
/// </summary>
public static class BrowserSession
{
    public static Task<IBrowser> LaunchAsync(IPlaywright playwright)
    {
        ArgumentNullException.ThrowIfNull(playwright);
        return playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium.Path,
            Headless = true,
            Args =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
            ],
        });
    }
}
