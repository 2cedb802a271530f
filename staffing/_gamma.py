"""Log-space incomplete-gamma pieces shared by Erlang B and Erlang A.

Both queues reduce to two special functions of real arguments:

* Erlang B, ``1 / B(n, a) = e^a a^-n Gamma(n+1) Q(n+1, a)`` (the integral
  ``int_0^inf e^-t (1 + t/a)^n dt``), which also extends B to fractional ``n``;
* Erlang A, Kummer's ``A(x, y) = 1F1(1; x+1; y) = Gamma(x+1) e^y y^-x P(x, y)``.

SciPy's regularised incomplete gamma functions are accurate but underflow far in
the tails (``Q(n+1, a)`` in deep overload, ``P(x, y)`` with many idle agents).
There the quantities we need are convergent series whose terms shrink
geometrically, so we sum them directly on just the underflowing elements.
"""

from __future__ import annotations

import numpy as np
from scipy import special

# Below this, scipy's P/Q lose relative accuracy to gradual underflow.
_TINY = 1e-280
_MAX_TERMS = 5000
_RTOL = 1e-17


def _geometric_series(ratio_at, first_ratio_count: np.ndarray | None, size: int) -> np.ndarray:
    """Sum ``1 + r1 + r1*r2 + ...`` elementwise, where ``ratio_at(k, idx)`` gives r_k.

    ``first_ratio_count``, when given, is the number of terms with a positive
    ratio (a finite sum for integer arguments); later terms are dropped.
    Remaining tails after ``_MAX_TERMS`` are closed with a geometric estimate,
    which is exact to double precision there because the ratio barely moves.
    """
    total = np.ones(size)
    term = np.ones(size)
    active = np.arange(size)
    k = 0
    while active.size and k < _MAX_TERMS:
        k += 1
        r = ratio_at(k, active)
        stop = r <= 0
        r = np.where(stop, 0.0, r)
        term[active] *= r
        total[active] += term[active]
        done = stop | (term[active] <= _RTOL * total[active])
        if first_ratio_count is not None:
            done |= k >= first_ratio_count[active]
        active = active[~done]
    if active.size:
        q = ratio_at(k + 1, active)
        total[active] += term[active] * q / (1.0 - q)
    return total


def log_gammainc(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Log of the regularised lower incomplete gamma ``P(x, y)``, for ``x > 0, y >= 0``.

    Finite wherever ``P > 0`` in exact arithmetic, including where
    ``scipy.special.gammainc`` underflows to 0.

    Examples
    --------
    >>> import numpy as np
    >>> float(np.exp(log_gammainc(np.array(2.0), np.array(1.0))))  # 1 - 2/e
    0.2642411176571153
    >>> float(log_gammainc(np.array(5000.0), np.array(1500.0)))  # doctest: +ELLIPSIS
    -2524.68502085...
    """
    x, y = np.broadcast_arrays(np.asarray(x, float), np.asarray(y, float))
    p = special.gammainc(x, y)
    with np.errstate(divide="ignore"):
        out = np.log(p)
    low = (p < _TINY) & (y > 0)
    if low.any():
        xs, ys = x[low], y[low]

        def ratio(k: int, idx: np.ndarray) -> np.ndarray:
            return ys[idx] / (xs[idx] + k)

        series = _geometric_series(ratio, None, xs.size)
        out = np.array(out, copy=True)
        out[low] = special.xlogy(xs, ys) - ys - special.gammaln(xs + 1) + np.log(series)
    return np.minimum(out, 0.0)  # a log-probability; rounding must not push it above 0


def log_kummer(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Log of ``A(x, y) = 1F1(1; x+1; y) = sum_m y^m / ((x+1)...(x+m))``, ``x, y >= 0``.

    Examples
    --------
    >>> import numpy as np
    >>> float(log_kummer(np.array(0.0), np.array(3.0)))  # 1F1(1; 1; y) = e^y
    3.0
    """
    x, y = np.broadcast_arrays(np.asarray(x, float), np.asarray(y, float))
    safe_x = np.where(x > 0, x, 1.0)
    safe_y = np.where(y > 0, y, 1.0)
    out = (special.gammaln(safe_x + 1) - special.xlogy(safe_x, safe_y) + safe_y
           + log_gammainc(safe_x, safe_y))
    out = np.where(x > 0, out, y)
    return np.where(y > 0, out, 0.0)


def log_erlang_b(agents: np.ndarray, traffic_erl: np.ndarray) -> np.ndarray:
    """Log of the Erlang B blocking probability, for real ``agents >= 0``.

    Examples
    --------
    >>> import numpy as np
    >>> round(float(np.exp(log_erlang_b(np.array(2.0), np.array(1.0)))), 10)  # 0.5/2.5
    0.2
    """
    n, a = np.broadcast_arrays(np.asarray(agents, float), np.asarray(traffic_erl, float))
    safe_a = np.where(a > 0, a, 1.0)
    q = special.gammaincc(n + 1, safe_a)
    with np.errstate(divide="ignore"):
        out = special.xlogy(n, safe_a) - safe_a - special.gammaln(n + 1) - np.log(q)
    low = (q < _TINY) & (a > 0)
    if low.any():
        ns, as_ = n[low], a[low]

        def ratio(k: int, idx: np.ndarray) -> np.ndarray:
            return (ns[idx] - (k - 1)) / as_[idx]

        # 1/B = sum_j n (n-1) ... (n-j+1) / a^j; the terms vanish past j = n.
        series = _geometric_series(ratio, np.ceil(ns), ns.size)
        out = np.array(out, copy=True)
        out[low] = -np.log(series)
    zero_traffic = np.where(n > 0, -np.inf, 0.0)
    # A probability's log is <= 0; rounding can leave +1e-16 (e.g. n = 0, where B = 1).
    return np.where(a > 0, np.minimum(out, 0.0), zero_traffic)


def dlog_lower_gamma(b: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Derivative in ``b`` of ``log gamma(b, y)`` (unregularised), by a central difference.

    This is the mean of ``log T`` for ``T ~ Gamma(b)`` truncated to ``[0, y]``;
    Erlang A needs it for the mean wait of answered calls.
    """
    h = 1e-4 * np.maximum(1.0, b)
    diff = log_gammainc(b + h, y) - log_gammainc(b - h, y)
    return special.digamma(b) + diff / (2 * h)
