"""Calls displaced by a closure: the first open day after one is busier.

When a line shuts on a day it usually works (a public holiday, a strike, a day with
no record), some of that day's callers call on the next open day. The US bank's first
days after Memorial Day and Labor Day had 26 % and 35 % more calls than their weekday,
and a forecast that reads them as noise is 20 % low on them.

The effect is one factor ``1 + after_closure`` on the first open day after a closure of
one or more usually-open days (a regular day off, such as Sunday for a Monday-Saturday
line, is no closure: its backlog is in Monday's own factor). It is estimated from the
one-step errors of the daily level on such days, and kept only when the history holds
`MIN_EVENTS` of them and their mean is `T_KEEP` standard errors from zero: a line with
one holiday, or whose gaps are lost records rather than closures, keeps none.
One factor, whatever the closure's length, because a week's closure does not send a
week of calls to one day: callers spread out or give up.
"""

from __future__ import annotations

import numpy as np

LOOK_BACK_DAYS = 7  # a closure further back than a week's regular days off is no backlog
MIN_EVENTS = 2
T_KEEP = 2.0
MIN_FACTOR = -0.5  # a closure may also be followed by a quiet day (a bridge day), not a dead one


def weekday(day: np.ndarray) -> np.ndarray:
    """Monday=0 ... Sunday=6 of day numbers (days since 1970-01-01, a Thursday)."""
    return (day + 3) % 7


def usual_weekdays(day: np.ndarray, has_calls: np.ndarray) -> tuple[int, ...]:
    """Weekdays with calls on at least half of their days in the span ``day`` covers.

    Examples
    --------
    >>> day = np.arange(14)  # two weeks from a Thursday
    >>> usual_weekdays(day, weekday(day) < 5)
    (0, 1, 2, 3, 4)
    """
    wk = weekday(day)
    seen = np.bincount(wk, minlength=7)
    working = np.bincount(wk[np.asarray(has_calls, bool)], minlength=7)
    return tuple(int(k) for k in np.flatnonzero((seen > 0) & (working >= 0.5 * seen)))


def after_closure(day: np.ndarray, open_weekdays: tuple, closed: np.ndarray) -> np.ndarray:
    """Whether each day is the first usually-open day after a closure.

    Parameters
    ----------
    day : ndarray of int
        Day numbers.
    open_weekdays : tuple of int
        Weekdays the line usually works (`usual_weekdays`).
    closed : ndarray of int
        Day numbers of usually-open weekdays on which the line did not work.

    Examples
    --------
    >>> monday = 19723  # 2024-01-01
    >>> flags = after_closure(np.arange(monday, monday + 9), (0, 1, 2, 3, 4), np.array([monday]))
    >>> flags.astype(int).tolist()  # Tuesday after a closed Monday; not the next week
    [0, 1, 0, 0, 0, 0, 0, 0, 0]
    >>> after_closure(np.array([monday + 7]), (0, 1, 2, 3, 4), np.array([monday + 4])).tolist()
    [True]
    """
    day = np.asarray(day, np.int64)
    usual = np.zeros(7, bool)
    usual[list(open_weekdays)] = True
    closed = np.asarray(closed, np.int64)
    out = np.zeros(day.shape, bool)
    still = usual[weekday(day)]  # a day the line does not usually work has no backlog
    for k in range(1, LOOK_BACK_DAYS + 1):
        before = day - k
        works = usual[weekday(before)]
        out |= still & works & np.isin(before, closed)
        still &= ~works  # walk back over regular days off only
    return out


def fit_after_closure(errors: np.ndarray, flags: np.ndarray) -> dict:
    """The factor of the first open day after a closure, from the level's one-step errors.

    Parameters
    ----------
    errors : ndarray
        Log one-step errors of the daily totals (observed less forecast).
    flags : ndarray of bool
        The days that followed a closure.

    Returns
    -------
    dict
        ``factor`` (0 when not kept), ``estimate``, ``se``, ``days`` and ``kept``.

    Examples
    --------
    >>> e = np.r_[np.random.default_rng(0).normal(0, 0.05, 200), 0.25, 0.3, 0.2]
    >>> fit = fit_after_closure(e, np.arange(203) >= 200)
    >>> fit["kept"], round(fit["factor"], 2)
    (True, 0.29)
    >>> fit_after_closure(e[:201], np.arange(201) >= 200)["kept"]  # one event is no pattern
    False
    """
    errors = np.asarray(errors, float)
    flags = np.asarray(flags, bool)
    n = int(flags.sum())
    others = errors[~flags]
    if n == 0 or others.size < 10:
        return {"factor": 0.0, "days": n, "kept": False}
    lift = np.exp(errors[flags]) - 1.0
    estimate = float(lift.mean())
    sd = 1.4826 * float(np.median(np.abs(others - np.median(others))))
    se = sd / np.sqrt(n)
    kept = n >= MIN_EVENTS and se > 0 and abs(estimate) >= T_KEEP * se
    return {"factor": max(estimate, MIN_FACTOR) if kept else 0.0, "estimate": estimate,
            "se": float(se), "days": n, "kept": bool(kept)}


def describe(fit: dict | None) -> str:
    """One line for a planner on what `fit_after_closure` found.

    Examples
    --------
    >>> describe({"factor": 0.125, "estimate": 0.125, "se": 0.017, "days": 5, "kept": True})
    'First open day after a closure: +12.5 % calls (± 1.7 %, from 5 such days)'
    >>> describe({"factor": 0.0, "days": 0, "kept": False})
    'First open day after a closure: none among the days the baseline was fitted on'
    """
    head = "First open day after a closure: "
    if not fit or not fit.get("days"):
        return head + "none among the days the baseline was fitted on"
    n = fit["days"]
    if not fit.get("kept"):
        mean = f", mean {100 * fit['estimate']:+.1f} %" if "estimate" in fit else ""
        return head + f"no backlog measurable ({n} such day{'s' * (n != 1)}{mean})"
    return head + (f"{100 * fit['factor']:+.1f} % calls (± {100 * fit['se']:.1f} %, "
                   f"from {n} such days)")
