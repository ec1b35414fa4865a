using System.CommandLine;
using SweepCluster.Model.LinearAlgebra;

namespace SweepCluster.Cli.Options;

/// <summary>--backend, the same for every command that computes: checked while parsing, so a wrong name is a usage error naming the allowed ones.</summary>
public static class BackendOption
{
    public static Option<string> Create()
    {
        var option = new Option<string>("--backend")
        {
            Description = $"Linear algebra: {LinearAlgebraBackends.Auto} (OpenBLAS, then reference LAPACK, then managed), {LinearAlgebraBackends.OpenBlas}, {LinearAlgebraBackends.LapackReference} or {LinearAlgebraBackends.Managed}.",
            DefaultValueFactory = _ => LinearAlgebraBackends.Auto,
        };
        option.Validators.Add(result =>
        {
            string? name = result.Tokens.Count > 0 ? result.Tokens[^1].Value : null;
            if (name is not null && !LinearAlgebraBackends.AllowedNames.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                result.AddError($"'{name}' is not a linear algebra backend; allowed: {string.Join(", ", LinearAlgebraBackends.AllowedNames)}");
            }
        });
        return option;
    }
}
