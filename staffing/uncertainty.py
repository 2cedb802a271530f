"""Staffing when the volume is a forecast distribution, not a number.

A forecast frame gives a mean and quantiles per interval. Here each interval's
volume becomes a set of equally likely scenarios (quantiles of a negative binomial
with the forecast's mean and spread), and a headcount is judged by what it does
across them: the expected service level (answered in time over offered calls, over
the distribution), the probability of meeting the target and the expected number
of abandoned calls. Staffing to the mean meets the target about half the time.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from .erlang import _erlang_c, _service_level
from .erlang_a import erlang_a_core


def volume_scenarios(mean, low, high, q_low: float = 0.1, q_high: float = 0.9,
                     n_points: int = 21) -> np.ndarray:
    """Equally likely volume scenarios per interval, shape (intervals, n_points).

    The spread is read from the two quantiles (``high - low`` over the normal width of
    ``q_low..q_high``) and the scenarios are the mid-quantiles of a negative binomial
    with that mean and variance (Poisson when the spread is below Poisson noise).

    Examples
    --------
    >>> pts = volume_scenarios([100.0], [87.0], [113.0], n_points=5)
    >>> pts.shape, float(np.median(pts))
    ((1, 5), 100.0)
    """
    mean = np.asarray(mean, float)
    width = stats.norm.ppf(q_high) - stats.norm.ppf(q_low)
    sd = np.maximum(np.asarray(high, float) - np.asarray(low, float), 0.0) / width
    var = np.maximum(sd ** 2, mean)
    levels = (np.arange(n_points) + 0.5) / n_points
    out = np.zeros((mean.size, n_points))
    pos = mean > 0
    over = pos & (var > mean * (1 + 1e-9))
    m, vv = mean[over, None], var[over, None]
    out[over] = stats.nbinom.ppf(levels[None, :], m * m / (vv - m), m / vv)
    pois = pos & ~over
    out[pois] = stats.poisson.ppf(levels[None, :], mean[pois, None])
    return out


def plan_risk(points: np.ndarray, agents, aht_s, interval_s, *, sl_target: float,
              target_s: float, patience_s: float | None = None,
              sl_definition: str = "offered") -> dict[str, np.ndarray]:
    """Expected service level, P(meeting the target) and expected abandoned calls.

    Parameters
    ----------
    points : ndarray, shape (intervals, scenarios)
        Volume scenarios (see `volume_scenarios`).
    agents : array_like
        Agents on the phones per interval.
    aht_s : float or array_like
        Handling time per interval, seconds.
    interval_s : float or array_like
        Interval length, seconds, one or one per interval.
    sl_target, target_s : float
        The service-level target.
    patience_s : float, optional
        Erlang A when given, else Erlang C.
    """
    n = np.asarray(agents, float)[:, None]
    aht = np.broadcast_to(np.asarray(aht_s, float), n.shape[:1])[:, None]
    interval_s = np.broadcast_to(np.asarray(interval_s, float), n.shape[:1])[:, None]
    load = points * aht / interval_s
    if patience_s is None:
        sl = _service_level(load, n, aht, target_s, _erlang_c(load, n))
        ab = np.zeros_like(sl)
    else:
        m = erlang_a_core(points / interval_s, aht, patience_s, n, target_s)
        sl, ab = m[f"sl_{sl_definition}"], m["p_abandon"]
    sl = np.where(points > 0, sl, 1.0)
    calls = points.sum(axis=1)
    expected_sl = np.divide((sl * points).sum(axis=1), calls, out=np.ones(len(points)),
                            where=calls > 0)
    return {"expected_service_level": expected_sl,
            "p_meet_target": (sl >= sl_target - 1e-12).mean(axis=1),
            "expected_abandoned": (ab * points).mean(axis=1)}


def agents_for_expected_sl(points: np.ndarray, aht_s, interval_s, *, sl_target: float,
                           target_s: float, start, patience_s: float | None = None,
                           sl_definition: str = "offered", max_extra: int = 10_000) -> np.ndarray:
    """Smallest headcount per interval whose expected service level meets the target.

    ``start`` is a lower bound to search up from (e.g. the agents for a low quantile);
    the expected service level rises with the headcount, so a walk upward finds it.
    """
    n = np.asarray(start, float).copy()
    idx = np.arange(len(points))
    interval = np.broadcast_to(np.asarray(interval_s, float), (len(points),))
    for _ in range(max_extra):
        risk = plan_risk(points[idx], n[idx], np.broadcast_to(aht_s, (len(points),))[idx],
                         interval[idx], sl_target=sl_target, target_s=target_s,
                         patience_s=patience_s, sl_definition=sl_definition)
        ok = risk["expected_service_level"] >= sl_target - 1e-12
        idx = idx[~ok]
        if not idx.size:
            return n
        n[idx] += 1
    raise ValueError("no headcount met the expected service level (check the targets)")
