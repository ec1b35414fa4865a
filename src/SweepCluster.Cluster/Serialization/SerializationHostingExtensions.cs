using Akka.Hosting;
using SweepCluster.Cluster.Protocol;

namespace SweepCluster.Cluster.Serialization;

/// <summary>Registers <see cref="SweepMessageSerializer"/> for every <see cref="ISweepClusterMessage"/>.</summary>
public static class SerializationHostingExtensions
{
    public static AkkaConfigurationBuilder WithSweepSerialization(this AkkaConfigurationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.WithCustomSerializer("sweep", [typeof(ISweepClusterMessage)], system => new SweepMessageSerializer(system));
    }
}
