using System.Runtime.InteropServices;

namespace SweepCluster.Model.LinearAlgebra;

/// <summary>
/// Opens the native libraries behind <see cref="NativeLinearAlgebra"/>. Not cached here: callers
/// (<see cref="LinearAlgebraBackends"/>) call each method at most once per process.
/// </summary>
internal static unsafe class NativeLapackLoader
{
    public const string OpenBlasName = "openblas";
    public const string ReferenceName = "lapack-reference";

    private const string OpenBlasFile = "libopenblas.so.0";
    private const string BlasFile = "libblas.so.3";
    private const string LapackFile = "liblapack.so.3";

    // Exported by every OpenBLAS build, and reachable through dlsym on any library that depends on it.
    private const string OpenBlasMarker = "openblas_get_config";

    /// <summary>OpenBLAS (<c>libopenblas.so.0</c>), which holds BLAS and LAPACK in one library.</summary>
    public static NativeLoadResult LoadOpenBlas()
    {
        if (!TryLoad([OpenBlasFile], out IntPtr handle, out string loaded, out string? failure))
        {
            return NativeLoadResult.Failed($"OpenBLAS is not available: {failure} (Debian: apt-get install libopenblas0-pthread)");
        }

        if (!TryGetExports(handle, handle, loaded, loaded, out IntPtr dsyrk, out IntPtr dgemm, out IntPtr dsyevd, out failure))
        {
            NativeLibrary.Free(handle);
            return NativeLoadResult.Failed($"OpenBLAS is not usable: {failure}");
        }

        UseOneThread(handle);
        string description = $"{OpenBlasName}: {loaded}{DescribeOpenBlas(handle)}";
        return NativeLoadResult.Loaded(new NativeLinearAlgebra(OpenBlasName, description, dsyrk, dgemm, dsyevd));
    }

    /// <summary>
    /// The reference (netlib) <c>libblas.so.3</c> and <c>liblapack.so.3</c>. On Debian these names are
    /// update-alternatives links that point at OpenBLAS's copies once OpenBLAS is installed, so the
    /// netlib files in the multiarch <c>blas/</c> and <c>lapack/</c> folders are tried first, and a pair
    /// that turns out to be OpenBLAS is refused rather than reported under the wrong name. BLAS is loaded
    /// before LAPACK so that LAPACK's own dependency on <c>libblas.so.3</c> binds to that same library.
    /// </summary>
    public static NativeLoadResult LoadReference()
    {
        string? multiarch = MultiarchDirectory();
        string[] blasCandidates = multiarch is null ? [BlasFile] : [Path.Combine(multiarch, "blas", BlasFile), BlasFile];
        string[] lapackCandidates = multiarch is null ? [LapackFile] : [Path.Combine(multiarch, "lapack", LapackFile), LapackFile];

        if (!TryLoad(blasCandidates, out IntPtr blas, out string blasLoaded, out string? failure))
        {
            return NativeLoadResult.Failed($"reference BLAS is not available: {failure} (Debian: apt-get install libblas3)");
        }

        if (!TryLoad(lapackCandidates, out IntPtr lapack, out string lapackLoaded, out failure))
        {
            NativeLibrary.Free(blas);
            return NativeLoadResult.Failed($"reference LAPACK is not available: {failure} (Debian: apt-get install liblapack3)");
        }

        if (NativeLibrary.TryGetExport(blas, OpenBlasMarker, out _) || NativeLibrary.TryGetExport(lapack, OpenBlasMarker, out _))
        {
            NativeLibrary.Free(lapack);
            NativeLibrary.Free(blas);
            return NativeLoadResult.Failed(
                $"{blasLoaded} / {lapackLoaded} resolve to OpenBLAS (Debian update-alternatives), not the reference implementation; "
                + "install libblas3 and liblapack3 or select them with update-alternatives");
        }

        if (!TryGetExports(blas, lapack, blasLoaded, lapackLoaded, out IntPtr dsyrk, out IntPtr dgemm, out IntPtr dsyevd, out failure))
        {
            NativeLibrary.Free(lapack);
            NativeLibrary.Free(blas);
            return NativeLoadResult.Failed($"reference BLAS/LAPACK is not usable: {failure}");
        }

        string description = $"{ReferenceName}: {blasLoaded} + {lapackLoaded}";
        return NativeLoadResult.Loaded(new NativeLinearAlgebra(ReferenceName, description, dsyrk, dgemm, dsyevd));
    }

    private static bool TryLoad(string[] candidates, out IntPtr handle, out string loaded, out string? failure)
    {
        var errors = new List<string>();
        foreach (string candidate in candidates)
        {
            if (candidate.Contains('/', StringComparison.Ordinal) && !File.Exists(candidate))
            {
                errors.Add($"{candidate}: no such file");
                continue;
            }

            try
            {
                handle = NativeLibrary.Load(candidate);
                loaded = candidate;
                failure = null;
                return true;
            }
            catch (DllNotFoundException e)
            {
                errors.Add($"{candidate}: {e.Message}");
            }
            catch (BadImageFormatException e)
            {
                errors.Add($"{candidate}: {e.Message}");
            }
        }

        handle = IntPtr.Zero;
        loaded = string.Empty;
        failure = string.Join("; ", errors);
        return false;
    }

    private static bool TryGetExports(IntPtr blas, IntPtr lapack, string blasFile, string lapackFile, out IntPtr dsyrk, out IntPtr dgemm, out IntPtr dsyevd, out string? failure)
    {
        var missing = new List<string>();
        if (!NativeLibrary.TryGetExport(blas, "dsyrk_", out dsyrk))
        {
            missing.Add($"dsyrk_ in {blasFile}");
        }

        if (!NativeLibrary.TryGetExport(blas, "dgemm_", out dgemm))
        {
            missing.Add($"dgemm_ in {blasFile}");
        }

        if (!NativeLibrary.TryGetExport(lapack, "dsyevd_", out dsyevd))
        {
            missing.Add($"dsyevd_ in {lapackFile}");
        }

        failure = missing.Count == 0 ? null : "missing symbols: " + string.Join(", ", missing);
        return failure is null;
    }

    /// <summary>
    /// OpenBLAS splits sums differently with another thread count, which changes the last bits of a result
    /// (measured: d = 1000 eigen-decompositions differ between 1 and 2 threads). A cell must give the same bits
    /// on every node and with any number of workers, so each call runs on one thread and parallelism
    /// comes from computing several units (or seeds) at once.
    /// </summary>
    private static void UseOneThread(IntPtr handle)
    {
        if (NativeLibrary.TryGetExport(handle, "openblas_set_num_threads", out IntPtr setThreads))
        {
            ((delegate* unmanaged<int, void>)setThreads)(1);
        }
    }

    private static string DescribeOpenBlas(IntPtr handle)
    {
        string details = string.Empty;
        if (NativeLibrary.TryGetExport(handle, OpenBlasMarker, out IntPtr getConfig))
        {
            var config = ((delegate* unmanaged<byte*>)getConfig)();
            if (config is not null)
            {
                details += $" ({Marshal.PtrToStringUTF8((IntPtr)config)?.Trim()})";
            }
        }

        if (NativeLibrary.TryGetExport(handle, "openblas_get_num_threads", out IntPtr getThreads))
        {
            details += $", {((delegate* unmanaged<int>)getThreads)()} threads";
        }

        return details;
    }

    /// <summary>The Debian/Ubuntu multiarch library folder for this process, or null when not on such a system.</summary>
    private static string? MultiarchDirectory()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        string? triplet = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => "x86_64-linux-gnu",
            Architecture.Arm64 => "aarch64-linux-gnu",
            _ => null,
        };
        return triplet is null ? null : Path.Combine("/usr/lib", triplet);
    }
}
