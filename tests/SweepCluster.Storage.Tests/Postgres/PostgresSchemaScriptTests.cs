using System.Text.RegularExpressions;
using SweepCluster.Storage.Postgres;

namespace SweepCluster.Storage.Tests.Postgres;

/// <summary>The embedded PostgreSQL scripts, checked without a server.</summary>
public sealed class PostgresSchemaScriptTests
{
    [Fact]
    public void ThePostgresScriptsAreEmbeddedAndNumberedWithoutGaps()
    {
        var scripts = PostgresSchemaMigrator.Scripts;

        Assert.Equal(Enumerable.Range(1, scripts.Count), scripts.Select(s => s.Version));
        Assert.Equal("0001_initial.sql", scripts[0].Name);
        Assert.Contains("CREATE TABLE units", scripts[0].Sql, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSchemaSpellsUnitStatesAsUnitStatesDoes()
    {
        string sql = PostgresSchemaMigrator.Scripts[0].Sql;

        var check = Regex.Match(sql, @"state\s+text NOT NULL CHECK \(state IN \(([^)]*)\)\)");
        Assert.True(check.Success, "the units table declares its states in a CHECK constraint");
        var declared = Regex.Matches(check.Groups[1].Value, "'([a-z_]+)'").Select(m => m.Groups[1].Value);
        Assert.Equal(UnitStates.All.Order(StringComparer.Ordinal), declared.Order(StringComparer.Ordinal));

        // The literal states in the partial indexes must be UnitStates' spelling too.
        Assert.Contains($"WHERE state IN ('{UnitStates.Pending}', '{UnitStates.Leased}')", sql, StringComparison.Ordinal);
        Assert.Contains($"WHERE state = '{UnitStates.Leased}'", sql, StringComparison.Ordinal);
    }
}
