using System.Runtime.Serialization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Akka.Actor;
using Akka.Serialization;
using SweepCluster.Cluster.Coordination;
using SweepCluster.Cluster.Protocol;

namespace SweepCluster.Cluster.Serialization;

/// <summary>
/// Our serializer for every <see cref="ISweepClusterMessage"/>: System.Text.Json payloads under short manifests
/// that name the message, not its CLR type, so a renamed class still reads old journals. Actor references
/// travel as their serialized paths and are resolved by the receiving system.
/// </summary>
public sealed class SweepMessageSerializer : SerializerWithStringManifest
{
    /// <summary>Written into every journal row: never change it.</summary>
    public const int SerializerId = 7301;

    /// <summary>Manifest per message type. Manifests are stored in journals: add new ones, never rename.</summary>
    internal static readonly IReadOnlyDictionary<Type, string> Manifests = new Dictionary<Type, string>
    {
        [typeof(RegisterWorker)] = "register-worker",
        [typeof(RequestUnits)] = "request-units",
        [typeof(ReportUnitsDone)] = "units-done",
        [typeof(ReportUnitCrashed)] = "unit-crashed",
        [typeof(ReturnUnits)] = "return-units",
        [typeof(WorkerHeartbeat)] = "worker-heartbeat",
        [typeof(WatchSweep)] = "watch-sweep",
        [typeof(GetCoordinatorStatus)] = "get-status",
        [typeof(WorkerRegistered)] = "worker-registered",
        [typeof(UnitsHandedOutReply)] = "handed-out-reply",
        [typeof(UnitsDoneAcknowledged)] = "units-done-ack",
        [typeof(UnitCrashAcknowledged)] = "unit-crashed-ack",
        [typeof(UnitsReturnedAcknowledged)] = "units-returned-ack",
        [typeof(WorkAvailable)] = "work-available",
        [typeof(SweepWatched)] = "sweep-watched",
        [typeof(CoordinatorStatus)] = "status",
        [typeof(SweepAccepted)] = "ev-sweep-accepted",
        [typeof(UnitsHandedOut)] = "ev-handed-out",
        [typeof(UnitsCompleted)] = "ev-completed",
        [typeof(UnitAttemptFailed)] = "ev-attempt-failed",
        [typeof(UnitsReleased)] = "ev-released",
        [typeof(FailedUnitsRequeued)] = "ev-requeued",
        [typeof(SweepFinished)] = "ev-sweep-finished",
        [typeof(CoordinatorSnapshot)] = "snapshot",
    };

    private static readonly Dictionary<string, Type> Types = Manifests.ToDictionary(m => m.Value, m => m.Key, StringComparer.Ordinal);

    private readonly JsonSerializerOptions _json;

    public SweepMessageSerializer(ExtendedActorSystem system)
        : base(system)
    {
        _json = new JsonSerializerOptions
        {
            Converters = { new ActorRefConverter(system), new JsonStringEnumConverter() },
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        };
    }

    public override int Identifier => SerializerId;

    public override string Manifest(object o)
    {
        ArgumentNullException.ThrowIfNull(o);
        return Manifests.TryGetValue(o.GetType(), out string? manifest)
            ? manifest
            : throw new SerializationException($"{o.GetType().FullName} has no manifest in {nameof(SweepMessageSerializer)}; add one");
    }

    public override byte[] ToBinary(object obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType(), _json);
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        if (!Types.TryGetValue(manifest, out var type))
        {
            throw new SerializationException($"unknown message manifest '{manifest}' (written by a newer version?)");
        }

        if (type == typeof(GetCoordinatorStatus))
        {
            return GetCoordinatorStatus.Instance;
        }

        if (type == typeof(WorkAvailable))
        {
            return WorkAvailable.Instance;
        }

        return JsonSerializer.Deserialize(bytes, type, _json) ?? throw new SerializationException($"an empty payload for '{manifest}'");
    }

    /// <summary>Actor references as Akka's serialized paths, resolved against the receiving system.</summary>
    private sealed class ActorRefConverter(ExtendedActorSystem system) : JsonConverter<IActorRef>
    {
        public override IActorRef Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            system.Provider.ResolveActorRef(reader.GetString() ?? string.Empty);

        public override void Write(Utf8JsonWriter writer, IActorRef value, JsonSerializerOptions options) =>
            writer.WriteStringValue(Akka.Serialization.Serialization.SerializedActorPath(value));
    }
}
