"""Exact time-dependent queue: M(t)/M/s(t) with optional exponential abandonment.

The number of calls in the system is a birth-death chain whose arrival rate and
headcount change from one interval to the next. Its distribution is carried
forward exactly (matrix exponential of the sparse generator, interval by
interval), so the service a staffing plan gives after a spot spike can be read
off without the steady-state assumption of Erlang C/A. It is the reference the
SIPP/MOL comparison is judged by.

For callers arriving at time t (Poisson arrivals see the state as it is), the
service level uses the wait given the queue ahead with the headcount held for
the duration of the wait: P(W <= tau | j ahead) = 1 - P(Poisson(s mu tau) <= j)
without abandonment, and (x / (x + j + 1)) (1 - I_u(x + 1, j + 1)) answered in
time with abandonment (x = s mu / theta, u = exp(-theta tau), I the regularised
incomplete beta function).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse, special
from scipy.sparse.linalg import expm_multiply

from . import _validate as v


@dataclass(frozen=True)
class TransientResult:
    """Arrival-weighted measures per interval of a time-varying queue."""

    p_wait: np.ndarray
    service_level: np.ndarray  # answered within target / offered
    p_abandon: np.ndarray
    occupancy: np.ndarray
    mean_queue: np.ndarray
    mean_in_system: np.ndarray


def _generator(lam: float, agents: int, mu: float, theta: float, size: int) -> sparse.csr_matrix:
    n = np.arange(size)
    death = np.minimum(n, agents) * mu + np.maximum(n - agents, 0) * theta
    birth = np.full(size, lam)
    birth[-1] = 0.0  # truncation: checked to hold no mass
    diag = -(birth + death)
    # Column-vector convention: d p / dt = Q^T p; build Q^T directly.
    return sparse.diags([birth[:-1], diag, death[1:]], [-1, 0, 1], format="csr")


def _answered_in_time(agents: int, mu: float, theta: float, size: int, target_s: float):
    """P(answered within target | state n) for every state n."""
    n = np.arange(size)
    ahead = np.maximum(n - agents, 0)
    if agents == 0:
        return np.zeros(size)
    if theta == 0.0:
        within = 1.0 - special.pdtr(ahead, agents * mu * target_s)
    else:
        x = agents * mu / theta
        u = np.exp(-theta * target_s)
        within = x / (x + ahead + 1) * (1.0 - special.betainc(x + 1, ahead + 1, u))
    return np.where(n < agents, 1.0, within)


def time_varying_queue(calls, aht_s: float, interval_s: float, agents, *,
                       patience_s: float | None = None, target_s: float = 20.0,
                       substeps: int = 6, initial: str = "steady") -> TransientResult:
    """Carry the queue-length distribution through intervals of changing load and staff.

    Parameters
    ----------
    calls : array_like
        Calls offered in each interval (constant rate within it).
    aht_s : float
        Mean handling time, seconds (exponential).
    interval_s : float
        Interval length, seconds.
    agents : array_like of int
        Agents on the phones in each interval.
    patience_s : float, optional
        Mean patience (exponential); ``None`` for callers who never hang up.
    target_s : float
        Answer-time target for the service level, seconds.
    substeps : int
        Evaluation points per interval for the arrival-weighted averages.
    initial : {"steady", "empty"}
        Start from the steady state of the first interval, or from an empty system.

    Returns
    -------
    TransientResult

    Examples
    --------
    A constant load stays at its Erlang C steady state:

    >>> r = time_varying_queue([100] * 4, 180, 1800, [14] * 4)
    >>> round(float(r.p_wait[-1]), 4)
    0.1741
    """
    calls = v.nonnegative("calls", calls).ravel()
    staff = v.nonnegative("agents", agents).ravel()
    if staff.shape != calls.shape:
        raise ValueError(f"agents must give one headcount per interval ({calls.size}), "
                         f"got {staff.size}")
    staff = np.round(staff).astype(int)
    mu = 1.0 / float(v.positive("aht_s", aht_s))
    theta = 0.0 if patience_s is None else 1.0 / float(v.positive("patience_s", patience_s))
    lam = calls / float(v.positive("interval_s", interval_s))
    load = lam / mu
    if theta == 0.0 and initial == "steady" and staff[0] <= load[0]:
        raise ValueError("the first interval is overloaded (agents <= load): there is no steady "
                         "state to start from; use initial='empty'")
    size = int(max(load.max() * 2 + staff.max(), 50) + 12 * np.sqrt(load.max() + 1) + 200)
    p = np.zeros(size)
    if initial == "steady":
        # Stationary distribution of the birth-death chain, by its product form.
        n = np.arange(1, size)
        death = np.minimum(n, staff[0]) * mu + np.maximum(n - staff[0], 0) * theta
        logp = np.concatenate([[0.0], np.cumsum(np.log(lam[0] + 1e-300) - np.log(death))])
        p = np.exp(logp - logp.max())
        p /= p.sum()
    else:
        p[0] = 1.0
    out = {k: np.zeros(calls.size) for k in ("p_wait", "sl", "ab", "occ", "queue", "sys")}
    states = np.arange(size)
    h = interval_s / substeps
    for k in range(calls.size):
        s = int(staff[k])
        qt = _generator(lam[k], s, mu, theta, size)
        within = _answered_in_time(s, mu, theta, size, target_s)
        busy = np.minimum(states, s)
        queue = np.maximum(states - s, 0)
        acc = np.zeros(6)
        for _ in range(substeps):
            mid = expm_multiply(qt * (h / 2), p)
            acc += [mid[states >= s].sum(), mid @ within, mid @ queue, mid @ busy,
                    mid @ states, 0.0]
            p = expm_multiply(qt * (h / 2), mid)
        p = np.maximum(p, 0.0)
        p /= p.sum()
        if p[-20:].sum() > 1e-8:
            raise ValueError("the queue outgrew the model (load far above staff for too long); "
                             "check the headcount")
        acc /= substeps
        out["p_wait"][k] = acc[0]
        out["sl"][k] = acc[1]
        out["queue"][k] = acc[2]
        out["occ"][k] = acc[3] / s if s else (1.0 if lam[k] > 0 else 0.0)
        out["sys"][k] = acc[4]
        out["ab"][k] = theta * acc[2] / lam[k] if lam[k] > 0 else 0.0
    return TransientResult(p_wait=out["p_wait"], service_level=out["sl"], p_abandon=out["ab"],
                           occupancy=out["occ"], mean_queue=out["queue"],
                           mean_in_system=out["sys"])
