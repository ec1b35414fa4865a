using System.Reflection;
using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestFramework("SweepCluster.Storage.Tests.Postgres.PostgresAwareTestFramework", "SweepCluster.Storage.Tests")]

namespace SweepCluster.Storage.Tests.Postgres;

/// <summary>
/// xUnit's own framework, except that the tests of a <see cref="RequiresPostgresAttribute"/> class are reported
/// as skipped, with the reason, when <see cref="PostgresTestDatabase.SkipReason"/> says there is no server to
/// run them against. Every other test is discovered and run exactly as by xUnit.
/// </summary>
/// <remarks>
/// xUnit 2 has no way for a running test to skip itself, and the PostgreSQL contract tests are inherited from
/// <c>SweepStoreContractTests</c>, whose <c>[Fact]</c>s cannot carry a condition. Deciding at discovery time is
/// the one place that reaches inherited tests too. Without it a developer without a server would see the whole
/// suite fail (or, with early returns, pass while testing nothing).
/// </remarks>
public sealed class PostgresAwareTestFramework : XunitTestFramework
{
    public PostgresAwareTestFramework(IMessageSink messageSink)
        : base(messageSink)
    {
    }

    protected override ITestFrameworkDiscoverer CreateDiscoverer(IAssemblyInfo assemblyInfo) =>
        new PostgresAwareTestFrameworkDiscoverer(assemblyInfo, SourceInformationProvider, DiagnosticMessageSink);

    protected override ITestFrameworkExecutor CreateExecutor(AssemblyName assemblyName) =>
        new PostgresAwareTestFrameworkExecutor(assemblyName, SourceInformationProvider, DiagnosticMessageSink);
}
