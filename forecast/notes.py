"""Warnings a fit or a forecast gives in words: what the data could not support, and why.

A result the data only partly support is still returned, but never silently: each warning
is kept with the result (``CallForecaster.diagnostics_["warnings"]``, a forecast's
``attrs["notes"]``) and issued as a `ForecastWarning`, which the command line prints as
one ``warning:`` line on stderr.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import pandas as pd

from tabular.days import local_date

from . import schema as S
from .grid import interval_ends

#: One airing reaches at most the whole audience: GRP above this are not ratings.
GRP_CEILING = 100.0
#: A plan's GRP above this multiple of the largest fitted GRP is beyond what the fit saw.
GRP_EXTRAPOLATION = 2.0


class ForecastWarning(UserWarning):
    """A result the data only partly support: what it means, in words."""


def warn(message: str, kept: list[str] | None = None) -> None:
    """Issue ``message`` as a `ForecastWarning` and append it to ``kept``."""
    if kept is not None:
        kept.append(message)
    warnings.warn(message, ForecastWarning, stacklevel=3)


@contextmanager
def silenced() -> Iterator[None]:
    """A block whose `ForecastWarning` are not shown.

    For the fits a fit or a backtest runs on parts of the history: they would repeat the
    outer fit's warnings with other figures.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ForecastWarning)
        yield


def spots_outside(spots: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> str | None:
    """What airings outside the history ``[start, end)`` mean for a fit, or None.

    Examples
    --------
    >>> t = pd.Timestamp("2024-03-01", tz="UTC")
    >>> s = pd.DataFrame({"start": [t - pd.Timedelta(days=9), t, t + pd.Timedelta(days=40)]})
    >>> print(spots_outside(s, t - pd.Timedelta(days=7), t + pd.Timedelta(days=7)))
    ... # doctest: +NORMALIZE_WHITESPACE
    of 3 airing(s), 1 come(s) after the history (2024-02-23 00:00 to 2024-03-08 00:00): the fit
    learns nothing from them; 1 come(s) before it: only what they bring from its start on is
    seen
    """
    times = pd.DatetimeIndex(spots[S.START])
    before, after = int((times < start).sum()), int((times >= end).sum())
    span = f"{start:%Y-%m-%d %H:%M} to {end:%Y-%m-%d %H:%M}"
    if before + after == len(times):
        return (f"all {len(times)} airing(s) lie outside the history ({span}): no campaign "
                "effect can be learned from them, so the model has no campaign response "
                "(check the spot file's dates and time zone)")
    seen = "only what they bring from its start on is seen"
    parts = ([f"{after} come(s) after the history ({span}): the fit learns nothing from them"]
             if after else []) + ([f"{before} come(s) before it: {seen}" if after
                                   else f"{before} come(s) before the history ({span}): {seen}"]
                                  if before else [])
    return f"of {len(times)} airing(s), " + "; ".join(parts) if parts else None


def grp_at_fit(spots: pd.DataFrame) -> str | None:
    """A warning when the fit's GRP cannot be ratings of single airings (above 100), or None.

    Examples
    --------
    >>> print(grp_at_fit(pd.DataFrame({"grp": [250.0, 800.0]})))  # doctest: +ELLIPSIS
    spot GRP reach 800, but one airing reaches at most 100 GRP (all of the audience): ...
    >>> grp_at_fit(pd.DataFrame({"grp": [2.0, 18.0]})) is None
    True
    """
    grp = pd.to_numeric(spots[S.GRP], errors="coerce").to_numpy(float)
    top = np.nanmax(grp) if np.isfinite(grp).any() else 0.0
    if top <= GRP_CEILING:
        return None
    return (f"spot GRP reach {top:g}, but one airing reaches at most {GRP_CEILING:g} GRP "
            "(all of the audience): are they in another unit (thousands of contacts, or "
            "ratings x 100)? The response is learned per unit of these figures, so plans "
            "must use the same unit")


def grp_at_predict(plan: pd.DataFrame, fitted: pd.DataFrame) -> str | None:
    """A warning when a plan's GRP lie far beyond the fitted ones, or None.

    Far beyond is above `GRP_EXTRAPOLATION` times the largest rated GRP of the fit's
    airings; with no rated airing fitted, above `GRP_CEILING` (no single airing reaches it).

    Examples
    --------
    >>> print(grp_at_predict(pd.DataFrame({"grp": [5.0, 500.0]}), pd.DataFrame({"grp": [2.0, 18.0]})))
    ... # doctest: +ELLIPSIS
    1 planned airing(s) have GRP up to 500, far above the largest fitted GRP (18): ...
    """
    grp = pd.to_numeric(plan[S.GRP], errors="coerce").to_numpy(float)
    seen = pd.to_numeric(fitted[S.GRP], errors="coerce").to_numpy(float)
    seen = seen[np.isfinite(seen) & (seen > 0)]
    limit = GRP_EXTRAPOLATION * seen.max() if seen.size else GRP_CEILING
    far = np.isfinite(grp) & (grp > limit)
    if not far.any():
        return None
    largest = f"{seen.max():g}" if seen.size else "none: no rated airing was fitted"
    return (f"{int(far.sum())} planned airing(s) have GRP up to {grp[far].max():g}, far above "
            f"the largest fitted GRP ({largest}): their response is extrapolated along the "
            "fitted saturation curve (are the GRP in the unit of the fit, not percent or "
            "thousands?)")


def window_notes(index: pd.DatetimeIndex, slot_s: float, history_end: pd.Timestamp,
                 measured_days: int | None) -> tuple[list[str], list[str]]:
    """Notes and warnings on a forecast window: ``(notes, warnings)``.

    Notes: intervals finer than the fitted slots (their calls are spread evenly), a window
    that starts before the history ends (forecast from the level at its end, not fitted
    values). Warning: a window reaching further past the history than ``measured_days``,
    the horizon up to which the level's error was measured: the bands beyond are too narrow.

    Examples
    --------
    >>> idx = pd.date_range("2025-03-01", periods=2, freq="D", tz="UTC")
    >>> notes, warnings = window_notes(idx, 900, pd.Timestamp("2024-03-01", tz="UTC"), 91)
    >>> notes, warnings[0][:68]
    ([], 'the window reaches 366 days past the end of the history (2024-03-01)')
    """
    notes, warned = [], []
    width = interval_ends(index[:2])[0] - index[0]  # a lone midnight: a whole day
    slot = pd.Timedelta(seconds=slot_s)
    if width < slot:
        notes.append(f"intervals of {width} are finer than the model's {slot} slots: each "
                     "slot's baseline calls are spread evenly over its intervals")
    if index[0] < history_end:
        notes.append(f"the window starts before the history ends ({history_end:%Y-%m-%d %H:%M}): "
                     "it is forecast from the level at the end of the history, as if ahead")
    ahead = (local_date(index[-1]) - local_date(history_end.tz_convert(index.tz))).days
    if measured_days is not None and ahead > measured_days:
        warned.append(f"the window reaches {ahead} days past the end of the history "
                      f"({history_end:%Y-%m-%d}), but the level's error was measured only up "
                      f"to {measured_days} days ahead: the bands beyond are too narrow")
    return notes, warned


def holidays_ahead(window: dict, *, seen: list[tuple[str, str]],
                   closes_all: bool) -> tuple[list[str], list[str]]:
    """Notes and warnings on public holidays in a window the history never showed.

    Parameters
    ----------
    window : dict
        ``date -> name`` of the public holidays in the window.
    seen : list of (name, status)
        The public holidays of the history and what it showed (`forecast.calendar.Calendar`):
        those are forecast as it showed them, by name.
    closes_all : bool
        Whether the forecast closes every public holiday (set, or every one seen closed).

    Returns
    -------
    (notes, warnings)
        A warning when holidays the history never showed are forecast as ordinary days
        though every holiday it did show was closed or unlogged: the line most likely
        closes on them too, and a forecast of a full day is a day of staff for nothing.

    Examples
    --------
    >>> import datetime as dt
    >>> notes, warned = holidays_ahead({dt.date(2024, 5, 1): "Labour Day"},
    ...     seen=[("Good Friday", "no record")], closes_all=False)
    >>> notes, warned[0][:76]
    ([], '2024-05-01 (Labour Day): a public holiday the history never showed, forecast')
    """
    names = {name for name, _ in seen}
    unseen = {d: n for d, n in sorted(window.items()) if n not in names}
    if not unseen:
        return [], []
    days = ", ".join(f"{d:%Y-%m-%d} ({n})" for d, n in unseen.items())
    plural = len(unseen) > 1
    what = "public holidays the history never showed" if plural else \
        "a public holiday the history never showed"
    if closes_all:
        return [f"{days}: {what}, forecast closed as every holiday in the history was; "
                "if the line opens, fit with them as ordinary days (holidays_closed=False; "
                "command line: --holidays-closed no; app: Model page, Public holidays: "
                "ordinary days)"], []
    statuses = {status for _, status in seen}
    message = f"{days}: {what}, forecast as {'ordinary days' if plural else 'an ordinary day'}"
    if statuses and statuses <= {"closed", "low", "no record"}:
        shown = ", ".join(dict.fromkeys(name for name, _ in seen))
        return [], [f"{message}, though the line was closed or kept no record on every "
                    f"holiday it showed ({shown}); if it closes on "
                    f"{'these' if plural else 'this one'} too, fit with public holidays closed "
                    "(holidays_closed=True; command line: --holidays-closed yes; app: Model "
                    "page, Public holidays: closed)"]
    return [message], []
