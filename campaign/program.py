"""The spot-schedule programme: which candidate airings to book, as one MILP (HiGHS).

Once every airing is saturated on its own, the offered load of any schedule is the
reference load plus the sum of the booked airings' load curves, so the schedule is a
0/1 vector ``x`` and every quantity below is linear in it:

* the load in each open interval ``t``: ``L_t = r_t + sum_i x_i c_it`` (Erlangs);
* ``"cost"``: minimise ``sum_b w_b P_b + w_max M`` with ``P_b >= L_t`` for ``t`` in block
  ``b`` (a block's peak load, which the staff of its shifts must cover) and ``M >= P_b``
  (the peak of the window);
* ``"lost_calls"``: minimise ``sum_t E_t`` with ``E_t >= L_t - n_t`` (load above the
  agents on the phones: calls that find every agent busy and give up or are lost);

plus a tie-break of ``1e-6`` of the objective's scale per airing off the original schedule,
so that of equally good schedules the one with fewest moves wins. Constraints: GRP per
group (channel and ISO week) in a range, airings per group (channel and day) at most a
cap, campaign-driven calls in a range, fixed airings booked, blocked airings not.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

OBJECTIVES = ("cost", "lost_calls")
_TIE_BREAK = 1e-6  # per airing off the original schedule, relative to the objective's scale
_NEGLIGIBLE = 1e-9  # load of a curve below this share of its peak is left out of the rows
_WHOLE = 1e-6  # an LP value this close to 0 or 1 counts as an airing left out or booked
_FIRST_SHARE = 0.25  # of the time, at most, for the first schedule
_CUTOFF = 1e-4  # the whole programme must beat the first schedule by this share


@dataclass(frozen=True)
class Programme:
    """The data of one spot-schedule programme (arrays over candidates and intervals).

    Attributes
    ----------
    curves : ndarray, shape (candidates, intervals)
        Offered load (Erlangs) each candidate adds to each open interval.
    reference : ndarray, shape (intervals,)
        Offered load without any candidate.
    block : ndarray of int, shape (intervals,)
        Block of each interval for the ``"cost"`` objective (its peak is one term).
    block_weight : ndarray, shape (blocks,)
        Weight of each block's peak.
    peak_weight : float
        Weight of the window's peak.
    grp : ndarray, shape (candidates,)
    grp_group : ndarray of int, shape (candidates,)
        Channel-week of each candidate; ``grp_low``, ``grp_high`` bound each group's GRP.
    grp_low, grp_high : ndarray, shape (groups,)
    cap_group : ndarray of int, shape (candidates,)
        Channel-day of each candidate; at most ``cap`` booked per group (no cap: ``inf``).
    cap : float
    calls : ndarray, shape (candidates,)
        Campaign-driven calls of each candidate over the window.
    calls_low, calls_high : float
    fixed, allowed, original : ndarray of bool, shape (candidates,)
    capacity : ndarray, shape (intervals,), optional
        Agents on the phones per interval (``"lost_calls"`` only).
    """

    curves: np.ndarray
    reference: np.ndarray
    block: np.ndarray
    block_weight: np.ndarray
    peak_weight: float
    grp: np.ndarray
    grp_group: np.ndarray
    grp_low: np.ndarray
    grp_high: np.ndarray
    cap_group: np.ndarray
    cap: float
    calls: np.ndarray
    calls_low: float
    calls_high: float
    fixed: np.ndarray
    allowed: np.ndarray
    original: np.ndarray
    capacity: np.ndarray | None = None


@dataclass(frozen=True)
class Solution:
    """What the solver returned.

    Attributes
    ----------
    booked : ndarray of bool
        The candidates to book.
    proxy : float
        The objective (without the tie-break) of ``booked``.
    lower_bound : float
        A lower bound on the objective of any feasible schedule (HiGHS' dual bound; with
        a proven optimum, the optimum itself).
    optimal : bool
        True when HiGHS proved ``booked`` optimal within its relative gap.
    seconds : float
    """

    booked: np.ndarray
    proxy: float
    lower_bound: float
    optimal: bool
    seconds: float


def proxy_value(p: Programme, booked: np.ndarray, objective: str) -> float:
    """The objective of a schedule, computed directly from its load (no solver).

    Examples
    --------
    >>> p = _tiny()
    >>> proxy_value(p, np.array([True, False]), "cost"), proxy_value(p, np.array([False, True]), "cost")
    (9.0, 6.0)
    """
    load = p.reference + booked.astype(float) @ p.curves
    if objective == "lost_calls":
        assert p.capacity is not None
        return float(np.maximum(load - p.capacity, 0.0).sum())
    peaks = np.full(len(p.block_weight), -np.inf)
    np.maximum.at(peaks, p.block, load)
    peaks = np.where(np.isfinite(peaks), peaks, 0.0)
    return float(p.block_weight @ peaks + p.peak_weight * peaks.max(initial=0.0))


def solve(p: Programme, objective: str = "cost", *, time_limit_s: float = 60.0,
          mip_rel_gap: float = 1e-2, relax: bool = False) -> Solution:
    """Book the candidates that minimise the objective under the constraints.

    In three HiGHS solves: the LP relaxation (a lower bound); the 0/1 programme over the
    airings the LP left fractional, the others fixed as the LP has them (a good first
    schedule in a few seconds: HiGHS alone found none as good in 20 s on 2009); then the
    whole programme with the row "objective below the first schedule's", which prunes
    with it and, if it finds nothing better, proves the first within the cutoff.

    Parameters
    ----------
    p : Programme
    objective : {"cost", "lost_calls"}
    time_limit_s : float
        Time for all three solves; the best schedule found by then is returned.
    mip_rel_gap : float
        Relative gap at which HiGHS stops.
    relax : bool
        Solve the LP relaxation (airings may be booked in part): its optimum is a lower
        bound for the 0/1 programme, found in a fraction of the time; ``booked`` is then
        the rounded relaxation and need not meet the constraints.

    Returns
    -------
    Solution

    Raises
    ------
    ValueError
        When HiGHS finds no feasible schedule or none in time.

    Examples
    --------
    Two candidates of 3 GRP, one to book: the one whose spike falls in the quiet interval.

    >>> s = solve(_tiny())
    >>> s.booked.tolist(), s.proxy, s.optimal
    ([False, True], 6.0, True)
    """
    start = time.perf_counter()
    m = _Matrices.build(p, objective)
    n = m.n
    if relax:
        res = m.run(np.zeros(n), m.lb, m.ub, time_limit_s, mip_rel_gap)
        if res.x is None:
            raise _infeasible(res)
        booked = res.x[:n] > 0.5
        return Solution(booked=booked, proxy=proxy_value(p, booked, objective),
                        lower_bound=float(res.fun) - m.tie_total, optimal=res.status == 0,
                        seconds=time.perf_counter() - start)
    ones = np.ones(n)
    # 1. The LP relaxation: a lower bound, and which airings it books whole or not at all.
    lp = m.run(np.zeros(n), m.lb, m.ub, time_limit_s, mip_rel_gap)
    if lp.x is None:
        raise _infeasible(lp)
    lower = float(lp.fun) - m.tie_total
    # 2. A first schedule: the 0/1 programme over the airings the LP left fractional.
    x_lp = lp.x[:n]
    lb, ub = m.lb.copy(), m.ub.copy()
    lb[:n] = np.where(x_lp > 1 - _WHOLE, 1.0, lb[:n])
    ub[:n] = np.where(x_lp < _WHOLE, 0.0, ub[:n])
    first = m.run(ones, lb, ub, _FIRST_SHARE * time_limit_s, mip_rel_gap)
    booked = first.x[:n] > 0.5 if first.x is not None else (
        p.original.copy() if feasible(p, p.original) else None)
    # 3. The whole programme, asked only for schedules better than the first.
    left = time_limit_s - (time.perf_counter() - start)
    cutoff = None if booked is None else m.objective(p, booked, objective) * (1 - _CUTOFF)
    full = m.run(ones, m.lb, m.ub, max(left, 1.0), mip_rel_gap, cutoff=cutoff)
    optimal = False
    if full.x is not None:
        booked = full.x[:n] > 0.5
        optimal = full.status == 0
        bound = getattr(full, "mip_dual_bound", None)
        if bound is not None and np.isfinite(bound):
            lower = max(lower, float(bound) - m.tie_total)
    elif booked is not None and full.status == 2:
        optimal = True  # nothing beats the first schedule by more than the cutoff
        lower = max(lower, proxy_value(p, booked, objective) * (1 - _CUTOFF) - m.tie_total)
    if booked is None:
        raise _infeasible(full)
    proxy = proxy_value(p, booked, objective)
    return Solution(booked=booked, proxy=proxy, lower_bound=min(lower, proxy), optimal=optimal,
                    seconds=time.perf_counter() - start)


def _infeasible(res) -> ValueError:
    return ValueError(f"no schedule meets every constraint together ({res.message.strip()}); "
                      "widen --grp-tolerance or --reach-tolerance, or add candidates")


@dataclass(frozen=True)
class _Matrices:
    """The programme as HiGHS takes it: costs, rows and bounds (candidates first)."""

    c: np.ndarray
    rows: Any
    low: np.ndarray
    high: np.ndarray
    lb: np.ndarray
    ub: np.ndarray
    n: int
    tie_total: float

    @classmethod
    def build(cls, p: Programme, objective: str) -> _Matrices:
        n, T = p.curves.shape
        if objective == "lost_calls":
            if p.capacity is None:
                raise ValueError("objective 'lost_calls' needs the agents on the phones (capacity)")
            extra, weights = T, np.ones(T)
        else:
            extra, weights = len(p.block_weight) + 1, np.r_[p.block_weight, p.peak_weight]
        scale = max(float(np.abs(weights).sum() * max(p.reference.max(initial=0.0), 1.0)), 1.0)
        c = np.r_[_TIE_BREAK * scale / max(n, 1) * (~p.original), weights]
        curves = sparse.csr_matrix(np.where(np.abs(p.curves) > _NEGLIGIBLE * max(
            np.abs(p.curves).max(initial=0.0), 1e-300), p.curves, 0.0))
        rows: list[Any] = [_hstack(curves.T, _load_side(p, objective, extra))]
        low: list[np.ndarray] = [np.full(T, -np.inf)]
        lost = p.capacity is not None and objective == "lost_calls"
        high: list[np.ndarray] = [(p.capacity - p.reference) if lost else -p.reference]
        if objective == "cost":
            rows.append(_hstack(sparse.csr_matrix((extra - 1, n)), sparse.eye(extra - 1),
                                sparse.csr_matrix(-np.ones((extra - 1, 1)))))
            low.append(np.full(extra - 1, -np.inf))
            high.append(np.zeros(extra - 1))
        for group, values, lo, hi in _group_rows(p):
            rows.append(_hstack(group.multiply(values), sparse.csr_matrix((group.shape[0], extra))))
            low.append(lo)
            high.append(hi)
        rows.append(_hstack(sparse.csr_matrix(p.calls[None, :]), sparse.csr_matrix((1, extra))))
        low.append(np.array([p.calls_low]))
        high.append(np.array([p.calls_high]))
        lb = np.r_[p.fixed.astype(float), np.full(extra, 0.0 if lost else -np.inf)]
        ub = np.r_[np.where(p.allowed, 1.0, 0.0), np.full(extra, np.inf)]
        return cls(c=c, rows=sparse.vstack(rows, format="csr"), low=np.concatenate(low),
                   high=np.concatenate(high), lb=lb, ub=ub, n=n,
                   tie_total=float(c[:n].clip(min=0).sum()))

    def objective(self, p: Programme, booked: np.ndarray, objective: str) -> float:
        """The programme's objective (tie-break included) of a schedule."""
        return float(self.c[:self.n] @ booked) + proxy_value(p, booked, objective)

    def run(self, integral: np.ndarray, lb: np.ndarray, ub: np.ndarray, time_limit_s: float,
            gap: float, cutoff: float | None = None):
        """One HiGHS solve; ``cutoff`` adds the row "objective <= cutoff"."""
        rows, low, high = self.rows, self.low, self.high
        if cutoff is not None:
            rows = sparse.vstack([rows, sparse.csr_matrix(self.c[None, :])], format="csr")
            low, high = np.r_[low, -np.inf], np.r_[high, cutoff]
        integrality = np.r_[integral, np.zeros(len(self.c) - self.n)]
        return milp(self.c, integrality=integrality, bounds=Bounds(lb, ub),
                    constraints=LinearConstraint(rows, low, high),
                    options={"time_limit": float(max(time_limit_s, 0.1)), "mip_rel_gap": gap,
                             "presolve": True})


def feasible(p: Programme, booked: np.ndarray) -> bool:
    """Whether a schedule meets the GRP ranges, the cap, the calls range, fixed and blackouts.

    Examples
    --------
    >>> p = _tiny()
    >>> feasible(p, np.array([True, False])), feasible(p, np.array([True, True]))
    (True, False)
    """
    x = booked.astype(float)
    grp = np.bincount(p.grp_group, weights=p.grp * x, minlength=len(p.grp_low))
    per_day = np.bincount(p.cap_group, weights=x)
    calls = float(p.calls @ x)
    tol = 1e-9
    return bool((grp >= p.grp_low - tol).all() and (grp <= p.grp_high + tol).all()
                and (per_day <= p.cap).all() and p.calls_low - tol <= calls <= p.calls_high + tol
                and (booked >= p.fixed).all() and not (booked & ~p.allowed).any())


def _hstack(*blocks: Any) -> Any:
    """Sparse blocks side by side, as one CSR matrix."""
    return sparse.hstack(list(blocks), format="csr")


def _load_side(p: Programme, objective: str, extra: int) -> sparse.csr_matrix:
    """Columns of the peak (or excess) variables in the load rows: ``L_t - P_b(t) <= 0``."""
    T = p.curves.shape[1]
    if objective == "lost_calls":
        return -sparse.eye(T, format="csr")  # L_t - E_t <= n_t
    return sparse.csr_matrix((-np.ones(T), (np.arange(T), p.block)), shape=(T, extra))


def _group_rows(p: Programme):
    """GRP per channel-week in its range; airings per channel-day at most the cap."""
    n = len(p.grp)
    groups = int(p.grp_group.max(initial=-1)) + 1
    member = sparse.csr_matrix((np.ones(n), (p.grp_group, np.arange(n))), shape=(groups, n))
    yield member, p.grp[None, :], p.grp_low, p.grp_high
    if np.isfinite(p.cap):
        days = int(p.cap_group.max(initial=-1)) + 1
        per_day = sparse.csr_matrix((np.ones(n), (p.cap_group, np.arange(n))), shape=(days, n))
        yield per_day, np.ones((1, n)), np.full(days, -np.inf), np.full(days, p.cap)


def _tiny() -> Programme:
    """Two candidates, two intervals: the doctests' programme."""
    return Programme(curves=np.array([[5.0, 0.0], [0.0, 5.0]]), reference=np.array([4.0, 1.0]),
                     block=np.array([0, 0]), block_weight=np.array([1.0]), peak_weight=0.0,
                     grp=np.array([3.0, 3.0]), grp_group=np.array([0, 0]),
                     grp_low=np.array([3.0]), grp_high=np.array([3.0]),
                     cap_group=np.array([0, 0]), cap=np.inf, calls=np.array([10.0, 10.0]),
                     calls_low=10.0, calls_high=10.0, fixed=np.array([False, False]),
                     allowed=np.array([True, True]), original=np.array([True, False]))
