"""Discrete-event simulation of a call centre with time-varying load and staff.

Calls are handled first come, first served. They are taken in arrival order and
each one goes to the agent that becomes free first after every earlier caller who
stayed has been placed (exact for FCFS); callers whose wait would exceed their
patience hang up without taking agent time, and may call again later.
Headcount changes at interval boundaries: new agents log in free; leaving agents
are the ones that would be free soonest (an agent on a call finishes it first).
A headcount of 0 is allowed: callers wait for the next agents to log in (or hang
up when they run out of patience).

The line closes at the end of the staffing schedule: no new calls arrive after it.
Callers still waiting then are either served by a closing team (``at_close="serve"``,
the default) or cut off (``at_close="abandon"``); either way their number is reported
as ``waiting_at_close``.
"""

from __future__ import annotations

import heapq
from array import array
from dataclasses import dataclass

import numpy as np

from . import _validate as v

AT_CLOSE = ("serve", "abandon")
"""Allowed values of ``at_close``."""

MAX_CALLS = 5_000_000
"""Default cap on the expected number of first attempts in one run (see ``simulate``)."""

_CHUNK = 65_536  # calls converted to Python floats at a time


@dataclass(frozen=True)
class SimulationResult:
    """Per-interval outcome of one simulation run (by the interval a call arrived in).

    Attributes
    ----------
    offered : numpy.ndarray of int
        Calls offered: first attempts and redials.
    answered : numpy.ndarray of int
        Calls answered, including those answered after the line closed.
    abandoned : numpy.ndarray of int
        Calls that hung up, including those cut off at close (``at_close="abandon"``).
    answered_in_target : numpy.ndarray of int
        Calls answered within ``target_s`` seconds.
    redials : numpy.ndarray of int
        Offered calls that were redials.
    service_level : numpy.ndarray of float
        Answered within target / offered (1 where nothing was offered).
    asa_s : numpy.ndarray of float
        Mean wait of answered calls, seconds (NaN where nothing was answered).
    occupancy : numpy.ndarray of float
        Busy agent time / staffed agent time (0 where nobody was staffed). It can exceed 1
        just after a headcount drops, as leaving agents finish their calls; time the
        closing team spends after the close is not counted.
    waiting_at_close : numpy.ndarray of int
        Callers still waiting when the line closed (the end of the schedule), by the
        interval they called in; they are among ``answered`` (served late by the closing
        team, unless they hung up first) or ``abandoned`` (cut off), per ``at_close``.
    blocked : numpy.ndarray of int
        Calls that heard busy because the line held ``trunk_limit`` callers (not among
        ``abandoned``); 0 without a trunk limit.
    """

    offered: np.ndarray
    answered: np.ndarray
    abandoned: np.ndarray
    answered_in_target: np.ndarray
    redials: np.ndarray
    service_level: np.ndarray
    asa_s: np.ndarray
    occupancy: np.ndarray
    waiting_at_close: np.ndarray
    blocked: np.ndarray

    def totals(self) -> dict:
        """Whole-run figures: attempts, unique callers, service, abandonment, busy signals.

        Also ASA and the callers still waiting at close.
        """
        offered = self.offered.sum()
        answered = self.answered.sum()
        return {"offered": int(offered), "answered": int(answered),
                "abandoned": int(self.abandoned.sum()), "redials": int(self.redials.sum()),
                "unique_callers": int(offered - self.redials.sum()),
                "blocked": int(self.blocked.sum()),
                "service_level": float(self.answered_in_target.sum() / max(offered, 1)),
                "abandon_rate": float(self.abandoned.sum() / max(offered, 1)),
                "blocked_rate": float(self.blocked.sum() / max(offered, 1)),
                "asa_s": float(np.nansum(self.asa_s * self.answered) / max(answered, 1)),
                "waiting_at_close": int(self.waiting_at_close.sum())}


def _service_times(rng, mean: np.ndarray, cv: float) -> np.ndarray:
    if cv == 1.0:
        return rng.exponential(mean)
    sigma2 = np.log1p(cv * cv)
    return rng.lognormal(np.log(mean) - sigma2 / 2, np.sqrt(sigma2))


def simulate(calls, interval_s: float, agents, *, aht_s, rng: np.random.Generator,
             patience_s: float | None = None, target_s: float = 20.0, aht_cv: float = 1.0,
             redial_prob: float = 0.0, redial_delay_s: float = 300.0,
             counts_given: bool = False, at_close: str = "serve",
             trunk_limit: int | None = None, max_calls: int = MAX_CALLS) -> SimulationResult:
    """Simulate a day (or weeks) of calls against a staffing schedule.

    Parameters
    ----------
    calls : array_like
        Expected calls per interval (Poisson arrivals, uniform within the interval), or the
        exact counts when ``counts_given``.
    interval_s : float
        Interval length, seconds.
    agents : array_like of int
        Agents on the phones in each interval; 0 is allowed (callers wait for the next
        agents, or hang up).
    aht_s : float or array_like
        Mean handling time of calls arriving in each interval, seconds.
    rng : numpy.random.Generator
        Source of randomness (pass a seeded one for reproducible runs).
    patience_s : float, optional
        Mean patience (exponential), seconds; ``None``: nobody hangs up.
    target_s : float
        Answer-time target, seconds.
    aht_cv : float
        Coefficient of variation of handling times (1: exponential; otherwise log-normal).
    redial_prob : float
        Probability that a caller who hung up, or heard busy, calls again (redials only
        arrive before the line closes).
    redial_delay_s : float
        Mean delay before calling again, seconds (exponential).
    counts_given : bool
        Take ``calls`` as exact counts instead of Poisson means.
    at_close : {"serve", "abandon"}
        What happens to callers still waiting when the line closes at the end of the
        schedule (``len(calls) * interval_s``). ``"serve"``: the last headcount, or one
        agent if it was 0, stays on until they are answered (callers with a patience
        may still hang up meanwhile); their waits count in ASA and service level.
        ``"abandon"``: they are cut off at the close and counted as abandoned. Either
        way their number is in ``waiting_at_close``.
    trunk_limit : int, optional
        The most callers in the system (talking or waiting); a call arriving when it is
        full hears busy (``blocked``) and may redial. ``None``: no limit.
    max_calls : int
        Refuse schedules expecting more first attempts than this, runs whose redials take
        the attempts past it, and schedules whose agents log in and out more times than
        this. The run is a loop over calls in Python: about 1 to 2 microseconds and 40
        bytes per call, so the default of 5 million calls takes 5 to 10 s and about
        0.2 GB; a day at 50,000 Erlangs (24 million calls) takes about 40 s and 1 GB.

    Returns
    -------
    SimulationResult
        Per-interval counts, by the interval each call arrived in.

    Raises
    ------
    ValueError
        If an input is out of range, ``agents`` and ``calls`` differ in length,
        ``at_close`` is not one of ``"serve"``, ``"abandon"``, or the schedule expects
        more than ``max_calls`` calls (first attempts, redials, or agents logging in and
        out).

    Notes
    -----
    ``"serve"`` is the default because a line that closes normally stops taking new
    calls but answers the queue; the count in ``waiting_at_close`` shows how much of
    the result depends on that closing team. Use ``"abandon"`` for a hard cut-off
    (a line that switches to a closed message).

    Examples
    --------
    >>> import numpy as np
    >>> r = simulate([100] * 48, 1800, [14] * 48, aht_s=180, rng=np.random.default_rng(1))
    >>> 0.85 < r.totals()["service_level"] < 0.92
    True

    Nobody on the phones in the second hour: its callers wait for the third.

    >>> r = simulate([60, 60, 60], 3600, [5, 0, 5], aht_s=120, rng=np.random.default_rng(2))
    >>> int(r.answered.sum()) == int(r.offered.sum()), bool(r.service_level[1] < 0.1)
    (True, True)
    >>> r.totals()["waiting_at_close"]
    0
    """
    expected = v.nonnegative("calls", calls).ravel()
    if expected.size == 0:
        raise ValueError("calls must give at least one interval, got an empty array")
    staff = np.round(v.nonnegative("agents", agents).ravel()).astype(int)
    if staff.size != expected.size:
        raise ValueError(f"agents must give one headcount per interval ({expected.size}), "
                         f"got {staff.size}")
    interval_s = float(v.positive("interval_s", interval_s))
    aht = np.broadcast_to(v.positive("aht_s", aht_s), expected.shape).astype(float)
    if patience_s is not None:
        v.positive("patience_s", patience_s)
    target_s = float(v.nonnegative("target_s", target_s))
    aht_cv = float(v.nonnegative("aht_cv", aht_cv))
    if not 0 <= redial_prob <= 1:
        raise ValueError(f"redial_prob must be in [0, 1], got {redial_prob}")
    redial_delay_s = float(v.positive("redial_delay_s", redial_delay_s))
    v.choice("at_close", at_close, AT_CLOSE)
    if trunk_limit is not None and not (int(trunk_limit) == trunk_limit and trunk_limit >= 1):
        raise ValueError(f"trunk_limit must be a whole number of lines >= 1, got {trunk_limit}")
    max_calls = float(v.positive("max_calls", max_calls))
    # Each agent logging in or out is a step of the loop too.
    logins = int(staff[0]) + int(np.abs(np.diff(staff)).sum())
    if logins > max_calls:
        raise ValueError(f"agents log in and out {logins:,} times in the schedule, above "
                         f"max_calls={max_calls:,.0f}; pass a larger max_calls to run it "
                         f"anyway, or check the headcounts (largest {int(staff.max()):,})")
    k = expected.size
    counts = expected.astype(int) if counts_given else None
    total = float(expected.sum()) if counts is None else int(counts.sum())
    if total > max_calls:
        raise ValueError(f"calls add up to {total:,.0f} per run, above max_calls={max_calls:,.0f} "
                         f"(the simulation takes about 1 to 2 microseconds and 40 bytes a call); "
                         f"pass a larger max_calls to run it anyway, or simulate a shorter span")
    if counts is None:
        counts = rng.poisson(expected)
    owner = np.repeat(np.arange(k), counts)
    arrivals = (owner + rng.random(owner.size)) * interval_s
    arrivals.sort()  # within each interval; ``owner`` is already in order
    service = _service_times(rng, aht[owner], aht_cv)
    patience = rng.exponential(patience_s, owner.size) if patience_s else None

    close = k * interval_s
    change_t = (np.arange(1, k) * interval_s).tolist()
    change_d = np.diff(staff).tolist()
    if at_close == "serve":  # the closing team: the last headcount, at least one agent
        change_t.append(close)
        change_d.append(max(int(staff[-1]), 1) - int(staff[-1]))
    n_changes = len(change_t)
    cut_off = at_close == "abandon"
    free = [0.0] * int(staff[0])
    ci = 0  # next staffing change

    offered, answered, in_target, redials, at_close_n, blocked = ([0] * k for _ in range(6))
    in_system: list = []  # leave times of the callers on the line (kept only with a trunk limit)
    limit = int(trunk_limit) if trunk_limit is not None else None
    wait_sum = [0.0] * k
    starts, ends = array("d"), array("d")
    redial_heap: list = []
    inf = float("inf")
    i = hi = lo = n_redials = 0
    n = arrivals.size
    arr_c: list = []
    while i < n or redial_heap:
        if i == hi and i < n:  # next chunk of first attempts as Python numbers (fast to use)
            lo, hi = i, min(i + _CHUNK, n)
            arr_c, srv_c = arrivals[lo:hi].tolist(), service[lo:hi].tolist()
            own_c = owner[lo:hi].tolist()
            pat_c = patience[lo:hi].tolist() if patience is not None else [inf] * (hi - lo)
        if redial_heap and (i >= n or redial_heap[0][0] < arr_c[i - lo]):
            a, s, p = heapq.heappop(redial_heap)
            slot = min(int(a // interval_s), k - 1)
            redials[slot] += 1
            n_redials += 1
            if n + n_redials > max_calls:
                raise ValueError(
                    f"redials took the run past max_calls={max_calls:,.0f} attempts "
                    f"(redial_prob={redial_prob:g}, redial_delay_s={redial_delay_s:g}); "
                    "callers who keep hearing busy or hanging up redial without end: "
                    "lower redial_prob, raise redial_delay_s, or pass a larger max_calls")
        else:
            j = i - lo
            a, s, p, slot = arr_c[j], srv_c[j], pat_c[j], own_c[j]
            i += 1
        offered[slot] += 1
        if limit is not None:
            while in_system and in_system[0] <= a:
                heapq.heappop(in_system)
            if len(in_system) >= limit:
                blocked[slot] += 1
                if redial_prob and rng.random() < redial_prob:
                    again = a + rng.exponential(redial_delay_s)
                    if again < close:
                        again_p = rng.exponential(patience_s) if patience_s else inf
                        heapq.heappush(redial_heap, (again, s, again_p))
                continue
        while True:
            candidate = max(a, free[0]) if free else inf
            if ci < n_changes and change_t[ci] <= candidate:
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
        if start >= close and a + p > close:  # still waiting when the line closes
            at_close_n[slot] += 1
            if cut_off:
                if limit is not None:
                    heapq.heappush(in_system, close)
                continue
        if start - a > p:
            if limit is not None:
                heapq.heappush(in_system, a + p)
            # Redials only come before the close (no draw otherwise, so that runs with either
            # ``at_close`` use the same random numbers).
            if redial_prob and a + p < close and rng.random() < redial_prob:
                again = a + p + rng.exponential(redial_delay_s)
                if again < close:
                    heapq.heappush(redial_heap, (again, s, rng.exponential(float(patience_s or 0))))
            continue
        wait = start - a
        answered[slot] += 1
        wait_sum[slot] += wait
        if wait <= target_s:
            in_target[slot] += 1
        starts.append(start)
        ends.append(start + s)
        if limit is not None:
            heapq.heappush(in_system, start + s)
        heapq.heapreplace(free, start + s)

    del arrivals, owner, service, patience  # before the occupancy sums, to lower the peak
    offered_a, answered_a = np.array(offered), np.array(answered)
    in_target_a = np.array(in_target)
    asa = np.divide(wait_sum, answered_a, out=np.full(k, np.nan), where=answered_a > 0)
    sl = np.divide(in_target_a, offered_a, out=np.ones(k), where=offered_a > 0)
    occupancy = _occupancy(np.frombuffer(starts), np.frombuffer(ends), staff, interval_s)
    return SimulationResult(offered=offered_a, answered=answered_a,
                            abandoned=offered_a - answered_a - np.array(blocked),
                            answered_in_target=in_target_a,
                            redials=np.array(redials), service_level=sl, asa_s=asa,
                            occupancy=occupancy, waiting_at_close=np.array(at_close_n),
                            blocked=np.array(blocked))


def _busy_before(times: np.ndarray, k: int, interval_s: float) -> np.ndarray:
    """``sum(max(b - t, 0) for t in times)`` at each interval bound ``b = j * interval_s``."""
    bins = np.floor_divide(times, interval_s)
    bins = np.minimum(bins, k, out=bins).astype(np.intp)  # bound j counts bins < j
    count = np.concatenate([[0], np.cumsum(np.bincount(bins, minlength=k + 1))[:k]])
    total = np.concatenate([[0.0], np.cumsum(np.bincount(bins, weights=times, minlength=k + 1))[:k]])
    return count * (np.arange(k + 1) * interval_s) - total


def _occupancy(start: np.ndarray, end: np.ndarray, staff: np.ndarray,
               interval_s: float) -> np.ndarray:
    """Busy agent-seconds per interval over staffed agent-seconds.

    Busy time before ``b`` is ``sum(clip(b - start, 0, end - start))``, which is
    ``sum(max(b - start, 0)) - sum(max(b - end, 0))``: two binned sums, no sort.
    """
    k = staff.size
    busy = np.diff(_busy_before(start, k, interval_s) - _busy_before(end, k, interval_s))
    staffed = staff * interval_s
    return np.divide(busy, staffed, out=np.zeros(k), where=staffed > 0)
