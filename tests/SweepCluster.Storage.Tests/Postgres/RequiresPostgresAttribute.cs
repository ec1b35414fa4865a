namespace SweepCluster.Storage.Tests.Postgres;

/// <summary>
/// Marks a test class that needs the PostgreSQL server of <see cref="PostgresTestDatabase"/>. Its tests,
/// inherited ones included, are reported skipped when <see cref="PostgresTestDatabase.SkipReason"/> says so
/// (see <see cref="PostgresAwareTestFramework"/>); otherwise they run, and fail on CI without a server.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true, AllowMultiple = false)]
public sealed class RequiresPostgresAttribute : Attribute
{
}
