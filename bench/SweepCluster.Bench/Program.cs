using SweepCluster.Bench;

return BenchmarkProgram.Run(args);
