namespace SweepCluster.Cluster.Protocol;

/// <summary>
/// One hand-out of a unit: the unit and its attempt number. The attempt is the fencing token: a report
/// that carries an older attempt than the coordinator's is late and changes nothing but, for a completion,
/// the fact that the results exist.
/// </summary>
public sealed record UnitTicket(string UnitId, int Attempt);
