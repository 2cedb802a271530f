"""Checks of the optimiser's settings: each message names the setting, the value and what is allowed."""

from __future__ import annotations

import math

import pandas as pd


def tolerance(name: str, value) -> float:
    """A relative tolerance in [0, 1).

    Examples
    --------
    >>> tolerance("grp_tolerance", 0.05)
    0.05
    >>> tolerance("grp_tolerance", 5)
    Traceback (most recent call last):
    ...
    ValueError: grp_tolerance must be a share in [0, 1) such as 0.05, got 5; did you mean 0.05?
    """
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a share in [0, 1) such as 0.05, got {value!r}") from None
    if not (math.isfinite(x) and 0 <= x < 1):
        hint = f"; did you mean {x / 100:g}?" if 1 <= x < 100 else ""
        raise ValueError(f"{name} must be a share in [0, 1) such as 0.05, got {value!r}{hint}")
    return x


def cap(name: str, value) -> float:
    """A whole number of airings >= 1, or None for no cap (``inf``).

    Examples
    --------
    >>> cap("max_per_day_channel", None), cap("max_per_day_channel", 3)
    (inf, 3.0)
    """
    if value is None:
        return math.inf
    try:
        x = float(value)
    except (TypeError, ValueError):
        x = math.nan
    if not (math.isfinite(x) and x >= 1 and x == int(x)):
        raise ValueError(f"{name} must be a whole number of airings >= 1 (or None for no cap), "
                         f"got {value!r}")
    return x


def seconds(name: str, value) -> float:
    """A positive, finite number of seconds."""
    try:
        x = float(value)
    except (TypeError, ValueError):
        x = math.nan
    if not (math.isfinite(x) and x > 0):
        raise ValueError(f"{name} must be a number of seconds > 0, got {value!r}")
    return x


def time(name: str, value, tz: str) -> pd.Timestamp:
    """A date or time, read in ``tz`` when naive.

    Examples
    --------
    >>> str(time("start", "2009-04-12", "Europe/Rome"))
    '2009-04-12 00:00:00+02:00'
    """
    try:
        t = pd.Timestamp(value)
        bad = bool(pd.isna(t))
    except (TypeError, ValueError):
        bad = True
    if bad:
        raise ValueError(f"{name} must be a date or time such as 2009-04-12 or "
                         f"'2009-04-12 08:00', got {value!r}")
    return t.tz_localize(tz, ambiguous=False, nonexistent="shift_forward") if t.tz is None \
        else t.tz_convert(tz)


def choice(name: str, value, allowed) -> str:
    """One of ``allowed``."""
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, allowed))}, got {value!r}")
    return value
