namespace SweepCluster.Cluster.Progress;

/// <summary>Receives the coordinator's progress (a log line, a terminal progress bar, metrics).</summary>
public interface IProgressObserver
{
    void OnProgress(ProgressSnapshot snapshot);
}
