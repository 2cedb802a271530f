"""A small exact simulation of the M/M/n+M queue (FCFS), for checking formulas.

Calls are taken in arrival order; each one reaches the earliest agent to become
free after every earlier caller who stayed has been placed, which is exactly
FCFS with abandonment. Callers whose wait would exceed their patience hang up
and take no agent time.
"""

import heapq

import numpy as np


def simulate(rate_per_s, aht_s, patience_s, agents, target_s, n_calls, rng, warmup=0.1):
    gaps = rng.exponential(1 / rate_per_s, n_calls)
    arrivals = np.cumsum(gaps)
    service = rng.exponential(aht_s, n_calls)
    patience = rng.exponential(patience_s, n_calls) if patience_s else np.full(n_calls, np.inf)
    free = [0.0] * agents
    waits = np.empty(n_calls)
    answered = np.zeros(n_calls, dtype=bool)
    for i in range(n_calls):
        start = max(arrivals[i], free[0])
        wait = start - arrivals[i]
        if wait > patience[i]:
            waits[i] = patience[i]
            continue
        waits[i] = wait
        answered[i] = True
        heapq.heapreplace(free, start + service[i])
    keep = slice(int(warmup * n_calls), None)
    w, ans = waits[keep], answered[keep]
    return {"p_wait": float(np.mean(w > 0)), "p_abandon": float(np.mean(~ans)),
            "sl_offered": float(np.mean(ans & (w <= target_s))),
            "asa_s": float(w[ans].mean())}
