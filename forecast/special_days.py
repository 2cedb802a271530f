"""Days around fixed-date holidays: the same calendar date, busier or quieter every year.

Christmas Eve, the days between Christmas and New Year, 2 January: none is a public
holiday, yet each year they run well off their weekday. On the US births of 1972-1977,
forecast a quarter ahead from 1 October, 22-26 December came out 6-13 % low and
28-30 December 6 % high, with year-to-year spreads of 3-5 %: a weekday factor times a
smooth yearly shape cannot draw a feature a few days wide.

Candidates are the calendar dates (month-day) within `WINDOW_DAYS` of a public holiday
that falls on the same date in two years or more of the history. Each candidate's
effect is the mean log error of its days (not the holidays themselves, which have their
own day type) against the daily level around them (`forecast.daily`). It is kept when
it has `MIN_YEARS` days or more and its mean is far from zero against the robust spread
of the other days' errors, Bonferroni over the candidates tested (a two-sided 5 % family-wise
level: with 50 candidates, 3.3 standard errors), and the other years, its most extreme
left out, show it too (`CONFIRM_Z`: one outage on a date is not a yearly feature), then
shrunk by ``1 - 1/z^2`` as the campaign effects are (`forecast.effects`).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from scipy import stats

WINDOW_DAYS = 7
MIN_YEARS = 2
FAMILY_LEVEL = 0.05
CONFIRM_Z = float(stats.norm.isf(0.05))  # the other years' mean, leaving out the most extreme


def month_day(day: np.ndarray) -> np.ndarray:
    """Month x 100 + day of month of local day numbers (days since 1970-01-01).

    >>> month_day(np.array([0, 358])).tolist()
    [101, 1225]
    """
    d = np.asarray(day, np.int64).astype("datetime64[D]")
    months = d.astype("datetime64[M]")
    return ((months.astype(np.int64) % 12 + 1) * 100
            + (d - months.astype("datetime64[D]")).astype(np.int64) + 1)


def _number(name: str) -> int:
    return int(name[:2]) * 100 + int(name[3:])


def candidates(holidays, first_day: int, last_day: int) -> tuple[str, ...]:
    """Month-days within `WINDOW_DAYS` of a holiday on the same date in 2+ years.

    ``holidays``: dates (public holidays); only those from ``first_day`` to ``last_day``
    (day numbers) count. The holidays' own dates are not candidates.

    Examples
    --------
    >>> xmas = {dt.date(2021, 12, 25), dt.date(2022, 12, 25)}
    >>> days = candidates(xmas, 18628, 19400)
    >>> days[0], days[1], days[-1], len(days), "12-25" in days
    ('01-01', '12-18', '12-31', 14, False)
    >>> candidates({dt.date(2022, 12, 25)}, 18628, 19400)  # once is no recurring date
    ()
    """
    seen = [d for d in holidays if first_day <= (d - dt.date(1970, 1, 1)).days <= last_day]
    dates, counts = np.unique([f"{d:%m-%d}" for d in seen], return_counts=True)
    fixed = set(dates[counts >= 2].tolist())
    near = set()
    for md in fixed:
        centre = dt.date(2001, int(md[:2]), int(md[3:]))  # a year without 29 February
        near.update(f"{centre + dt.timedelta(days=k):%m-%d}"
                    for k in range(-WINDOW_DAYS, WINDOW_DAYS + 1) if k)
    return tuple(sorted(near - fixed))


def candidate_keys(day: np.ndarray, names: tuple[str, ...]) -> np.ndarray:
    """Index into ``names`` (`candidates`) of each day's date, -1 for none.

    >>> candidate_keys(np.array([357, 358, 359]), ("12-24", "12-26")).tolist()
    [0, -1, 1]
    """
    md = month_day(day)
    out = np.full(md.shape, -1, np.int64)
    for k, name in enumerate(names):
        out[md == _number(name)] = k
    return out


def nothing_found(tested: int = 0) -> dict:
    """What `fit_special_days` returns when no date is kept."""
    return {"factors": {}, "tested": tested, "z": None, "found": {}}


def fit_special_days(errors: np.ndarray, keys: np.ndarray, names: tuple[str, ...]) -> dict:
    """Keep the candidates whose days' level errors are far from zero, shrunk.

    Parameters
    ----------
    errors : ndarray
        Log errors of the fitted days: against the level around them on candidate dates,
        one step ahead on the others.
    keys : ndarray of int
        Index into ``names`` of each day's candidate date, -1 for none (nor a holiday).
    names : tuple of str
        The candidate dates.

    Returns
    -------
    dict
        ``factors``: ``{month-day: log factor}`` of the kept dates; ``tested``: how many
        candidates had enough days; ``z``: the threshold; ``found``: per kept date its
        days, mean log error and standard error.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> e = rng.normal(0, 0.03, 400)
    >>> keys = np.full(400, -1); keys[[50, 150, 250, 350]] = 0; keys[[60, 160, 260]] = 1
    >>> e[keys == 0] -= 0.2
    >>> fit = fit_special_days(e, keys, ("12-24", "12-27"))
    >>> sorted(fit["factors"]), round(float(fit["factors"]["12-24"]), 2)
    (['12-24'], -0.19)
    """
    errors = np.asarray(errors, float)
    keys = np.asarray(keys, np.int64)
    others = errors[keys < 0]
    if others.size < 10 or not names:
        return nothing_found()
    sd = 1.4826 * float(np.median(np.abs(others - np.median(others))))
    counts = np.bincount(keys[keys >= 0], minlength=len(names))
    tested = np.flatnonzero(counts >= MIN_YEARS)
    if sd <= 0 or not tested.size:
        return nothing_found(int(tested.size))
    z_keep = float(stats.norm.isf(FAMILY_LEVEL / (2 * tested.size)))
    factors, found = {}, {}
    for k in tested:
        e = errors[keys == k]
        mean = float(e.mean())
        se = sd / np.sqrt(counts[k])
        z = abs(mean) / se
        # One odd year (an outage, a storm) is no yearly date: the other years must show
        # it too (the same sign, one-sided 5 %).
        rest = np.delete(e, np.argmax(np.abs(e)))
        z_rest = float(np.sign(mean) * rest.mean()) / (sd / np.sqrt(rest.size))
        if z >= z_keep and z_rest >= CONFIRM_Z:
            factors[names[k]] = float(mean * (1.0 - 1.0 / z ** 2))
            found[names[k]] = {"days": int(counts[k]), "mean": mean, "se": float(se)}
    return {"factors": factors, "tested": int(tested.size), "z": z_keep, "found": found}


def log_factors(day: np.ndarray, factors: dict, exclude: np.ndarray | None = None) -> np.ndarray:
    """Log factor of each day (0 where its date has none, or ``exclude`` is set)."""
    out = np.zeros(np.shape(day))
    if not factors or not np.size(day):
        return out
    names = tuple(factors)
    keys = candidate_keys(day, names)
    out[keys >= 0] = np.array([factors[n] for n in names])[keys[keys >= 0]]
    if exclude is not None:
        out[np.asarray(exclude, bool)] = 0.0
    return out


def describe(fit: dict | None) -> str:
    """One line for a planner on what `fit_special_days` found.

    Examples
    --------
    >>> describe({"factors": {"12-24": -0.13, "12-28": 0.05}, "tested": 40, "z": 3.2})
    'Days around holidays, every year: 24 Dec -12 %, 28 Dec +5 % (of 40 dates tested)'
    >>> describe({"factors": {}, "tested": 40, "z": 3.2})
    'Days around holidays, every year: no date stands out (40 dates tested)'
    """
    head = "Days around holidays, every year: "
    if not fit or not fit.get("tested"):
        return head + "none to test (no holiday on the same date in two years of history)"
    if not fit["factors"]:
        return head + f"no date stands out ({fit['tested']} dates tested)"
    parts = [f"{dt.date(2001, int(md[:2]), int(md[3:])):%d %b}".lstrip("0")
             + f" {100 * np.expm1(v):+.0f} %" for md, v in sorted(fit["factors"].items())]
    return head + ", ".join(parts) + f" (of {fit['tested']} dates tested)"
