using SweepCluster.Sweeps.Cells;
using SweepCluster.Sweeps.Units;

namespace SweepCluster.Sweeps.Grids;

/// <summary>
/// Builds the units of <see cref="UnitPlanner"/> from cells given one at a time, keeping per cell only its id as a
/// number and per unit its running cost: the plan of a million cells takes tens of megabytes, not the gigabyte
/// their definitions would. The caller gives each outstanding cell once.
/// </summary>
public sealed class UnitPlanBuilder
{
    private readonly string _sweepId;
    private readonly Dictionary<string, Group> _groups = new(StringComparer.Ordinal);

    public UnitPlanBuilder(string sweepId)
    {
        ArgumentException.ThrowIfNullOrEmpty(sweepId);
        _sweepId = sweepId;
    }

    /// <summary>Cells added so far.</summary>
    public int Cells { get; private set; }

    /// <summary>Units planned so far.</summary>
    public int UnitCount => _groups.Count;

    public void Add(CellDefinition cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        if (!_groups.TryGetValue(cell.GroupKey, out var group))
        {
            var kind = (UnitKind)(int)cell.Kind; // a unit has the kind of its cells (the values are equal)
            group = new Group(kind, new UnitPlanner.UnitCost(kind));
            _groups[cell.GroupKey] = group;
        }

        group.CellIds.Add(CellIds.ToNumber(cell.Id));
        group.Cost.Add(cell);
        Cells++;
    }

    /// <summary>
    /// The units, most expensive first (ties by id), each made when it is reached: only one unit's cell id strings
    /// exist at a time.
    /// </summary>
    public IEnumerable<UnitDefinition> Units()
    {
        foreach (var (groupKey, id, cost) in Ordered())
        {
            var group = _groups[groupKey];
            yield return new UnitDefinition(id, _sweepId, group.Kind, groupKey, [.. group.CellIds.Select(CellIds.ToId)], cost);
        }
    }

    /// <summary>
    /// Units by kind (a generalisation family's units under Family) and their total and largest predicted cost,
    /// without making their cell lists.
    /// </summary>
    public (int Simulation, int Theory, int Family, double TotalCost, double LargestCost) Totals()
    {
        int simulation = 0;
        int theory = 0;
        int family = 0;
        double total = 0;
        double largest = 0;

        // In the order of Units(), so that the sum has the bits a sum over the planned units has.
        foreach (var (groupKey, _, cost) in Ordered())
        {
            switch (_groups[groupKey].Kind)
            {
                case UnitKind.Simulation:
                    simulation++;
                    break;
                case UnitKind.Theory:
                    theory++;
                    break;
                default:
                    family++;
                    break;
            }

            total += cost;
            largest = Math.Max(largest, cost);
        }

        return (simulation, theory, family, total, largest);
    }

    private List<(string GroupKey, string Id, double Cost)> Ordered()
    {
        var order = new List<(string GroupKey, string Id, double Cost)>(_groups.Count);
        foreach (var (groupKey, group) in _groups)
        {
            group.CellIds.Sort();
            order.Add((groupKey, UnitId(groupKey, group.CellIds), group.Cost.Total));
        }

        order.Sort((a, b) =>
        {
            int byCost = b.Cost.CompareTo(a.Cost);
            return byCost != 0 ? byCost : string.CompareOrdinal(a.Id, b.Id);
        });
        return order;
    }

    // Hashes the sweep, the group and the sorted cell ids (the ids as the unit lists them).
    private string UnitId(string groupKey, List<UInt128> cellIds) =>
        CellParameters.Hash(_sweepId + "|" + groupKey + "|" + string.Join(",", cellIds.Select(CellIds.ToId)));

    private sealed record Group(UnitKind Kind, UnitPlanner.UnitCost Cost)
    {
        public List<UInt128> CellIds { get; } = [];
    }
}
