namespace SweepCluster.Model.LinearAlgebra;

/// <summary>The outcome of opening one native backend: the backend, or why it is not available.</summary>
internal sealed class NativeLoadResult
{
    private NativeLoadResult(NativeLinearAlgebra? backend, string? failure)
    {
        Backend = backend;
        Failure = failure;
    }

    public NativeLinearAlgebra? Backend { get; }

    public string? Failure { get; }

    public static NativeLoadResult Loaded(NativeLinearAlgebra backend) => new(backend, null);

    public static NativeLoadResult Failed(string failure) => new(null, failure);
}
