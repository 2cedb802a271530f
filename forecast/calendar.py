"""The calendar of a line, taken from its data: time zone, holiday country, closures.

* **Zone** and **country**: asked for, or found from the history's timestamps and the
  tz database (see `forecast.zones`).
* **Closures**: days far below the same weekday in the weeks around them (see
  `forecast.closures`). A closure on a date that was also closed in an earlier year
  (25 December of a line with no country) becomes a holiday of every year.
* **Public holidays** the history shows open at normal volume stay open in future
  years (matched by name); the others are the holiday day type, whose level the
  history sets (closed if every one it shows was closed). A holiday with no record at
  all tells nothing about the others (a gap in the log looks the same as a closed day),
  but the same holiday is forecast closed again, as is any holiday seen closed.

`Calendar` holds what a model uses; `learn_calendar` fills it from a history. The names
of `forecast.zones` and `forecast.closures` are importable from here too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from tabular.days import local_dates

from .closures import (
    CLOSURE_P,
    CLOSURE_RATIO,
    CLOSURE_WEEKS,
    day_table,
    find_closures,
    recurring_dates,
)
from .zones import (
    AUTO,
    DEFAULT_TZ,
    check_zone,
    country_of_zone,
    public_holidays,
    resolve_country,
    resolve_zone,
    zone_countries,
    zone_from_offsets,
    zone_name,
)

__all__ = [
    "AUTO", "CLOSURE_P", "CLOSURE_RATIO", "CLOSURE_WEEKS", "DEFAULT_TZ", "Calendar",
    "check_zone", "country_of_zone", "day_table", "find_closures", "learn_calendar",
    "public_holidays", "recurring_dates", "resolve_country", "resolve_zone",
    "zone_countries", "zone_from_offsets", "zone_name",
]


@dataclass(frozen=True)
class Calendar:
    """The calendar a model uses, and what the history showed about it.

    Attributes
    ----------
    zone, zone_source : str
        IANA zone (or ``"UTC"``, ``"+HH:MM"``) and where it came from.
    country, country_source : str or None, str
        Holiday country (``None``: no public holidays) and where it came from.
    open_holidays : tuple of str
        Names of public holidays the history showed open at normal volume (last time seen).
    closed_holidays : tuple of str
        Names of public holidays the history showed closed, or with no record on a weekday
        it always records (last time seen): forecast closed whatever the other holidays do.
    recurring : tuple of str
        ``"MM-DD"`` of closures seen on the same date in more than one year.
    public_seen : tuple
        ``(date, name, status, calls, usual_calls)`` of public holidays in the history;
        status ``open``, ``reduced``, ``low``, ``closed`` or ``no record``.
    closures : tuple
        ``(date, calls, usual_calls)`` of the detected closures.
    excluded : tuple of str
        Closures on no holiday and no recurring date: left out of the fit.
    """

    zone: str
    zone_source: str
    country: str | None
    country_source: str
    open_holidays: tuple = ()
    recurring: tuple = ()
    closed_holidays: tuple = ()
    public_seen: tuple = ()
    closures: tuple = ()
    excluded: tuple = ()

    def holidays(self, first_year: int, last_year: int,
                 holidays_closed: bool | None = None) -> frozenset:
        """Dates of the holiday day type in these years.

        Public holidays (but, unless ``holidays_closed`` is True, not those the history
        showed open) and recurring closures.

        Examples
        --------
        >>> cal = Calendar("UTC", "given", None, "none", recurring=("12-25",))
        >>> sorted(cal.holidays(2024, 2025))
        [datetime.date(2024, 12, 25), datetime.date(2025, 12, 25)]
        """
        return _holiday_set(self, first_year, last_year, holidays_closed)

    def closed_dates(self, first_year: int, last_year: int) -> frozenset:
        """Dates of the public holidays the history showed closed (`closed_holidays`).

        Examples
        --------
        >>> cal = Calendar("Europe/Rome", "given", "IT", "given", closed_holidays=("Christmas Day",))
        >>> sorted(cal.closed_dates(2024, 2024))
        [datetime.date(2024, 12, 25)]
        """
        if not (self.country and self.closed_holidays):
            return frozenset()
        return frozenset(day for day, name in public_holidays(self.country, first_year,
                                                              last_year).items()
                         if name in self.closed_holidays)

    def report(self) -> dict:
        """JSON-ready description (also the saved form, see `from_report`)."""
        out = asdict(self)
        out["open_holidays"] = list(self.open_holidays)
        out["recurring"] = list(self.recurring)
        out["closed_holidays"] = list(self.closed_holidays)
        out["excluded"] = list(self.excluded)
        out["public_seen"] = [dict(zip(("date", "name", "status", "calls", "usual_calls"), row,
                                       strict=True)) for row in self.public_seen]
        out["closures"] = [dict(zip(("date", "calls", "usual_calls"), row, strict=True))
                           for row in self.closures]
        return out

    @classmethod
    def from_report(cls, data: dict) -> Calendar:
        """Inverse of `report`."""
        return cls(zone=data["zone"], zone_source=data["zone_source"], country=data["country"],
                   country_source=data["country_source"],
                   open_holidays=tuple(data.get("open_holidays", ())),
                   recurring=tuple(data.get("recurring", ())),
                   closed_holidays=tuple(data.get("closed_holidays", ())),
                   public_seen=tuple(tuple(r.values()) for r in data.get("public_seen", ())),
                   closures=tuple(tuple(r.values()) for r in data.get("closures", ())),
                   excluded=tuple(data.get("excluded", ())))


@lru_cache(maxsize=64)
def _holiday_set(calendar: Calendar, first_year: int, last_year: int,
                 holidays_closed: bool | None) -> frozenset:
    days = set()
    if calendar.country:
        for day, name in public_holidays(calendar.country, first_year, last_year).items():
            if holidays_closed or name not in calendar.open_holidays:
                days.add(day)
    for md in calendar.recurring:
        month, day_ = (int(x) for x in md.split("-"))
        for year in range(first_year, last_year + 1):
            try:
                days.add(dt.date(year, month, day_))
            except ValueError:  # 29 February of a common year
                pass
    return frozenset(days)


def _holiday_breaks(dates, closed, public, open_weekday, weekday) -> list:
    """Closures in runs of days off around a public holiday with two or more of them.

    A year-end break (Japan's 29 December to 3 January), a works' summer shutdown around
    a holiday: seen once, it is expected again on the same dates, as a planner would.
    A run is consecutive days that are closures, public holidays or weekdays the line
    never opens; a single closure beside a holiday (a bridge day) moves with the
    weekdays, and is not carried.
    """
    off = [bool(c) or d in public or not open_weekday.get(w, False)
           for d, c, w in zip(dates, closed, weekday, strict=True)]
    out, run = [], []
    for d, c, o in zip([*dates, None], [*closed, False], [*off, False], strict=True):
        if o:
            run.append((d, c))
            continue
        shut = [day for day, was in run if was and day not in public]
        if len(shut) >= 2 and any(day in public for day, _ in run):
            out += shut
        run = []
    return out


def _num(x: float) -> float | None:
    return None if not np.isfinite(x) else round(float(x), 1)


def learn_calendar(calls: pd.Series, calendar: Calendar) -> tuple[Calendar, pd.Series]:
    """What the history says about closures and holidays, and the history to fit on.

    Parameters
    ----------
    calls : Series
        Calls per interval on a regular tz-aware index in the calendar's zone; NaN for
        intervals with no record.
    calendar : Calendar
        Zone and country resolved; nothing learned yet.

    Returns
    -------
    Calendar
        With the public holidays seen, closures, recurring closure dates and the holidays
        seen open.
    Series
        ``calls`` with one-off closures blanked (NaN: they say nothing about ordinary days).

    Examples
    --------
    >>> idx = pd.date_range("2023-11-01", "2025-01-31", freq="D", tz="UTC")
    >>> calls = pd.Series(np.where(idx.day_of_week < 5, 800.0, 0.0), index=idx)
    >>> calls[(idx.month == 12) & (idx.day == 25)] = 0.0
    >>> cal, _ = learn_calendar(calls, Calendar("UTC", "history", None, "none"))
    >>> cal.recurring, [c[0] for c in cal.closures]
    (('12-25',), ['2023-12-25', '2024-12-25'])
    """
    index = pd.DatetimeIndex(calls.index)
    daily = calls.groupby(local_dates(index)).sum(min_count=1)
    table = day_table(daily)
    dates = pd.DatetimeIndex(table.index).date
    weekday = pd.DatetimeIndex(table.index).day_of_week
    recorded = pd.Series(daily.notna().to_numpy()).groupby(weekday).mean()
    open_weekday = pd.Series(np.nan_to_num(table["usual_calls"].to_numpy()) > 0).groupby(
        weekday).any()
    public: Mapping[dt.date, str] = {}
    if calendar.country:
        public = public_holidays(calendar.country, dates[0].year, dates[-1].year)
    closed = table["closure"].to_numpy()
    calls_of, usual_of = table["calls"].to_numpy(float), table["usual_calls"].to_numpy(float)
    p_low = table["p_low"].to_numpy(float)
    closure_dates = [d for d, c in zip(dates, closed, strict=True) if c]
    # A year counts against a date only if the line would have opened on it: 24 December
    # on a Sunday of a line shut on Sundays says nothing about 24 December.
    would_open = [d for d, y, u in zip(dates, calls_of, usual_of, strict=True)
                  if np.isfinite(y) and np.isfinite(u) and u > 0]
    recurring = recurring_dates(closure_dates, would_open,
                                _holiday_breaks(dates, closed, public, open_weekday, weekday))
    # A date closed as a public holiday one year counts towards it (2 January, a substitute
    # holiday one year and closed the next), but public holidays are not listed again.
    private = {f"{d.month:02d}-{d.day:02d}" for d in closure_dates if d not in public}
    recurring = tuple(md for md in recurring if md in private)
    seen, status_of = [], {}
    for i, day in enumerate(dates):
        if day not in public:
            continue
        y, usual = calls_of[i], usual_of[i]
        if not np.isfinite(y):
            if recorded.get(weekday[i], 0.0) < 0.5 or not open_weekday.get(weekday[i], False):
                continue  # a day the line does not work anyway
            status = "no record"
        elif closed[i]:
            status = "closed" if y == 0 else "low"
        elif not (np.isfinite(usual) and usual > 0):
            continue
        else:
            status = "open" if p_low[i] >= CLOSURE_P else "reduced"
        seen.append((day.isoformat(), public[day], status, _num(y), _num(usual)))
        status_of[public[day]] = status
    excluded = [d for d in closure_dates
                if d not in public and f"{d.month:02d}-{d.day:02d}" not in recurring]
    learned = Calendar(
        zone=calendar.zone, zone_source=calendar.zone_source, country=calendar.country,
        country_source=calendar.country_source,
        open_holidays=tuple(sorted(n for n, s in status_of.items() if s == "open")),
        closed_holidays=tuple(sorted(n for n, s in status_of.items()
                                     if s in ("closed", "no record"))),
        recurring=recurring, public_seen=tuple(seen),
        closures=tuple((d.isoformat(), _num(calls_of[i]), _num(usual_of[i]))
                       for i, d in enumerate(dates) if closed[i]),
        excluded=tuple(d.isoformat() for d in excluded))
    prepared = calls.copy()
    on_date = pd.Series(index.date, index=calls.index)
    prepared[on_date.isin(set(excluded)).to_numpy()] = np.nan
    return learned, prepared
