"""Erlang B and Erlang C (M/M/n): blocking, waiting probability, service level, ASA.

All functions broadcast NumPy arrays and accept real (fractional) agent counts:
Erlang B is extended to real ``n`` through the incomplete gamma function, which
matches the textbook recursion at integers. Loads at or above the headcount have
no steady state in Erlang C; there the functions return the limits a planner
expects (every call waits, service level 0, infinite ASA, occupancy 1) instead
of raising or returning NaN. Loads above ``MAX_TRAFFIC_ERL`` (a million Erlangs) are
refused: there rounding, not the model, would set the answer.
"""

from __future__ import annotations

import numpy as np

from . import _validate as v
from ._gamma import log_erlang_b


def _scalar_or_array(x: np.ndarray) -> float | np.ndarray:
    return float(x) if np.ndim(x) == 0 else x


def erlang_b(traffic_erl, agents) -> float | np.ndarray:
    """Blocking probability of an M/M/n/n loss system (Erlang B).

    Parameters
    ----------
    traffic_erl : float or array_like
        Offered load in Erlangs (calls per second times mean holding time in seconds).
    agents : float or array_like
        Number of servers (lines, agents); may be fractional.

    Returns
    -------
    float or ndarray
        Probability that an arriving call finds every server busy.

    Raises
    ------
    ValueError
        If a load or a headcount is negative or not finite, or a load is above
        ``MAX_TRAFFIC_ERL`` (1e6 Erlangs).

    References
    ----------
    Jagerman, D. L. (1974). Some properties of the Erlang loss function.
    Bell System Technical Journal 53(3), 525-551.

    Examples
    --------
    The classic trunk-sizing table: 117 lines carry 100 Erlangs at 1 % blocking.

    >>> round(erlang_b(100, 117), 5), round(erlang_b(100, 116), 5)
    (0.00979, 0.01157)
    """
    a = v.traffic("traffic_erl", traffic_erl)
    n = v.nonnegative("agents", agents)
    return _scalar_or_array(np.exp(log_erlang_b(n, a)))


def _erlang_c_from_b(a: np.ndarray, n: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Erlang C from Erlang B: ``C = B / (1 - (a/n)(1 - B))`` when ``n > a``, else 1."""
    stable = n > a
    rho = np.divide(a, n, out=np.ones_like(a), where=stable)
    c = b / (1.0 - rho * (1.0 - b))
    return np.where(stable, c, 1.0)


def _erlang_c(a: np.ndarray, n: np.ndarray) -> np.ndarray:
    a, n = np.broadcast_arrays(a, n)
    return _erlang_c_from_b(a, n, np.exp(log_erlang_b(n, a)))


def erlang_c(traffic_erl, agents) -> float | np.ndarray:
    """Probability that a call waits in an M/M/n queue (Erlang C).

    Parameters
    ----------
    traffic_erl : float or array_like
        Offered load in Erlangs.
    agents : float or array_like
        Agents on the phones; may be fractional.

    Returns
    -------
    float or ndarray
        P(wait > 0); 1 when ``agents <= traffic_erl`` (no steady state, every call waits).

    Examples
    --------
    100 calls in 30 minutes with a 180 s handling time is 10 Erlangs:

    >>> round(erlang_c(10, 14), 7)
    0.1741319
    """
    a = v.traffic("traffic_erl", traffic_erl)
    n = v.nonnegative("agents", agents)
    return _scalar_or_array(_erlang_c(a, n))


def _service_level(a, n, aht_s, target_s, c):
    decay = np.exp(-np.maximum(n - a, 0.0) * target_s / aht_s)
    return np.where(n > a, 1.0 - c * decay, 0.0)


def service_level(traffic_erl, agents, aht_s, target_s) -> float | np.ndarray:
    """Erlang C service level: the share of calls answered within ``target_s`` seconds.

    Parameters
    ----------
    traffic_erl : float or array_like
        Offered load in Erlangs.
    agents : float or array_like
        Agents on the phones.
    aht_s : float or array_like
        Average handling time in seconds (> 0).
    target_s : float or array_like
        Answer-time target in seconds (>= 0; 0 gives P(no wait)).

    Returns
    -------
    float or ndarray
        ``1 - C(n, a) exp(-(n - a) target_s / aht_s)``; 0 when ``agents <= traffic_erl``.

    Examples
    --------
    >>> round(service_level(10, 14, aht_s=180, target_s=20), 5)
    0.88835
    """
    a = v.traffic("traffic_erl", traffic_erl)
    n = v.nonnegative("agents", agents)
    aht = v.positive("aht_s", aht_s)
    t = v.nonnegative("target_s", target_s)
    return _scalar_or_array(_service_level(a, n, aht, t, _erlang_c(a, n)))


def _asa(a, n, aht_s, c):
    stable = n > a
    gap = np.where(stable, n - a, 1.0)
    return np.where(stable, c * aht_s / gap, np.inf)


def asa(traffic_erl, agents, aht_s) -> float | np.ndarray:
    """Erlang C average speed of answer: mean wait of all calls, in seconds.

    Parameters
    ----------
    traffic_erl : float or array_like
        Offered load in Erlangs.
    agents : float or array_like
        Agents on the phones.
    aht_s : float or array_like
        Average handling time in seconds (> 0).

    Returns
    -------
    float or ndarray
        ``C(n, a) aht_s / (n - a)``; infinite when ``agents <= traffic_erl``.

    Examples
    --------
    >>> round(asa(10, 14, aht_s=180), 3)
    7.836
    """
    a = v.traffic("traffic_erl", traffic_erl)
    n = v.nonnegative("agents", agents)
    aht = v.positive("aht_s", aht_s)
    return _scalar_or_array(_asa(a, n, aht, _erlang_c(a, n)))


def _occupancy(a, n):
    return np.where(n > 0, np.minimum(np.divide(a, np.where(n > 0, n, 1.0)), 1.0),
                    np.where(a > 0, 1.0, 0.0))


def occupancy(traffic_erl, agents) -> float | np.ndarray:
    """Share of agent time spent handling calls, ``min(traffic_erl / agents, 1)``.

    Examples
    --------
    >>> round(occupancy(10, 14), 4)
    0.7143
    """
    a = v.nonnegative("traffic_erl", traffic_erl)
    n = v.nonnegative("agents", agents)
    return _scalar_or_array(_occupancy(a, n))
