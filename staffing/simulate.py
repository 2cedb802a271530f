"""Discrete-event simulation of a call centre with time-varying load and staff.

Calls are handled first come, first served. They are taken in arrival order and
each one goes to the agent that becomes free first after every earlier caller who
stayed has been placed (exact for FCFS); callers whose wait would exceed their
patience hang up without taking agent time, and may call again later.
Headcount changes at interval boundaries: new agents log in free; leaving agents
are the ones that would be free soonest (an agent on a call finishes it first).
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

import numpy as np

from . import _validate as v


@dataclass(frozen=True)
class SimulationResult:
    """Per-interval outcome of one simulation run (by the interval a call arrived in)."""

    offered: np.ndarray  # first attempts and redials
    answered: np.ndarray
    abandoned: np.ndarray
    answered_in_target: np.ndarray
    redials: np.ndarray
    service_level: np.ndarray  # answered within target / offered
    asa_s: np.ndarray  # mean wait of answered calls
    occupancy: np.ndarray  # busy agent time / staffed agent time

    def totals(self) -> dict:
        """Whole-run figures: calls, service level, abandonment, ASA."""
        offered = self.offered.sum()
        answered = self.answered.sum()
        return {"offered": int(offered), "answered": int(answered),
                "abandoned": int(self.abandoned.sum()), "redials": int(self.redials.sum()),
                "service_level": float(self.answered_in_target.sum() / max(offered, 1)),
                "abandon_rate": float(self.abandoned.sum() / max(offered, 1)),
                "asa_s": float(np.nansum(self.asa_s * self.answered) / max(answered, 1))}


def _service_times(rng, mean: np.ndarray, cv: float) -> np.ndarray:
    if cv == 1.0:
        return rng.exponential(mean)
    sigma2 = np.log1p(cv * cv)
    return rng.lognormal(np.log(mean) - sigma2 / 2, np.sqrt(sigma2))


def simulate(calls, interval_s: float, agents, *, aht_s, rng: np.random.Generator,
             patience_s: float | None = None, target_s: float = 20.0, aht_cv: float = 1.0,
             redial_prob: float = 0.0, redial_delay_s: float = 300.0,
             counts_given: bool = False) -> SimulationResult:
    """Simulate a day (or weeks) of calls against a staffing schedule.

    Parameters
    ----------
    calls : array_like
        Expected calls per interval (Poisson arrivals, uniform within the interval), or the
        exact counts when ``counts_given``.
    interval_s : float
        Interval length, seconds.
    agents : array_like of int
        Agents on the phones in each interval.
    aht_s : float or array_like
        Mean handling time of calls arriving in each interval, seconds.
    rng : numpy.random.Generator
        Source of randomness (pass a seeded one for reproducible runs).
    patience_s : float, optional
        Mean patience (exponential); ``None``: nobody hangs up.
    target_s : float
        Answer-time target, seconds.
    aht_cv : float
        Coefficient of variation of handling times (1: exponential; otherwise log-normal).
    redial_prob : float
        Probability that a caller who hung up calls again.
    redial_delay_s : float
        Mean delay before calling again, seconds (exponential).

    Returns
    -------
    SimulationResult

    Examples
    --------
    >>> import numpy as np
    >>> r = simulate([100] * 48, 1800, [14] * 48, aht_s=180, rng=np.random.default_rng(1))
    >>> 0.85 < r.totals()["service_level"] < 0.92
    True
    """
    expected = v.nonnegative("calls", calls).ravel()
    staff = np.round(v.nonnegative("agents", agents).ravel()).astype(int)
    if staff.size != expected.size:
        raise ValueError(f"agents must give one headcount per interval ({expected.size}), "
                         f"got {staff.size}")
    aht = np.broadcast_to(v.positive("aht_s", aht_s), expected.shape).astype(float)
    if patience_s is not None:
        v.positive("patience_s", patience_s)
    if not 0 <= redial_prob <= 1:
        raise ValueError(f"redial_prob must be in [0, 1], got {redial_prob}")
    k = expected.size
    counts = expected.astype(int) if counts_given else rng.poisson(expected)
    owner = np.repeat(np.arange(k), counts)
    arrivals = (owner + rng.random(owner.size)) * interval_s
    order = np.argsort(arrivals, kind="stable")
    arrivals, owner = arrivals[order], owner[order]
    service = _service_times(rng, aht[owner], aht_cv)
    patience = rng.exponential(patience_s, owner.size) if patience_s else np.full(owner.size, np.inf)

    change_t = np.arange(1, k) * interval_s
    change_d = np.diff(staff)
    free = [0.0] * int(staff[0])
    heapq.heapify(free)
    ci = 0  # next staffing change

    # Outputs per call (first attempts, then redials appended).
    rec_interval, rec_wait, rec_answered, rec_service_start, rec_service = [], [], [], [], []
    rec_redial = []
    redial_heap: list = []
    i = 0
    n = arrivals.size
    while i < n or redial_heap:
        if redial_heap and (i >= n or redial_heap[0][0] < arrivals[i]):
            a, s, p = heapq.heappop(redial_heap)
            is_redial = True
        else:
            a, s, p = arrivals[i], service[i], patience[i]
            i += 1
            is_redial = False
        while True:
            candidate = max(a, free[0]) if free else np.inf
            if ci < change_t.size and change_t[ci] <= candidate:
                t, d = change_t[ci], change_d[ci]
                if d > 0:
                    for _ in range(d):
                        heapq.heappush(free, t)
                else:
                    for _ in range(min(-d, len(free))):
                        heapq.heappop(free)
                ci += 1
                continue
            break
        start = candidate
        rec_interval.append(min(int(a // interval_s), k - 1))
        rec_redial.append(is_redial)
        if start - a > p:
            rec_wait.append(p)
            rec_answered.append(False)
            if redial_prob and rng.random() < redial_prob:
                again = a + p + rng.exponential(redial_delay_s)
                if again < k * interval_s:
                    heapq.heappush(redial_heap, (again, s, rng.exponential(float(patience_s or 0))))
            continue
        rec_wait.append(start - a)
        rec_answered.append(True)
        rec_service_start.append(start)
        rec_service.append(s)
        heapq.heapreplace(free, start + s)

    slot = np.asarray(rec_interval, dtype=np.int64)
    wait = np.asarray(rec_wait)
    ans = np.asarray(rec_answered, dtype=bool)
    redial = np.asarray(rec_redial, dtype=bool)

    def count(mask):
        return np.bincount(slot[mask], minlength=k)

    offered = np.bincount(slot, minlength=k)
    answered = count(ans)
    in_target = count(ans & (wait <= target_s))
    wait_sum = np.bincount(slot[ans], weights=wait[ans], minlength=k)
    asa = np.divide(wait_sum, answered, out=np.full(k, np.nan), where=answered > 0)
    sl = np.divide(in_target, offered, out=np.ones(k), where=offered > 0)
    occupancy = _occupancy(np.asarray(rec_service_start), np.asarray(rec_service), staff,
                           interval_s)
    return SimulationResult(offered=offered, answered=answered, abandoned=offered - answered,
                            answered_in_target=in_target, redials=count(redial),
                            service_level=sl, asa_s=asa, occupancy=occupancy)


def _occupancy(start: np.ndarray, duration: np.ndarray, staff: np.ndarray,
               interval_s: float) -> np.ndarray:
    """Busy agent-seconds per interval over staffed agent-seconds."""
    k = staff.size
    bounds = np.arange(k + 1) * interval_s
    if start.size == 0:
        return np.zeros(k)
    times = np.concatenate([start, start + duration])
    delta = np.concatenate([np.ones(start.size), -np.ones(start.size)])
    order = np.argsort(times, kind="stable")
    times, delta = times[order], delta[order]
    level = np.cumsum(delta)
    # Cumulative busy time at each event: integral of the busy count.
    cum = np.concatenate([[0.0], np.cumsum(level[:-1] * np.diff(times))])
    at_bounds = np.interp(bounds, times, cum, left=0.0, right=cum[-1])
    busy = np.diff(at_bounds)
    staffed = staff * interval_s
    return np.divide(busy, staffed, out=np.zeros(k), where=staffed > 0)
