using SweepCluster.Cli;

return SweepCommandLine.Run(args, Console.Out, Console.Error);
