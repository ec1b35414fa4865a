using System.Reflection;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace SweepCluster.Storage.Tests.Postgres;

/// <summary>
/// xUnit's executor, except that it discovers with <see cref="PostgresAwareTestFrameworkDiscoverer"/> when a
/// runner asks it to run a whole assembly without a separate discovery pass.
/// </summary>
public sealed class PostgresAwareTestFrameworkExecutor : XunitTestFrameworkExecutor
{
    public PostgresAwareTestFrameworkExecutor(AssemblyName assemblyName, ISourceInformationProvider sourceInformationProvider, IMessageSink diagnosticMessageSink)
        : base(assemblyName, sourceInformationProvider, diagnosticMessageSink)
    {
    }

    protected override ITestFrameworkDiscoverer CreateDiscoverer() =>
        new PostgresAwareTestFrameworkDiscoverer(AssemblyInfo, SourceInformationProvider, DiagnosticMessageSink);
}
