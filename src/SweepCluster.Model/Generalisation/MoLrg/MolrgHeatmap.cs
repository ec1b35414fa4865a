using SweepCluster.Model.LinearAlgebra;

namespace SweepCluster.Model.Generalisation.MoLrg;

/// <summary>Runs the S-15.4 recovery experiment: for every (r, n_k) and trial, draw, fit K-subspaces, measure D.</summary>
public static class MolrgHeatmap
{
    public static MolrgHeatmapResult Run(MolrgHeatmapConfig config, ILinearAlgebra algebra)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(algebra);
        config.Validate();
        int rows = config.RankList.Count, cols = config.SamplesPerComponentList.Count, trials = config.Trials;
        var distances = new double[rows][][];
        for (int a = 0; a < rows; a++)
        {
            distances[a] = new double[cols][];
            for (int b = 0; b < cols; b++)
            {
                distances[a][b] = new double[trials];
            }
        }

        // Every (cell, trial) is independent and fully seeded, so the order of the parallel loop cannot matter.
        Parallel.For(0, rows * cols * trials, job =>
        {
            int q = job % trials, cell = job / trials;
            int a = cell / cols, b = cell % cols;
            distances[a][b][q] = Trial(config, config.RankList[a], config.SamplesPerComponentList[b], (ulong)(config.Seed0 + q), algebra);
        });

        var success = new double[rows][];
        var mean = new double[rows][];
        for (int a = 0; a < rows; a++)
        {
            success[a] = new double[cols];
            mean[a] = new double[cols];
            for (int b = 0; b < cols; b++)
            {
                success[a][b] = distances[a][b].Count(x => x <= config.Threshold) / (double)trials;
                mean[a][b] = distances[a][b].Average();
            }
        }

        return new MolrgHeatmapResult(config, success, mean, distances);
    }

    /// <summary>D of one trial: the trial seed draws the bases, the samples and the K-subspaces starts.</summary>
    public static double Trial(MolrgHeatmapConfig config, int rank, int samplesPerComponent, ulong seed, ILinearAlgebra algebra)
    {
        ArgumentNullException.ThrowIfNull(config);
        var truth = MolrgData.DrawBases(config.D, config.K, rank, seed, config.Orthogonal);
        var data = MolrgData.Draw(truth, config.K * samplesPerComponent, config.Delta, seed);
        var fit = KSubspaces.Fit(data, config.K, rank, seed, config.Restarts, config.MaxIterations, algebra);
        return SubspaceRecovery.Distance(fit.Bases, truth);
    }
}
