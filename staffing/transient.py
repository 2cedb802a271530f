"""Time-dependent queue: M(t)/M/s(t) with optional exponential abandonment.

The number of calls in the system is a birth-death chain whose arrival rate and
headcount change from one interval to the next (constant within an interval). Its
distribution is carried forward interval by interval, so the service a staffing plan
gives after a spot spike can be read off without the steady-state assumption of
Erlang C/A. It is the reference the SIPP/MOL comparison is judged by.

What is exact, and to what accuracy
-----------------------------------
* **The state distribution.** Within an interval the distribution is
  p(t) = exp(t Q^T) p(0) for the tridiagonal generator Q. Its end-of-interval value
  and its time average over the interval, (1/T) int_0^T p(t) dt, come out of one
  matrix-exponential action of the augmented generator [[Q^T, 0], [I/T, 0]] applied to
  [p(0), 0] (the second block of exp(T M) [p(0); 0] is that time average). The action
  is computed by the Al-Mohy-Higham algorithm at double precision, so there is no
  quadrature error: against a reference integrated on a grid of 0.1-second steps the
  per-interval measures agree to 1e-9 or better.
* **Arrival-weighted measures.** Arrivals are Poisson at a constant rate within an
  interval, so the arrival-weighted average of any state function over the interval
  is its time average; ``p_wait``, ``occupancy``, ``mean_queue`` and
  ``mean_in_system`` are therefore exact for the model.
* **State space.** Each interval carries the states up to where its starting mass
  ends, plus the fluid growth of the queue and six standard deviations of the calls
  arriving and leaving in the interval; if more than 1e-12 of the mass reaches the top
  of that cut it is widened, and a queue that outgrows the widest cut is an error, never
  a silently wrong answer.

What rests on an assumption
---------------------------
``service_level`` and ``p_abandon`` need the fate of a caller who waits, and the
caller's wait may run past the end of the interval. Both hold the headcount of the
caller's arrival interval for the whole wait (the usual "stationary within the wait"
convention; exact when the headcount does not change, otherwise off only for callers
still waiting when it changes). With j calls queued ahead, s agents of service rate
mu and patience rate theta (x = s mu / theta, u = exp(-theta tau)):

* answered within tau: 1 - P(Poisson(s mu tau) <= j) without abandonment, and
  (x / (x + j + 1)) (1 - I_u(x + 1, j + 1)) with it (I the regularised incomplete
  beta function);
* abandons before being answered: (j + 1) / (x + j + 1), the chance that the caller's
  patience runs out before the j + 1 service completions that reach the caller
  (answered with probability x / (x + j + 1)); 0 without abandonment.

So ``p_abandon`` is the fraction of an interval's arrivals who eventually hang up,
and service_level + p_abandon <= 1 for every interval.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse, special
from scipy.sparse.linalg import expm_multiply

from . import _validate as v

_TOP = 20  # states at the top of the cut that must stay (almost) empty
_NEGLIGIBLE = 1e-12  # mass allowed there before the cut is widened
_OVERFLOW = 1e-8  # mass there, at the widest cut, that makes the model give up


@dataclass(frozen=True)
class TransientResult:
    """Arrival-weighted measures per interval of a time-varying queue.

    Attributes
    ----------
    p_wait : numpy.ndarray
        Probability that a caller arriving in the interval finds all agents busy.
    service_level : numpy.ndarray
        Fraction of the interval's offered calls answered within ``target_s``
        (headcount of the arrival interval held for the wait).
    p_abandon : numpy.ndarray
        Fraction of the interval's offered calls that hang up before being answered
        (same assumption); 0 without abandonment.
    occupancy : numpy.ndarray
        Time-average busy agents divided by agents on the phones.
    mean_queue : numpy.ndarray
        Time-average calls waiting; theta * mean_queue * interval_s calls abandon
        during the interval.
    mean_in_system : numpy.ndarray
        Time-average calls waiting or in service.
    """

    p_wait: np.ndarray
    service_level: np.ndarray
    p_abandon: np.ndarray
    occupancy: np.ndarray
    mean_queue: np.ndarray
    mean_in_system: np.ndarray


def _death_rates(size: int, agents: int, mu: float, theta: float) -> np.ndarray:
    n = np.arange(size)
    return np.minimum(n, agents) * mu + np.maximum(n - agents, 0) * theta


def _stationary(lam: float, agents: int, mu: float, theta: float, size: int) -> np.ndarray:
    """Stationary distribution of the birth-death chain, by its product form."""
    death = _death_rates(size, agents, mu, theta)[1:]
    logp = np.concatenate([[0.0], np.cumsum(np.log(lam + 1e-300) - np.log(death))])
    p = np.exp(logp - logp.max())
    return p / p.sum()


def _augmented(lam: float, agents: int, mu: float, theta: float, size: int,
               interval_s: float) -> sparse.csr_matrix:
    """T * [[Q^T, 0], [I / T, 0]]: exp of it maps [p(0); 0] to [p(T); mean of p on [0, T]]."""
    death = _death_rates(size, agents, mu, theta)
    birth = np.full(size, lam)
    birth[-1] = 0.0  # the cut reflects; the caller checks it holds no mass
    zeros = np.zeros(size)
    # Column-vector convention: d p / dt = Q^T p; build Q^T directly.
    return sparse.diags(
        [np.concatenate([birth[:-1] * interval_s, zeros]),
         np.concatenate([-(birth + death) * interval_s, zeros]),
         np.concatenate([death[1:] * interval_s, zeros]),
         np.ones(size)],
        [-1, 0, 1, -size], shape=(2 * size, 2 * size), format="csr")


def _answered_in_time(agents: int, mu: float, theta: float, size: int,
                      target_s: float) -> np.ndarray:
    """P(answered within target | arrival finds n in the system) for every state n."""
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


def _abandons(agents: int, mu: float, theta: float, size: int) -> np.ndarray:
    """P(hangs up before being answered | arrival finds n in the system) for every n."""
    n = np.arange(size)
    if theta == 0.0:
        return np.zeros(size)
    ahead = np.maximum(n - agents, 0)
    x = agents * mu / theta
    return np.where(n < agents, 0.0, (ahead + 1) / (x + ahead + 1))


def _cut(p: np.ndarray, lam: float, agents: int, mu: float, theta: float,
         interval_s: float) -> int:
    """States to carry through an interval: where the mass starts, plus drift and spread."""
    tail = np.cumsum(p[::-1])[::-1]
    hi = int(np.flatnonzero(tail > 1e-15)[-1]) if tail[0] > 0 else 0
    excess = lam - agents * mu  # fluid growth rate of the queue when all agents are busy
    if excess > 0:
        level = max(hi, agents) + excess * interval_s
        if theta > 0:
            level = min(level, max(hi, agents + excess / theta))
    else:
        level = max(hi, lam / mu)
    rate = lam + min(level, agents) * mu + max(level - agents, 0.0) * theta
    return int(np.ceil(level + 6.0 * np.sqrt(rate * interval_s) + 2 * _TOP + 20))


def _advance(p: np.ndarray, lam: float, agents: int, mu: float, theta: float,
             interval_s: float, cap: int) -> tuple[np.ndarray, np.ndarray]:
    """Distribution at the end of the interval and its time average over the interval."""
    size = min(_cut(p, lam, agents, mu, theta, interval_s), cap)
    while True:
        start = np.zeros(2 * size)
        m = min(size, p.size)
        start[:m] = p[:m]
        start[:size] /= start[:size].sum()
        out = expm_multiply(_augmented(lam, agents, mu, theta, size, interval_s), start)
        end = np.maximum(out[:size], 0.0)
        mean = np.maximum(out[size:], 0.0)
        end /= end.sum()
        mean /= mean.sum()
        top = max(end[-_TOP:].sum(), mean[-_TOP:].sum())
        if top <= _NEGLIGIBLE or size >= cap:
            break
        size = min(2 * size, cap)
    if end[-_TOP:].sum() > _OVERFLOW:
        raise ValueError("the queue outgrew the model (load far above staff for too long); "
                         "check the headcount")
    return end, mean


def time_varying_queue(calls, aht_s: float, interval_s: float, agents, *,
                       patience_s: float | None = None, target_s: float = 20.0,
                       initial: str = "steady") -> TransientResult:
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
        Agents on the phones in each interval (rounded to whole agents).
    patience_s : float, optional
        Mean patience, seconds (exponential); ``None`` for callers who never hang up.
    target_s : float
        Answer-time target for the service level, seconds.
    initial : {"steady", "empty"}
        Start from the steady state of the first interval, or from an empty system.

    Returns
    -------
    TransientResult
        One value per interval of each measure. The state averages are exact for the
        model; ``service_level`` and ``p_abandon`` hold the arrival interval's
        headcount for the caller's wait (see the module notes).

    Raises
    ------
    ValueError
        For negative or non-finite inputs, a headcount series of the wrong length, an
        unknown ``initial``, an overloaded first interval with ``initial="steady"`` and
        no abandonment, or a queue that grows beyond what the model holds.

    Examples
    --------
    A constant load stays at its Erlang C steady state:

    >>> r = time_varying_queue([100] * 4, 180, 1800, [14] * 4)
    >>> round(float(r.p_wait[-1]), 4)
    0.1741

    From an empty system the first interval is better than the steady state (Erlang A:
    0.0228 abandon):

    >>> r = time_varying_queue([100] * 2, 180, 1800, [14] * 2, patience_s=120,
    ...                        initial="empty")
    >>> [round(float(x), 4) for x in r.p_abandon]
    [0.0173, 0.0228]
    """
    calls = v.nonnegative("calls", calls).ravel()
    staff = v.nonnegative("agents", agents).ravel()
    if staff.shape != calls.shape:
        raise ValueError(f"agents must give one headcount per interval ({calls.size}), "
                         f"got {staff.size}")
    if initial not in ("steady", "empty"):
        raise ValueError(f"initial must be 'steady' or 'empty', got {initial!r}")
    staff = np.round(staff).astype(int)
    mu = 1.0 / float(v.positive("aht_s", aht_s))
    theta = 0.0 if patience_s is None else 1.0 / float(v.positive("patience_s", patience_s))
    interval_s = float(v.positive("interval_s", interval_s))
    target_s = float(v.nonnegative("target_s", target_s))
    lam = calls / interval_s
    load = lam / mu
    if calls.size == 0:
        empty = np.zeros(0)
        return TransientResult(empty, empty, empty, empty, empty, empty)
    if theta == 0.0 and initial == "steady" and staff[0] <= load[0]:
        raise ValueError("the first interval is overloaded (agents <= load): there is no steady "
                         "state to start from; use initial='empty'")
    # The widest cut the model allows; each interval carries only the states it needs.
    cap = int(max(load.max() * 2 + staff.max(), 50) + 12 * np.sqrt(load.max() + 1) + 200)
    if initial == "steady":
        p = _stationary(lam[0], int(staff[0]), mu, theta, cap)
    else:
        p = np.array([1.0])
    out = {k: np.zeros(calls.size) for k in ("p_wait", "sl", "ab", "occ", "queue", "sys")}
    for k in range(calls.size):
        s = int(staff[k])
        p, mean = _advance(p, lam[k], s, mu, theta, interval_s, cap)
        states = np.arange(mean.size)
        out["p_wait"][k] = mean[s:].sum()
        out["sl"][k] = mean @ _answered_in_time(s, mu, theta, mean.size, target_s)
        out["ab"][k] = mean @ _abandons(s, mu, theta, mean.size)
        out["queue"][k] = mean @ np.maximum(states - s, 0)
        out["sys"][k] = mean @ states
        busy = mean @ np.minimum(states, s)
        out["occ"][k] = busy / s if s else (1.0 if lam[k] > 0 else 0.0)
    # Weighted sums of numbers in [0, 1] with weights summing to 1: clip only the rounding.
    prob = {k: np.clip(out[k], 0.0, 1.0) for k in ("p_wait", "sl", "ab", "occ")}
    return TransientResult(p_wait=prob["p_wait"], service_level=prob["sl"],
                           p_abandon=prob["ab"], occupancy=prob["occ"],
                           mean_queue=out["queue"], mean_in_system=out["sys"])
