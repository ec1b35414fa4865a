using Xunit.Abstractions;
using Xunit.Sdk;

namespace SweepCluster.Storage.Tests.Postgres;

/// <summary>Discovers like xUnit, but reports the tests of <see cref="RequiresPostgresAttribute"/> classes as skipped when there is no server.</summary>
public sealed class PostgresAwareTestFrameworkDiscoverer : XunitTestFrameworkDiscoverer
{
    private static readonly string RequiresPostgres = typeof(RequiresPostgresAttribute).AssemblyQualifiedName!;
    private static readonly string Fact = typeof(FactAttribute).AssemblyQualifiedName!;

    public PostgresAwareTestFrameworkDiscoverer(IAssemblyInfo assemblyInfo, ISourceInformationProvider sourceProvider, IMessageSink diagnosticMessageSink)
        : base(assemblyInfo, sourceProvider, diagnosticMessageSink)
    {
    }

    protected override bool FindTestsForMethod(ITestMethod testMethod, bool includeSourceInformation, IMessageBus messageBus, ITestFrameworkDiscoveryOptions discoveryOptions)
    {
        ArgumentNullException.ThrowIfNull(testMethod);
        if (PostgresTestDatabase.SkipReason is null
            || !testMethod.TestClass.Class.GetCustomAttributes(RequiresPostgres).Any()
            || !testMethod.Method.GetCustomAttributes(Fact).Any())
        {
            return base.FindTestsForMethod(testMethod, includeSourceInformation, messageBus, discoveryOptions);
        }

        // One skipped case per test method (a theory is not expanded: its data may need the server too).
        var testCase = new PostgresUnavailableTestCase(
            DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod);
        return ReportDiscoveredTestCase(testCase, includeSourceInformation, messageBus);
    }
}
