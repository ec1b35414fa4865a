#!/usr/bin/env python3
"""Peer comparison for docs/benchmarks.md: Optuna's RDB storage on the same PostgreSQL, a trivial
grid objective, W worker processes pulling trials from one study, as SweepCluster workers pull units.

Usage: python3 bench/baseline/optuna_grid.py POSTGRES_URL WORKERS TRIALS
Needs Debian's python3-optuna and python3-psycopg2. Prints trials per second.
"""
import multiprocessing as mp
import sys
import time
import uuid

import optuna


def objective(trial):
    x = trial.suggest_float("x", 0.0, 1.0)
    return x * x


def worker(url, study_name, trials_per_worker, grid):
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.load_study(study_name=study_name, storage=url, sampler=optuna.samplers.GridSampler(grid))
    study.optimize(objective, n_trials=trials_per_worker)


def main():
    url = sys.argv[1].replace("postgres://", "postgresql+psycopg2://", 1)
    workers = int(sys.argv[2])
    trials = int(sys.argv[3])
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    name = "bench-" + uuid.uuid4().hex[:8]
    grid = {"x": [i / trials for i in range(trials)]}
    optuna.create_study(study_name=name, storage=url, sampler=optuna.samplers.GridSampler(grid))
    per = max(1, trials // workers)
    procs = [mp.Process(target=worker, args=(url, name, per, grid)) for _ in range(workers)]
    start = time.perf_counter()
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    elapsed = time.perf_counter() - start
    done = len(optuna.load_study(study_name=name, storage=url).trials)
    print(f"optuna {optuna.__version__}: {workers} workers, {done} trials in {elapsed:.2f} s: {done / elapsed:.1f} trials/s")
    optuna.delete_study(study_name=name, storage=url)


if __name__ == "__main__":
    main()
