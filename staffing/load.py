"""Offered load over time: the stationary (SIPP) and the modified offered load (MOL).

SIPP staffs each period by ``lam * aht`` of that period alone. After a spike the
calls that arrived earlier are still being served, so the busy-agent count lags
the arrivals; the modified offered load ``m(t) = E[lam(t - S_e)] E[S]`` of Green,
Kolesar and Whitt (2007) tracks that lag: it is the expected number of calls in
service at time ``t`` when nobody waits (infinite servers).

Arrivals are constant within each interval, and every call keeps the exponential
handling time of the interval in which it arrived (an arrival cohort). The calls
of interval ``k`` still in service at ``t`` are

    lam_k * integral over u in interval k, u < t, of exp(-(t - u) / aht_k) du,

and ``m(t)`` is the sum of these over all earlier intervals. Cohorts with the
same handling time decay together, so each distinct handling time carries one
exactly integrated exponential recursion; a recursion is only followed while
its calls can still be in service (``exp(-40)`` of its load, below rounding),
which keeps the work linear in the number of intervals.
"""

from __future__ import annotations

import numpy as np

from . import _validate as v

# A cohort group is followed for _HORIZON handling times after its last arrivals:
# what is left then (exp(-40) = 4e-18 of it) is below double-precision rounding.
_HORIZON = 40.0
_NEWTON_STEPS = 100


def modified_offered_load(rate_per_s: np.ndarray, aht_s: np.ndarray | float,
                          interval_s: float) -> tuple[np.ndarray, np.ndarray]:
    """Modified offered load, mean and peak within each interval, Erlangs.

    Parameters
    ----------
    rate_per_s : ndarray
        Arrival rate of each interval (calls per second), constant within it.
    aht_s : float or ndarray
        Mean (exponential) handling time of the calls arriving in each interval,
        seconds; one value or one per interval. A call keeps the handling time of
        the interval in which it arrived.
    interval_s : float
        Interval length, seconds.

    Returns
    -------
    mean, peak : ndarray
        The average of ``m`` over each interval, and the highest value of ``m``
        inside it. With one handling time ``m`` is monotone within an interval and
        the peak is ``max(m(start), m(end))``; when the handling time changes, calls
        of an earlier cohort can still be leaving while the new ones pile up, and
        the peak may lie inside the interval (it is located exactly). The system
        starts in steady state with the first interval (``m(0) = lam_0 * aht_0``).

    Raises
    ------
    ValueError
        On a negative or non-finite rate, or a handling time or interval length
        that is not positive.

    Notes
    -----
    Cohorts sharing a handling time ``a`` relax as one exponential, so ``m`` at an
    interval boundary is a sum of one exact recursion per distinct handling time,
    ``S[j+1] = exp(-dt/a) S[j] + lam_j a (1 - exp(-dt/a))`` if interval ``j`` has that
    handling time and ``S[j+1] = exp(-dt/a) S[j]`` otherwise (solved for all of them
    at once: a parallel prefix scan over the intervals that add calls, closed-form
    decay in between). Inside an interval ``m`` is a constant plus a sum of
    exponentials in time; it falls, rises, falls at most once each, so its interior
    maximum is the single root of a convex equation, solved by Newton's method. A
    recursion is dropped ``40 * a`` after its last arrivals (what remains is below
    rounding), so the cost is the number of intervals times the number of handling
    times still in service at once: linear in the number of intervals.

    References
    ----------
    Green, L. V., Kolesar, P. J. and Whitt, W. (2007). Coping with time-varying demand
    when setting staffing requirements for a service system. Production and Operations
    Management 16(1), 13-39.

    Examples
    --------
    Ten calls a minute, then thirty for one minute, with a 4-minute handling time:

    >>> import numpy as np
    >>> mean, peak = modified_offered_load(np.array([10, 30, 10]) / 60, np.full(3, 240.0), 60)
    >>> np.round(peak, 2).tolist()
    [40.0, 57.7, 57.7]

    Ten calls a minute throughout, whose handling time jumps from 2 to 10 minutes for
    ten minutes: the long calls keep agents busy after the handling time drops back.

    >>> aht = np.r_[np.full(2, 120.0), np.full(2, 600.0), np.full(2, 120.0)]
    >>> mean, peak = modified_offered_load(np.full(6, 10 / 60), aht, 300)
    >>> np.round(peak, 1).tolist()
    [20.0, 20.0, 41.0, 63.3, 65.2, 56.7]
    """
    rate = v.nonnegative("rate_per_s", rate_per_s).reshape(-1)
    aht = np.broadcast_to(v.positive("aht_s", aht_s), rate.shape).astype(float)
    dt = float(v.positive("interval_s", interval_s))
    n = rate.size
    if n == 0:
        return np.zeros(0), np.zeros(0)

    values, group = np.unique(aht, return_inverse=True)
    pos, kind, state = _cohort_states(rate, aht, values, group, dt)
    lost = -np.expm1(-dt / values)  # share of a group's calls that end within an interval
    at_bound = np.bincount(pos, weights=state, minlength=n + 1)  # m at the interval starts
    start, end = at_bound[:-1], at_bound[1:]
    # Exact mean: the calls present at the start leave, the new arrivals build up.
    leaving = np.bincount(pos, weights=state * (values * lost)[kind], minlength=n + 1)[:n]
    mean = (leaving + rate * aht * (dt - aht * lost[group])) / dt

    peak = np.maximum(start, end)
    _interior_peaks(peak, rate, aht, values, group, pos, kind, state, dt)
    return mean, peak


def _interior_peaks(peak, rate, aht, values, group, pos, kind, state, dt):
    """Raise ``peak`` (in place) to the maximum of ``m`` inside each interval.

    Inside interval ``j``, ``m' = lam_j - (departure rate)``: ``m`` can only peak inside
    it if it falls at the end while the new arrivals outpace the departures of their own
    handling time (``g > 0``). If ``m`` rises at the start it surely does; otherwise only
    if ``g`` exceeds a lower bound of the other departures (longer calls at their rate at
    the start, shorter ones at their rate at the end, each relative to the new calls).
    """
    n = rate.size
    per_call = state / values[kind]
    departing = np.bincount(pos, weights=per_call, minlength=n + 1)
    here, before = np.r_[group, -1][pos], np.r_[-1, group][pos]
    own = kind == here
    g = rate - np.bincount(pos, weights=np.where(own, state, 0.0), minlength=n + 1)[:n] / aht
    longer = np.bincount(pos, weights=np.where(kind > here, per_call, 0.0), minlength=n + 1)[:n]
    shorter = np.bincount(pos, weights=np.where(kind < before, per_call, 0.0), minlength=n + 1)[1:]
    spare = g - longer
    bound = (spare > 0) & ((shorter == 0) | (np.log(np.where(spare > 0, spare, 1.0)) - dt / aht
                                             > np.log(np.where(shorter > 0, shorter, 1.0))))
    maybe = (g > 0) & (rate < departing[1:]) & ((rate > departing[:-1]) | bound)
    if not maybe.any():
        return
    sel = np.flatnonzero(np.r_[maybe, False][pos] & ~own & (state > 0))
    sel = sel[np.argsort(pos[sel], kind="stable")]
    at, k = pos[sel], kind[sel]
    when = _interior_max(at, np.log(state[sel]) - np.log(values[k]),
                         1.0 / aht[at] - 1.0 / values[k], np.log(np.where(maybe, g, 1.0)), dt)
    hit = np.isfinite(when)
    if not hit.any():
        return
    rows = np.flatnonzero(np.r_[hit, False][pos])
    at = pos[rows]
    level = np.bincount(at, weights=state[rows] * np.exp(-when[at] / values[kind[rows]]),
                        minlength=n)[hit]
    s, r, a = when[hit], rate[hit], aht[hit]
    peak[hit] = np.maximum(peak[hit], level + r * a * -np.expm1(-s / a))


def _cohort_states(rate, aht, values, group, dt):
    """Calls in service at each interval boundary, per distinct handling time.

    Returns ``(pos, kind, state)``: ``state[i]`` calls with handling time
    ``values[kind[i]]`` are in service at boundary ``pos[i]`` (0 to ``n``). Only the
    boundaries where a group can still have calls in service are listed.
    """
    n = rate.size
    # The calls entering at boundary b: those of interval b - 1 still in service at its
    # end; at b = 0 the steady-state history of the first interval.
    kind_in = np.r_[group[0], group]
    entering = np.r_[rate[0] * aht[0], rate * aht * -np.expm1(-dt / aht)]
    b = np.flatnonzero(entering > 0)
    if b.size == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)
    order = np.argsort(kind_in[b], kind="stable")  # by group, then boundary
    b, kind, amount = b[order], kind_in[b][order], entering[b][order]

    # Calls of a group at each of its entry boundaries: one exact recursion per group.
    cont = np.r_[False, kind[1:] == kind[:-1]]
    gap = np.where(cont, b - np.r_[0, b[:-1]], 0)
    carry = np.where(cont, np.exp(-gap * dt / values[kind]), 0.0)
    head = _linear_scan(carry, amount, int(np.bincount(kind).max()))

    # Between entries (and for _HORIZON handling times after the last) they decay.
    nxt = np.r_[np.where(cont[1:], b[1:], n + 1), n + 1]
    life = np.minimum(np.ceil(_HORIZON * values / dt), n + 1).astype(np.int64)
    length = np.minimum(np.minimum(b + life[kind], nxt - 1), n) - b + 1
    first = np.cumsum(length) - length
    offset = np.arange(int(length.sum())) - np.repeat(first, length)
    kinds = np.repeat(kind, length)
    state = np.repeat(head, length) * np.exp(-offset * (dt / values)[kinds])
    return np.repeat(b, length) + offset, kinds, state


def _linear_scan(coef: np.ndarray, push: np.ndarray, span: int) -> np.ndarray:
    """Solve ``x[i] = coef[i] * x[i - 1] + push[i]`` for all ``i`` at once.

    A Hillis-Steele prefix scan over the affine maps; ``coef[i] = 0`` starts a new
    chain, and no chain is longer than ``span``. Every term is non-negative, so the
    result is as accurate as the sequential loop.
    """
    x, a = push.copy(), coef.copy()
    step = 1
    while step < span:
        x[step:] += a[step:] * x[:-step]
        a[step:] *= a[:-step]
        step *= 2
    return x


def _interior_max(at, log_c, r, log_g, dt):
    """Time of the interior maximum of ``m`` in each interval, or NaN if there is none.

    In interval ``j`` (time ``s`` since its start) ``m'(s) > 0`` exactly where
    ``h(s) = sum_i c_i exp(r_i s) < g_j``; ``log h`` is convex, so ``m`` has at most one
    interior maximum, at the larger root of ``log h(s) = log g_j``. Newton's method
    from ``s = dt`` approaches it from the right without overshooting. ``at`` holds the
    (sorted) interval of each term.
    """
    n = log_g.size
    when = np.full(n, np.nan)
    s = np.full(n, dt)
    live = np.zeros(n, bool)
    live[at] = True
    for step in range(_NEWTON_STEPS):
        if not live.any():
            break
        rows = live[at]
        j, z_rate = at[rows], r[rows]
        z = log_c[rows] + z_rate * s[j]
        starts = np.flatnonzero(np.r_[True, j[1:] != j[:-1]])
        ids = j[starts]
        rank = np.cumsum(np.r_[0, (j[1:] != j[:-1]).astype(np.int64)])
        top = np.maximum.reduceat(z, starts)
        w = np.exp(z - top[rank])
        total = np.bincount(rank, weights=w)
        psi = top + np.log(total) - log_g[ids]
        slope = np.bincount(rank, weights=w * z_rate) / total
        if step == 0:  # m rising at the end, or h falling throughout: no interior maximum
            drop = (psi <= 0) | (slope <= 0)
            live[ids[drop]] = False
            keep = ~drop
            ids, psi, slope = ids[keep], psi[keep], slope[keep]
        else:
            done = psi <= 0  # on the root up to rounding
            when[ids[done]] = s[ids[done]]
            live[ids[done]] = False
            gone = ~done & (slope <= 0)  # h above g all the way down: no interior maximum
            live[ids[gone]] = False
            keep = ~done & ~gone
            ids, psi, slope = ids[keep], psi[keep], slope[keep]
        nxt = s[ids] - psi / slope
        out = nxt <= 0
        live[ids[out]] = False
        conv = ~out & (s[ids] - nxt <= 1e-9 * dt)
        when[ids[conv]] = nxt[conv]
        live[ids[conv]] = False
        s[ids] = nxt
    left = np.flatnonzero(live)  # not converged: still on the right of the root, a valid point
    when[left] = s[left]
    return when
