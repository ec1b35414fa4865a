using System.Diagnostics.CodeAnalysis;

namespace SweepCluster.Model.LinearAlgebra;

/// <summary>
/// Chooses and creates <see cref="ILinearAlgebra"/> backends by name. Each native library is opened at
/// most once per process (the first time it is asked for) and stays loaded; later calls return the same
/// instance. OpenBLAS's thread count is left to the library (environment variable OPENBLAS_NUM_THREADS).
/// </summary>
public static class LinearAlgebraBackends
{
    public const string OpenBlas = NativeLapackLoader.OpenBlasName;
    public const string LapackReference = NativeLapackLoader.ReferenceName;
    public const string Managed = ManagedLinearAlgebra.BackendName;
    public const string Auto = "auto";

    private static readonly Lazy<NativeLoadResult> _openBlas = new(NativeLapackLoader.LoadOpenBlas, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lazy<NativeLoadResult> _reference = new(NativeLapackLoader.LoadReference, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The concrete backends, best first.</summary>
    public static IReadOnlyList<string> Names { get; } = [OpenBlas, LapackReference, Managed];

    /// <summary>Every name <see cref="Create"/> accepts.</summary>
    public static IReadOnlyList<string> AllowedNames { get; } = [OpenBlas, LapackReference, Managed, Auto];

    /// <summary>The best backend available here: OpenBLAS, else reference LAPACK, else managed. Never fails.</summary>
    public static ILinearAlgebra Detect()
    {
        if (_openBlas.Value.Backend is { } openBlas)
        {
            return openBlas;
        }

        if (_reference.Value.Backend is { } reference)
        {
            return reference;
        }

        return ManagedLinearAlgebra.Instance;
    }

    /// <summary>
    /// The backend called <paramref name="name"/> (case-insensitive): "openblas", "lapack-reference",
    /// "managed", or "auto" for <see cref="Detect"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The name is none of those.</exception>
    /// <exception cref="InvalidOperationException">A native backend was asked for and its library cannot be loaded.</exception>
    public static ILinearAlgebra Create(string name)
    {
        if (!TryCreate(name, out ILinearAlgebra? backend, out string? unavailableReason))
        {
            throw new InvalidOperationException($"linear algebra backend '{name}' is not available: {unavailableReason}");
        }

        return backend;
    }

    /// <summary>
    /// Like <see cref="Create"/>, but reports a backend whose native library cannot be loaded through
    /// <paramref name="unavailableReason"/> instead of throwing. Unknown names still throw.
    /// </summary>
    /// <exception cref="ArgumentException">The name is not one of <see cref="AllowedNames"/>.</exception>
    public static bool TryCreate(string name, [NotNullWhen(true)] out ILinearAlgebra? backend, out string? unavailableReason)
    {
        ArgumentNullException.ThrowIfNull(name);
        string key = name.Trim().ToLowerInvariant();
        NativeLoadResult? native;
        switch (key)
        {
            case Auto:
                backend = Detect();
                unavailableReason = null;
                return true;
            case Managed:
                backend = ManagedLinearAlgebra.Instance;
                unavailableReason = null;
                return true;
            case OpenBlas:
                native = _openBlas.Value;
                break;
            case LapackReference:
                native = _reference.Value;
                break;
            default:
                throw new ArgumentException(
                    $"unknown linear algebra backend '{name}'; allowed: {string.Join(", ", AllowedNames)}", nameof(name));
        }

        backend = native.Backend;
        unavailableReason = native.Failure;
        return backend is not null;
    }
}
