"""Checks at the public boundary: settings a caller or a command line passes in.

Each message names the setting, the value received and what is allowed, so the library
(``ValueError``), the command line (one line on stderr) and the app show the same text.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import pandas as pd
from pandas.tseries.frequencies import to_offset

MIN_STEP = pd.Timedelta(minutes=1)
MAX_STEP = pd.Timedelta(days=1)
#: Intervals one forecast may hold: a million take about 5 s and 0.7 GB (19 years at
#: 15 minutes, 2 at 1 minute); more would exhaust memory rather than answer.
MAX_INTERVALS = 1_000_000


def step(name: str, value) -> pd.Timedelta:
    """An interval length from a minute to a day, as a Timedelta.

    Examples
    --------
    >>> step("freq", "15min"), step("freq", "1D")
    (Timedelta('0 days 00:15:00'), Timedelta('1 days 00:00:00'))
    >>> step("freq", "0min")
    Traceback (most recent call last):
    ...
    ValueError: freq must be an interval length from 1min to 1D such as 15min, 1h or 1D, got '0min'
    """
    allowed = "an interval length from 1min to 1D such as 15min, 1h or 1D"
    try:
        width = pd.Timedelta(value) if isinstance(value, pd.Timedelta) else pd.Timedelta(
            to_offset(str(value).strip()).nanos, unit="ns")
    except (ValueError, TypeError):
        raise ValueError(f"{name} must be {allowed}, got {value!r}") from None
    if not MIN_STEP <= width <= MAX_STEP:
        raise ValueError(f"{name} must be {allowed}, got {value!r}")
    return width


def count(name: str, value, *, low: int = 1) -> int:
    """A whole number >= ``low``.

    Examples
    --------
    >>> count("origins", 3)
    3
    >>> count("origins", -3)
    Traceback (most recent call last):
    ...
    ValueError: origins must be a whole number >= 1, got -3
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != int(value) \
            or value < low:
        raise ValueError(f"{name} must be a whole number >= {low}, got {value!r}")
    return int(value)


def quantiles(name: str, values: Iterable) -> tuple[float, ...]:
    """Probabilities strictly between 0 and 1; percentages get a hint.

    Examples
    --------
    >>> quantiles("quantiles", [0.1, 0.9])
    (0.1, 0.9)
    >>> quantiles("quantiles", [10, 90])
    Traceback (most recent call last):
    ...
    ValueError: quantiles must be in (0, 1), got 10; did you mean 0.1?
    """
    out = []
    for q in values:
        try:
            value = float(q)
        except (TypeError, ValueError):
            raise ValueError(f"{name} must be numbers in (0, 1), got {q!r}") from None
        if not (math.isfinite(value) and 0 < value < 1):
            hint = f"; did you mean {value / 100:g}?" if 1 < value < 100 else ""
            raise ValueError(f"{name} must be in (0, 1), got {value:g}{hint}")
        out.append(value)
    return tuple(out)


def one_of(name: str, value, allowed: tuple):
    """``value`` if it is one of ``allowed`` (compared by identity for True/False/None).

    Examples
    --------
    >>> one_of("holidays_closed", "yes", (True, False, None))
    Traceback (most recent call last):
    ...
    ValueError: holidays_closed must be one of True, False, None, got 'yes'
    """
    if not any(value is a or (type(value) is type(a) and value == a) for a in allowed):
        raise ValueError(f"{name} must be one of {', '.join(map(repr, allowed))}, got {value!r}")
    return value


def instance(name: str, value, kind: type, *, optional: bool = True):
    """``value`` if it is a ``kind`` (or None when ``optional``).

    Examples
    --------
    >>> instance("baseline", "x", dict)
    Traceback (most recent call last):
    ...
    ValueError: baseline must be a dict or None, got 'x'
    """
    if not (isinstance(value, kind) or (optional and value is None)):
        raise ValueError(f"{name} must be a {kind.__name__}{' or None' if optional else ''}, "
                         f"got {value!r}")
    return value
