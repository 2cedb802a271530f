"""Service goals over a day or the whole window, as rows of the shift programme.

Staffing every planning period to its own worst minute (``service_goal="interval"``) is
safe but wasteful: the goal managers are held to is usually the service level of the
day. Following Koole and van der Sluis (2003, "Optimal shift scheduling with a global
service level constraint"), the shift programme gets, per planning period ``t``:

* ``n_t``, the agents on the phones: ``n_t <= (1 - shrinkage) * staffed_t``;
* ``a_t``, the calls answered within target: ``a_t <= alpha_k + beta_k * n_t`` for the
  lines ``k`` of the concave upper envelope of ``A_t(n)`` (the period's answered-within-
  target calls as a function of its agents), which the solver pushes up;

and per day (or once for the window) ``sum_t a_t + short_d >= goal_d * calls_d``, with a
heavily penalised ``short_d`` so that a goal that cannot be met (calls outside the shift
hours) still gives a plan that says so.

``A_t(n)`` is the stationary model (Erlang A or C) at the modified offered load of each
volume interval of the period, weighted by its calls, as the requirement uses. The
envelope is built on a grid of headcounts; where ``A_t`` is convex (very few agents) it
overstates, which is why the plan is checked by simulation afterwards and the day goals
raised where the roster falls short (Atlason, Epelman and Henderson 2004 correct their
cuts the same way).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from .shifts import ExtraBlock

GOALS = ("interval", "day", "window")
_GRID = 16  # headcounts per period on which the curve is evaluated


@dataclass(frozen=True)
class ServiceCurves:
    """Concave piecewise-linear bounds on the calls answered within target, per period.

    Attributes
    ----------
    calls : ndarray
        Calls offered per period.
    lines : list of ndarray
        Per period, rows ``(alpha, beta)`` with ``a <= alpha + beta * n``.
    """

    calls: np.ndarray
    lines: list


def upper_hull(n: np.ndarray, a: np.ndarray) -> np.ndarray:
    """Lines ``(alpha, beta)`` of the concave upper envelope of points ``(n, a)``.

    ``n`` must be increasing. The last line is flat: more agents than the grid's
    largest add nothing. Below the first point the first line extends; for a curve that
    is convex there (few agents, heavy overload) it understates, which is the safe side.

    Examples
    --------
    >>> upper_hull(np.array([0., 1., 2., 3.]), np.array([0., 0.2, 0.9, 1.0])).round(3).tolist()
    [[0.0, 0.45], [0.7, 0.1], [1.0, 0.0]]
    """
    hull: list[int] = []
    for i in range(n.size):
        while len(hull) >= 2:
            j, k = hull[-2], hull[-1]
            # Drop k when it lies on or below the chord from j to i.
            if (a[k] - a[j]) * (n[i] - n[j]) <= (a[i] - a[j]) * (n[k] - n[j]):
                hull.pop()
            else:
                break
        hull.append(i)
    lines = []
    for j, k in zip(hull[:-1], hull[1:], strict=True):
        beta = (a[k] - a[j]) / (n[k] - n[j])
        if beta <= 0:
            break
        lines.append((a[j] - beta * n[j], beta))
    lines.append((a[hull].max(), 0.0))
    return np.array(lines)


def service_curves(calls_fine: np.ndarray, load_fine: np.ndarray, aht_fine: np.ndarray,
                   period_of: np.ndarray, n_periods: int, low: np.ndarray, high: np.ndarray,
                   measure) -> ServiceCurves:
    """Curves per period from the volume intervals inside it.

    Parameters
    ----------
    calls_fine, load_fine, aht_fine : ndarray
        Calls, (modified) offered load in Erlangs and handling time per volume interval.
    period_of : ndarray of int
        The period of each volume interval.
    low, high : ndarray
        Per period, the headcount range the envelope must describe well.
    measure : callable
        ``measure(load, aht, agents) -> service level`` (arrays, broadcast).
    """
    grid = np.linspace(0.0, 1.0, _GRID)
    n = np.round(low[:, None] + (high - low)[:, None] * grid[None, :])
    a = np.zeros_like(n)
    has = calls_fine > 0
    rows = period_of[has]
    sl = measure(load_fine[has][:, None], aht_fine[has][:, None], n[rows])
    np.add.at(a, rows, calls_fine[has][:, None] * sl)
    calls = np.bincount(period_of, weights=calls_fine, minlength=n_periods)
    lines = []
    for t in range(n_periods):
        if calls[t] <= 0:
            lines.append(np.zeros((0, 2)))
            continue
        nt, keep = np.unique(n[t], return_index=True)
        lines.append(upper_hull(nt, np.minimum(a[t][keep], calls[t])))
    return ServiceCurves(calls=calls, lines=lines)


def goal_block(curves: ServiceCurves, group_of: np.ndarray, goals: np.ndarray,
               shrinkage: float, short_penalty: float):
    """The ``goal`` callable for `staffing.shifts.plan_shifts`.

    ``group_of`` maps each period to its goal group (day or window), -1 for none, and
    ``goals[g]`` is the share of group ``g``'s calls to answer within target.
    """

    def build(cover: sparse.csr_matrix, permanent: np.ndarray) -> ExtraBlock:
        active = np.flatnonzero((curves.calls > 0) & (group_of >= 0))
        n_act, n_groups = active.size, len(goals)
        # Variables: n (agents on phones), a (answered in target), short (per group).
        n_e = 2 * n_act + n_groups
        keep = 1.0 - shrinkage
        r_x = [-keep * cover[active]]
        r_e = [sparse.hstack([sparse.identity(n_act), sparse.csr_matrix((n_act, n_act + n_groups))])]
        lb = [np.full(n_act, -np.inf)]
        ub = [keep * permanent[active]]
        li, lj, lv, l_ub = [], [], [], []
        row = 0
        for k, t in enumerate(active):
            for alpha, beta in curves.lines[t]:
                li += [row, row]
                lj += [n_act + k, k]
                lv += [1.0, -beta]
                l_ub.append(alpha)
                row += 1
        r_x.append(sparse.csr_matrix((row, cover.shape[1])))
        r_e.append(sparse.csr_matrix((lv, (li, lj)), shape=(row, n_e)))
        lb.append(np.full(row, -np.inf))
        ub.append(np.array(l_ub))
        groups = group_of[active]
        calls = curves.calls[active]
        g_rows = sparse.csr_matrix((np.ones(n_act), (groups, n_act + np.arange(n_act))),
                                   shape=(n_groups, n_e))
        g_rows = g_rows + sparse.csr_matrix(
            (np.ones(n_groups), (np.arange(n_groups), 2 * n_act + np.arange(n_groups))),
            shape=(n_groups, n_e))
        need = np.asarray(goals) * np.bincount(groups, weights=calls, minlength=n_groups)
        r_x.append(sparse.csr_matrix((n_groups, cover.shape[1])))
        r_e.append(g_rows)
        lb.append(need)
        ub.append(np.full(n_groups, np.inf))
        upper = np.concatenate([np.full(n_act, np.inf), calls, np.full(n_groups, np.inf)])
        # ``a`` may go below 0: the lines extend below the grid (where they understate the
        # curve), and a period its shifts cannot reach must not make the programme infeasible.
        lower = np.concatenate([np.zeros(n_act), np.full(n_act, -np.inf), np.zeros(n_groups)])
        cost = np.concatenate([np.zeros(2 * n_act), np.full(n_groups, short_penalty)])
        return ExtraBlock(cost=cost, upper=upper, rows_x=sparse.vstack(r_x).tocsr(),
                          rows_e=sparse.vstack(r_e).tocsr(), lb=np.concatenate(lb),
                          ub=np.concatenate(ub), lower=lower)

    return build
