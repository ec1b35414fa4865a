#!/usr/bin/env python3
"""Baseline for docs/benchmarks.md: one unit (training set, covariance, eigendecomposition, both
losses at all T steps, both KL directions) written the straightforward way with numpy/OpenBLAS.

Usage: python3 bench/baseline/numpy_unit.py [d] [N] [repeats]
Prints the median seconds per seed. Needs Debian's python3-numpy.
"""
import sys
import time

import numpy as np


def unit(d, n, seed, c=1e-4, T=1000, k=1.0):
    lam = np.arange(1, d + 1, dtype=float) ** (-k)
    lam *= d / lam.sum()
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, d)) * np.sqrt(lam)
    mu0 = x.mean(axis=0)
    xc = x - mu0
    cov = xc.T @ xc / n
    sig, u = np.linalg.eigh(cov)
    sig = np.clip(sig, 0, None)
    qs = (u ** 2 * lam[:, None]).sum(axis=0)
    qsinv = (u ** 2 / lam[:, None]).sum(axis=0)
    e2 = (u.T @ mu0) ** 2

    beta = np.linspace(1e-4, 1e-2, T)
    abar = np.cumprod(1 - beta)
    a = np.sqrt(abar)[:, None]
    s = np.sqrt(1 - abar)[:, None]
    h = a ** 2 * (sig + c) + s ** 2
    w = s / h
    v = a * sig / h
    eps_test = ((1 - s * w) ** 2 + a ** 2 * w ** 2 * (qs + e2)).sum(axis=1) / d
    eps_train = ((1 - s * w) ** 2 + a ** 2 * w ** 2 * sig).sum(axis=1) / d
    data_test = ((1 - a * v) ** 2 * (qs + e2) + s ** 2 * v ** 2).sum(axis=1) / d
    data_train = ((1 - a * v) ** 2 * sig + s ** 2 * v ** 2).sum(axis=1) / d

    p = sig + c
    fwd = 0.5 * (np.log(lam).sum() - np.log(p).sum() - d + (mu0 ** 2 / lam).sum() + (p * qsinv).sum()) / d
    rev = 0.5 * (np.log(p).sum() - np.log(lam).sum() - d + (e2 / p).sum() + (qs / p).sum()) / d

    P = np.ones(d)
    prod = np.ones(d)
    for t in range(T - 1, -1, -1):
        g = (1 - beta[t] / s[t, 0] * w[t]) / np.sqrt(1 - beta[t])
        P = g * g * P + beta[t]
        prod *= g
    shrink = 1 - a[-1, 0] * prod
    m = u @ (shrink * (u.T @ mu0))
    dfwd = 0.5 * (np.log(lam).sum() - np.log(P).sum() - d + (m ** 2 / lam).sum() + (P * qsinv).sum()) / d
    drev = 0.5 * (np.log(P).sum() - np.log(lam).sum() - d + (shrink ** 2 * e2 / P).sum() + (qs / P).sum()) / d
    return eps_test.mean(), eps_train.mean(), data_test.mean(), data_train.mean(), fwd, rev, dfwd, drev


def main():
    d = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    unit(d, n, 0)
    times = []
    for r in range(repeats):
        t0 = time.perf_counter()
        unit(d, n, r + 1)
        times.append(time.perf_counter() - t0)
    times.sort()
    print(f"numpy {np.__version__} d={d} N={n}: median {times[len(times) // 2]:.3f} s per seed over {repeats}")


if __name__ == "__main__":
    main()
