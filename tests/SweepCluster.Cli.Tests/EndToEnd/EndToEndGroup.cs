namespace SweepCluster.Cli.Tests.EndToEnd;

/// <summary>
/// The end-to-end tests start real `sweep` processes that use every core and some of them kill children at
/// moments chosen by progress, so they run one at a time and never beside other tests. They share one
/// uninterrupted run of the interruption grid (<see cref="InterruptionGridFixture"/>).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EndToEndGroup : ICollectionFixture<InterruptionGridFixture>
{
    public const string Name = "EndToEnd";
}
