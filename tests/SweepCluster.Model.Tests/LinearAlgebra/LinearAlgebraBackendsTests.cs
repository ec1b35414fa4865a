using SweepCluster.Model.LinearAlgebra;
using Xunit.Abstractions;

namespace SweepCluster.Model.Tests.LinearAlgebra;

/// <summary>Choosing backends by name.</summary>
public sealed class LinearAlgebraBackendsTests(ITestOutputHelper output)
{
    [Fact]
    public void Unknown_name_is_an_argument_error_listing_the_allowed_names()
    {
        var error = Assert.Throws<ArgumentException>(() => LinearAlgebraBackends.Create("mkl"));
        Assert.Contains("mkl", error.Message, StringComparison.Ordinal);
        foreach (string allowed in LinearAlgebraBackends.AllowedNames)
        {
            Assert.Contains(allowed, error.Message, StringComparison.Ordinal);
        }

        Assert.Throws<ArgumentException>(() => LinearAlgebraBackends.TryCreate("", out _, out _));
        Assert.Throws<ArgumentNullException>(() => LinearAlgebraBackends.Create(null!));
    }

    [Fact]
    public void Managed_is_always_available()
    {
        ILinearAlgebra managed = LinearAlgebraBackends.Create("managed");
        Assert.Equal("managed", managed.Name);
        Assert.IsType<ManagedLinearAlgebra>(managed);
        Assert.Same(managed, LinearAlgebraBackends.Create(" Managed "));
    }

    [Theory]
    [MemberData(nameof(BackendCases.Names), MemberType = typeof(BackendCases))]
    public void Each_backend_reports_its_name_and_is_created_once(string name)
    {
        if (BackendCases.Get(name, output) is not { } backend)
        {
            Assert.Throws<InvalidOperationException>(() => LinearAlgebraBackends.Create(name));
            return;
        }

        Assert.Equal(name, backend.Name);
        Assert.Same(backend, LinearAlgebraBackends.Create(name.ToUpperInvariant()));
    }

    [Fact]
    public void Auto_picks_the_first_available_in_preference_order()
    {
        string expected = LinearAlgebraBackends.Names.First(name => LinearAlgebraBackends.TryCreate(name, out _, out _));
        if (BackendCases.IsCi)
        {
            Assert.Equal(LinearAlgebraBackends.OpenBlas, expected);
        }

        ILinearAlgebra auto = LinearAlgebraBackends.Create("auto");
        output.WriteLine($"auto = {auto.Name}");
        Assert.Equal(expected, auto.Name);
        Assert.Same(auto, LinearAlgebraBackends.Detect());
    }

    [Fact]
    public void Reference_backend_is_not_openblas_in_disguise()
    {
        if (!LinearAlgebraBackends.TryCreate(LinearAlgebraBackends.LapackReference, out ILinearAlgebra? reference, out string? reason))
        {
            output.WriteLine($"SKIPPED: {reason}");
            return;
        }

        string description = ((NativeLinearAlgebra)reference).Description;
        output.WriteLine(description);
        Assert.DoesNotContain("openblas", description, StringComparison.OrdinalIgnoreCase);
    }
}
