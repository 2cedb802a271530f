"""Checks at the public boundary.

Every message names the parameter, the value received and what is allowed, so
the same text can be shown by the library (``ValueError``), the CLI (one line
on stderr) and the app (``st.error``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

MAX_TRAFFIC_ERL = 1e6
"""Largest offered load, in Erlangs, that the queueing formulas accept.

A million agents busy at once is far beyond any call centre; past about 1e13 Erlangs the
formulas lose every digit to rounding, and the headcount searches would take ever longer.
"""


def _first_bad(name: str, arr: np.ndarray, bad: np.ndarray, allowed: str) -> ValueError:
    """Build the error for the first offending element of ``arr``."""
    pos = int(np.flatnonzero(bad.ravel())[0])
    value = arr.ravel()[pos]
    where = f" (at position {pos})" if arr.size > 1 else ""
    hint = ""
    if "0, 1" in allowed and 1 < value <= 100:
        hint = f"; did you mean {value / 100:g}?"
    return ValueError(f"{name} must be {allowed}, got {value:g}{where}{hint}")


def as_array(name: str, value: Any) -> np.ndarray:
    """Return ``value`` as a float array, refusing NaN, infinity and non-numbers."""
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number or an array of numbers, got {value!r}") from None
    bad = ~np.isfinite(arr)
    if bad.any():
        raise _first_bad(name, arr, bad, "a finite number")
    return arr


def nonnegative(name: str, value: Any) -> np.ndarray:
    """Return ``value`` as a float array after checking it is >= 0."""
    arr = as_array(name, value)
    bad = arr < 0
    if bad.any():
        raise _first_bad(name, arr, bad, ">= 0")
    return arr


def positive(name: str, value: Any) -> np.ndarray:
    """Return ``value`` as a float array after checking it is > 0."""
    arr = as_array(name, value)
    bad = arr <= 0
    if bad.any():
        raise _first_bad(name, arr, bad, "> 0")
    return arr


def traffic(name: str, value: Any) -> np.ndarray:
    """Return an offered load (Erlangs) as a float array, checking 0 <= it <= MAX_TRAFFIC_ERL."""
    arr = nonnegative(name, value)
    bad = arr > MAX_TRAFFIC_ERL
    if bad.any():
        raise _first_bad(name, arr, bad, f"at most {MAX_TRAFFIC_ERL:,.0f} Erlangs (a million "
                         "agents busy at once; the formulas are not reliable beyond)")
    return arr


PATIENCE_TO_AHT = (1e-6, 1e4)
"""Range of ``patience_s / aht_s`` in which the Erlang A formulas hold to rounding."""


def patience(patience_s: Any, aht_s: np.ndarray) -> np.ndarray:
    """Return a mean patience (seconds) after checking it suits Erlang A for ``aht_s``."""
    pat = positive("patience_s", patience_s)
    low, high = PATIENCE_TO_AHT
    ratio = np.broadcast_to(pat / aht_s, np.broadcast_shapes(pat.shape, np.shape(aht_s)))
    value = np.broadcast_to(pat, ratio.shape)
    if (ratio > high).any():
        raise _first_bad("patience_s", value, ratio > high, f"at most {high:,.0f} times aht_s "
                         "for Erlang A (callers that patient never hang up: use Erlang C)")
    if (ratio < low).any():
        raise _first_bad("patience_s", value, ratio < low, f"at least {low:g} times aht_s for "
                         "Erlang A (callers that impatient never wait: a loss system)")
    return pat


def fraction(name: str, value: Any, *, closed_low: bool = False, closed_high: bool = False) -> float:
    """Return a scalar probability, checking the interval and hinting at percentages."""
    arr = as_array(name, value)
    if arr.ndim != 0:
        raise ValueError(f"{name} must be a single number, got an array of shape {arr.shape}")
    low_ok = arr >= 0 if closed_low else arr > 0
    high_ok = arr <= 1 if closed_high else arr < 1
    if not (low_ok and high_ok):
        interval = f"{'[' if closed_low else '('}0, 1{']' if closed_high else ')'}"
        raise _first_bad(name, arr, np.asarray(True), f"in {interval}")
    return float(arr)


def choice(name: str, value: Any, allowed: tuple[str, ...]) -> str:
    """Check that ``value`` is one of ``allowed``."""
    if value not in allowed:
        options = ", ".join(repr(a) for a in allowed)
        raise ValueError(f"{name} must be one of {options}, got {value!r}")
    return str(value)
