using SweepCluster.Cli;

// SQLite calls block the thread they run on (its async methods are synchronous underneath), and in the
// embedded mode the store and the coordinator's journal wait on each other's write lock. A few blocked pool
// threads on a 2-core machine would otherwise stall the actors, timers and the signal handler for the
// half second per thread the pool takes to grow.
ThreadPool.GetMinThreads(out int workers, out int io);
ThreadPool.SetMinThreads(Math.Max(workers, 16), Math.Max(io, 16));

return SweepCommandLine.Run(args, Console.Out, Console.Error);
