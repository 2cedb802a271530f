"""The line's growth over the last year, carried ahead by the daily level.

A local level follows a growing line from behind: it is always where the line was
some weeks ago, and a quarter ahead a line growing 30 % a year comes out 6 % low. The
growth is measured as last year's same-quarter comparison a planner makes, on the
deseasonalised log totals, and the level is filtered on the totals less it (so it does
not lag) and carries it ahead, up to a year. `forecast.daily` keeps it only when it
forecasts better out of sample.
"""

from __future__ import annotations

import numpy as np

DRIFT_WINDOW_DAYS = 91
MAX_DRIFT_PER_DAY = float(np.log(2) / 364)  # doubling a year


def yearly_drift(day: np.ndarray, z: np.ndarray) -> float:
    """Log growth a day: the last quarter's level over the same quarter a year before.

    Medians of the deseasonalised log totals ``z`` of the last ``DRIFT_WINDOW_DAYS``
    and of the same days a year (364 days) before, their difference over 364 days; 0
    when either window has under four weeks of days, and when the line more than
    doubled or halved: a ramp-up that steep is no growth to carry a quarter ahead.
    """
    last = int(day[-1])
    recent = z[day > last - DRIFT_WINDOW_DAYS]
    before = z[(day > last - 364 - DRIFT_WINDOW_DAYS) & (day <= last - 364)]
    if recent.size < 28 or before.size < 28:
        return 0.0
    slope = float((np.median(recent) - np.median(before)) / 364.0)
    return slope if abs(slope) <= MAX_DRIFT_PER_DAY else 0.0


def describe(info: dict | None) -> str:
    """One line for a planner on the growth: carried ahead or not, and the evidence.

    ``info`` is the baseline's ``info["growth"]`` (`forecast.daily.fit_daily`).

    Examples
    --------
    >>> print(describe({"kept": True, "per_year": 0.31, "check": "8 origins",
    ...                 "wape_with_growth": 0.071, "wape_without_growth": 0.089}))
    ... # doctest: +NORMALIZE_WHITESPACE
    Growth: +31 % a year, carried ahead; out of sample, 8 origins: WAPE 0.071 with it,
    0.089 without
    >>> describe({"kept": False, "check": "too short to check a growth out of sample"})
    'Growth: none carried ahead (too short to check a growth out of sample)'
    """
    if not info:
        return "Growth: none carried ahead"
    if "wape_with_growth" in info:
        evidence = (f"{info['check']}: WAPE {info['wape_with_growth']:.3f} with it, "
                    f"{info['wape_without_growth']:.3f} without")
    else:
        evidence = info.get("check", "not checked")
    if info.get("kept"):
        return f"Growth: {100 * info['per_year']:+.0f} % a year, carried ahead; out of sample, {evidence}"
    return f"Growth: none carried ahead ({evidence})"
