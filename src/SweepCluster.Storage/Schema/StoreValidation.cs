using System.Text.Json;
using SweepCluster.Sweeps.Cells;
using SweepCluster.Sweeps.Units;

namespace SweepCluster.Storage.Schema;

/// <summary>
/// Checks of a submission and the rebuilding of stored cells: the same rules and messages for both stores.
/// </summary>
internal static class StoreValidation
{
    public static void ValidateSubmission(SweepDefinition sweep, IReadOnlyList<UnitDefinition> units)
    {
        ArgumentException.ThrowIfNullOrEmpty(sweep.Id);
        var cellIds = sweep.Cells.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var unit in units)
        {
            if (unit.SweepId != sweep.Id)
            {
                throw new ArgumentException($"unit {unit.Id} belongs to sweep '{unit.SweepId}', not to the submitted sweep '{sweep.Id}'", nameof(units));
            }

            if (unit.CellIds.FirstOrDefault(c => !cellIds.Contains(c)) is { } missing)
            {
                throw new ArgumentException($"unit {unit.Id} names cell {missing}, which is not a cell of sweep '{sweep.Id}'", nameof(units));
            }
        }
    }

    /// <summary>Rebuilds a cell from its canonical JSON; every way that can fail becomes a <see cref="FormatException"/> naming the cell.</summary>
    public static CellDefinition ParseCell(string cellId, string canonical)
    {
        CellDefinition cell;
        try
        {
            cell = CellParameters.Parse(canonical);
        }
        catch (Exception e) when (e is FormatException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new FormatException($"cell {cellId} cannot be rebuilt from its stored parameters: {e.Message}", e);
        }

        if (cell.Id != cellId)
        {
            throw new FormatException($"cell {cellId} has stored parameters that hash to {cell.Id}");
        }

        return cell;
    }
}
