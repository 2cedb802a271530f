"""The offered load the staffing requirement follows, linear in the calls.

A capacity plan staffs each period to the highest *modified offered load* (MOL, Green,
Kolesar and Whitt 2007) inside it (`staffing.load.modified_offered_load`). With one
handling time ``a`` the MOL at interval boundaries obeys
``S[j+1] = exp(-dt/a) S[j] + lam_j a (1 - exp(-dt/a))`` from ``S[0] = lam_0 a``, and inside
an interval it moves monotonically between ``S[j]`` and ``S[j+1]``: so the MOL is linear
in the calls and its peak over an interval is the larger of two linear terms. That lets
the schedule programme bound a period's staffing load exactly with linear constraints.
"""

from __future__ import annotations

import numpy as np
from scipy import signal


def mol_at_boundaries(calls: np.ndarray, interval_s: float, aht_s: float) -> np.ndarray:
    """Modified offered load (Erlangs) at the start of each interval and at the end of the last.

    Parameters
    ----------
    calls : ndarray, shape (intervals,) or (rows, intervals)
        Expected calls per interval.
    interval_s, aht_s : float
        Interval length and handling time, seconds.

    Returns
    -------
    ndarray, shape (intervals + 1,) or (rows, intervals + 1)

    Examples
    --------
    Ten calls a minute, then thirty for one minute, 4-minute handling (as in
    `staffing.load.modified_offered_load`, whose peaks are 40, 57.7, 57.7):

    >>> mol_at_boundaries(np.array([10.0, 30.0, 10.0]), 60, 240).round(1).tolist()
    [40.0, 40.0, 57.7, 53.8]
    """
    c = np.asarray(calls, float)
    flat = c.ndim == 1
    c2 = np.atleast_2d(c)
    stay = np.exp(-interval_s / aht_s)
    rate = c2 / interval_s
    start = rate[:, :1] * aht_s
    after, _ = signal.lfilter([1.0 - stay], [1.0, -stay], rate * aht_s, axis=-1,
                              zi=stay * start)
    out = np.concatenate([start, after], axis=1)
    return out[0] if flat else out
