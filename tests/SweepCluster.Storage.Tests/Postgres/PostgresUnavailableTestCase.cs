using Xunit.Abstractions;
using Xunit.Sdk;

namespace SweepCluster.Storage.Tests.Postgres;

/// <summary>
/// A test of a <see cref="RequiresPostgresAttribute"/> class, skipped for want of a server. The reason is read
/// again wherever the case is rebuilt (runners serialize cases between discovery and execution), so it always
/// reflects the environment of the process that runs it.
/// </summary>
public sealed class PostgresUnavailableTestCase : XunitTestCase
{
    /// <summary>For xUnit's deserializer only.</summary>
    [Obsolete("Called by the de-serializer; should only be called by deriving classes for de-serialization purposes")]
    public PostgresUnavailableTestCase()
    {
    }

    public PostgresUnavailableTestCase(IMessageSink diagnosticMessageSink, TestMethodDisplay defaultMethodDisplay, TestMethodDisplayOptions defaultMethodDisplayOptions, ITestMethod testMethod)
        : base(diagnosticMessageSink, defaultMethodDisplay, defaultMethodDisplayOptions, testMethod)
    {
    }

    protected override string GetSkipReason(IAttributeInfo factAttribute) => PostgresTestDatabase.SkipReason ?? base.GetSkipReason(factAttribute);
}
