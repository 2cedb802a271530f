"""Offered load over time: the stationary (SIPP) and the modified offered load (MOL).

SIPP staffs each period by ``lam * aht`` of that period alone. After a spike the
calls that arrived earlier are still being served, so the busy-agent count lags
the arrivals; the modified offered load ``m(t) = E[lam(t - S_e)] E[S]`` of Green,
Kolesar and Whitt (2007) tracks that lag. For exponential service it solves
``m' = lam(t) - m / aht``, integrated exactly below for arrivals that are
constant within each interval.
"""

from __future__ import annotations

import numpy as np
from scipy import signal


def modified_offered_load(rate_per_s: np.ndarray, aht_s: np.ndarray,
                          interval_s: float) -> tuple[np.ndarray, np.ndarray]:
    """Modified offered load at the start and the peak within each interval, Erlangs.

    Parameters
    ----------
    rate_per_s : ndarray
        Arrival rate of each interval (calls per second), constant within it.
    aht_s : ndarray
        Mean handling time of each interval, seconds.
    interval_s : float
        Interval length, seconds.

    Returns
    -------
    mean, peak : ndarray
        The average of ``m`` over each interval, and ``max(m(start), m(end))``, the highest
        load inside it (``m`` is monotone between interval boundaries). The system starts
        in steady state with the first interval.

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
    """
    rate = np.asarray(rate_per_s, float)
    aht = np.broadcast_to(np.asarray(aht_s, float), rate.shape)
    keep = np.exp(-interval_s / aht)
    steady = rate * aht  # the load each interval would settle to
    # m[k+1] = keep[k] m[k] + (1 - keep[k]) steady[k]; a first-order linear recursion.
    if np.all(keep == keep[0]):
        forced = (1.0 - keep) * steady
        end, _ = signal.lfilter([1.0], [1.0, -keep[0]], forced, zi=[keep[0] * steady[0]])
    else:
        end = np.empty_like(rate)
        m = steady[0]
        for k in range(rate.size):
            m = keep[k] * m + (1.0 - keep[k]) * steady[k]
            end[k] = m
    start = np.concatenate([steady[:1], end[:-1]])
    # Exact mean of an exponential relaxation from start towards steady over the interval.
    mean = steady + (start - steady) * (1.0 - keep) * aht / interval_s
    return mean, np.maximum(start, end)
