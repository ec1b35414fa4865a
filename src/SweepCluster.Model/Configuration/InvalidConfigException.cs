namespace SweepCluster.Model.Configuration;

/// <summary>A configuration the model cannot run; <see cref="Errors"/> names each field at fault.</summary>
public sealed class InvalidConfigException : Exception
{
    public InvalidConfigException(IReadOnlyList<ConfigError> errors)
        : base(string.Join("; ", errors))
    {
        Errors = errors;
    }

    public InvalidConfigException(string field, string message)
        : this([new ConfigError(field, message)])
    {
    }

    public InvalidConfigException()
        : this([])
    {
    }

    public InvalidConfigException(string message)
        : this("config", message)
    {
    }

    public InvalidConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [new ConfigError("config", message)];
    }

    public IReadOnlyList<ConfigError> Errors { get; }
}
