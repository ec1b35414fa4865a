namespace SweepCluster.Storage.Tests.Postgres;

/// <summary>
/// Where the PostgreSQL tests find their server: the URL in <c>SWEEP_TEST_POSTGRES</c>, which
/// <c>eval "$(scripts/postgres.sh)"</c> exports. The rule of the Npgsql test suite: without a server the
/// tests are skipped on a developer's machine, and fail on CI (<c>CI=true</c>), where a skipped database
/// suite would pass silently while testing nothing.
/// </summary>
public static class PostgresTestDatabase
{
    public const string UrlVariable = "SWEEP_TEST_POSTGRES";

    private const string HowToGetOne = "run `eval \"$(bash scripts/postgres.sh)\"` (as root) to start one and export " + UrlVariable;

    /// <summary>Why the PostgreSQL tests are skipped here, or null when they must run (a server is configured, or this is CI).</summary>
    public static string? SkipReason =>
        Url is not null || IsCi ? null : $"PostgreSQL tests skipped: {UrlVariable} is not set; {HowToGetOne}";

    private static string? Url => Environment.GetEnvironmentVariable(UrlVariable) is { Length: > 0 } url ? url : null;

    private static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The connection string of the test database; throws (failing the test) when none is configured.</summary>
    public static string RequireConnectionString()
    {
        if (Url is not { } url)
        {
            throw new InvalidOperationException(IsCi
                ? $"PostgreSQL is required on CI but {UrlVariable} is not set: the CI script must {HowToGetOne}"
                : $"PostgreSQL is required for this test but {UrlVariable} is not set; {HowToGetOne}");
        }

        return PostgresTestUrl.ToConnectionString(url);
    }
}
