"""The permanent team as people: who works which hours on which weekdays, and what they cost.

A `PermanentTeam` is a set of `PermanentShift` groups (agents with the same start, length,
weekdays and breaks), an hourly cost and the team's holidays. It answers two questions of
a planning index: how many agents are on the phones in each interval (`on_duty`) and what
the team is paid over the days of the index (`paid_hours`, `cost`).
`staffing.shifts.plan_shifts` takes one as ``permanent`` and plans temps on top of it.

A shift belongs to the day it starts: it may run past midnight, and it is paid, or not
worked at all on a holiday, as a whole.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

_NS_PER_MIN = 60_000_000_000


def _minutes(hhmm: str, what: str) -> int:
    """Minutes after midnight of an ``"HH:MM"`` time."""
    try:
        t = dt.time.fromisoformat(hhmm)
    except (TypeError, ValueError):
        raise ValueError(f"{what} must be a time such as '08:30', got {hhmm!r}") from None
    return t.hour * 60 + t.minute


def _as_date(value, what: str) -> dt.date:
    """A calendar date from a date, a datetime or Timestamp (its day) or an ISO string."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f"{what} must be a date such as '2009-04-13', got {value!r}")


def _dates(values, what: str) -> tuple[dt.date, ...]:
    """Sorted distinct dates (accepts any iterable of dates, e.g. a ``holidays`` calendar)."""
    if isinstance(values, (str, dt.date)):
        raise ValueError(f"{what} must be a list of dates, got {values!r}")
    return tuple(sorted({_as_date(d, what) for d in values}))


def _weekdays(values, what: str) -> tuple[int, ...]:
    """Sorted distinct weekdays, Monday = 0, refusing anything outside 0..6."""
    if isinstance(values, (str, int)):
        raise ValueError(f"{what} must be a list of weekdays 0..6 (Monday = 0), got {values!r}")
    out = set()
    for d in values:
        if isinstance(d, bool) or not isinstance(d, (int, np.integer)) or not 0 <= d <= 6:
            raise ValueError(f"{what} must hold weekdays 0..6 (Monday = 0), got {d!r}")
        out.add(int(d))
    if not out:
        raise ValueError(f"{what} must list at least one weekday 0..6 (Monday = 0), got {values!r}")
    return tuple(sorted(out))


def _cost(value, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
            or not (np.isfinite(value) and value >= 0):
        raise ValueError(f"{what} must be a number >= 0, got {value!r}")
    return float(value)


@dataclass(frozen=True)
class PermanentShift:
    """Agents of the permanent team who work the same hours on the same weekdays.

    Attributes
    ----------
    agents : int
        Agents working this shift, a whole number >= 0.
    start : str
        Start time, ``"HH:MM"`` local time.
    length_h : float
        Paid length in hours, more than 0 and at most 24; a shift may run past midnight.
    days : tuple of int
        Weekdays worked, Monday = 0.
    breaks : tuple of (float, float)
        ``(offset_h, minutes)``: paid breaks off the phones, counted from the shift start
        (as in `staffing.shifts.ShiftTemplate`).

    Examples
    --------
    >>> s = PermanentShift(3, "09:00", 4.0, days=(5,), breaks=())
    >>> s.agents, s.days, s.on_phones_h
    (3, (5,), 4.0)
    >>> PermanentShift(2).on_phones_h  # 08:00-16:00 Monday to Friday, 30 min off at 11:45
    7.5
    """

    agents: int
    start: str = "08:00"
    length_h: float = 8.0
    days: tuple = (0, 1, 2, 3, 4)
    breaks: tuple = ((3.75, 30),)

    def __post_init__(self):
        a = self.agents
        if isinstance(a, bool) or not isinstance(a, (int, float, np.integer, np.floating)) \
                or not np.isfinite(a) or a < 0 or int(a) != a:
            raise ValueError(f"agents must be a whole number >= 0, got {a!r}")
        object.__setattr__(self, "agents", int(a))
        _minutes(self.start, "start")
        length = self.length_h
        if isinstance(length, bool) or not isinstance(length, (int, float, np.integer, np.floating)) \
                or not (0 < length <= 24):
            raise ValueError(f"length_h must be > 0 and at most 24 hours, got {length!r}")
        object.__setattr__(self, "length_h", float(length))
        object.__setattr__(self, "days", _weekdays(self.days, "days"))
        breaks = tuple((float(off), float(mins)) for off, mins in self.breaks)
        for off, mins in breaks:
            if not (0 <= off and mins > 0 and off * 60 + mins <= self.length_h * 60):
                raise ValueError(f"breaks: ({off:g} h, {mins:g} min) must start at an offset "
                                 f">= 0 and end inside the {self.length_h:g} h shift")
        object.__setattr__(self, "breaks", tuple(sorted(breaks)))

    @property
    def on_phones_h(self) -> float:
        """Hours of the shift off break."""
        return self.length_h - sum(mins for _, mins in self.breaks) / 60

    def _on_phones(self) -> list[tuple[float, float]]:
        """``(from, to)`` minutes after the start spent on the phones."""
        pieces, at = [], 0.0
        for off, mins in self.breaks:
            if off * 60 > at:
                pieces.append((at, off * 60))
            at = max(at, off * 60 + mins)
        if at < self.length_h * 60:
            pieces.append((at, self.length_h * 60))
        return pieces


@dataclass(frozen=True)
class PermanentTeam:
    """The permanent team: its shifts, its hourly cost and the days it is closed.

    Attributes
    ----------
    shifts : tuple of PermanentShift
    hourly_cost : float
        Cost of a paid hour (breaks are paid), in the currency of the temps' terms.
    holidays : tuple of datetime.date
        Days nobody of the team works (any iterable of dates, e.g. a ``holidays``
        calendar, is accepted).

    Examples
    --------
    Four agents 08:00-16:00 on weekdays, with a 30-minute break from 11:45; on an hourly
    index the break takes a quarter of the 11:00 and of the 12:00 hour:

    >>> team = PermanentTeam.simple(4, "08:00", "16:00", hourly_cost=20.0)
    >>> monday = pd.date_range("2024-04-08 07:00", "2024-04-08 17:00", freq="h",
    ...                        tz="Europe/Rome", inclusive="left")
    >>> team.on_duty(monday).tolist()
    [0.0, 4.0, 4.0, 4.0, 3.0, 3.0, 4.0, 4.0, 4.0, 0.0]
    >>> team.paid_hours(monday), team.cost(monday)
    (32.0, 640.0)

    Nobody works on a holiday or on a day outside the shift's weekdays (a Saturday):

    >>> closed = PermanentTeam(team.shifts, 20.0, holidays=(dt.date(2024, 4, 8),))
    >>> closed.on_duty(monday).sum(), closed.cost(monday)
    (np.float64(0.0), 0.0)
    >>> team.paid_hours(monday + pd.Timedelta(days=5))
    0.0
    """

    shifts: tuple = ()
    hourly_cost: float = 0.0
    holidays: tuple = ()

    def __post_init__(self):
        if isinstance(self.shifts, PermanentShift):
            raise ValueError("shifts must be a tuple of PermanentShift, got a single "
                             "PermanentShift (wrap it in a tuple)")
        shifts = tuple(self.shifts)
        for s in shifts:
            if not isinstance(s, PermanentShift):
                raise ValueError(f"shifts must hold PermanentShift objects, got {s!r}")
        object.__setattr__(self, "shifts", shifts)
        object.__setattr__(self, "hourly_cost", _cost(self.hourly_cost, "hourly_cost"))
        object.__setattr__(self, "holidays", _dates(self.holidays, "holidays"))

    @classmethod
    def simple(cls, agents: int, start: str = "08:00", end: str = "16:00",
               days: tuple = (0, 1, 2, 3, 4), hourly_cost: float = 0.0) -> PermanentTeam:
        """A team whose agents all work ``start``-``end`` on ``days``.

        A shift longer than 4 hours gets one 30-minute break in its middle, as
        `staffing.shifts.standard_templates` gives the temps; ``end`` before ``start``
        means the shift runs past midnight.

        Examples
        --------
        >>> PermanentTeam.simple(5, "14:00", "18:00", days=(5,)).shifts
        (PermanentShift(agents=5, start='14:00', length_h=4.0, days=(5,), breaks=()),)
        >>> PermanentTeam.simple(1, "22:00", "06:00").shifts[0].breaks
        ((3.75, 30.0),)
        """
        minutes = (_minutes(end, "end") - _minutes(start, "start")) % (24 * 60)
        if minutes == 0:
            raise ValueError(f"end must differ from start, got start {start!r} and end {end!r}")
        length_h = minutes / 60
        breaks = ((length_h / 2 - 0.25, 30),) if length_h > 4 else ()
        return cls((PermanentShift(agents, start, length_h, days, breaks),),
                   hourly_cost=hourly_cost)

    @property
    def agents(self) -> int:
        """Agents in the team (each works one of its shifts)."""
        return sum(s.agents for s in self.shifts)

    def _works(self, day: dt.date, shift: PermanentShift) -> bool:
        return day.weekday() in shift.days and day not in self.holidays

    def on_duty(self, index: pd.DatetimeIndex) -> pd.Series:
        """Agents on the phones (on duty and not on a break) in each interval of ``index``.

        Each timestamp starts an interval as long as the shortest step of the index (the
        index may skip the closed hours). An interval partly on duty counts the share of
        it the agents work, so a break that does not line up with the grid gives a
        fraction of an agent.
        """
        idx = _index(index)
        starts = idx.as_unit("ns").asi8
        step = _step_ns(idx)
        out = np.zeros(len(idx))
        local_days = sorted(set(idx.date))
        # A shift that starts the evening before the first day still covers its night.
        first = local_days[0] - dt.timedelta(days=1)
        for k in range((local_days[-1] - first).days + 1):
            day = first + dt.timedelta(days=k)
            for shift in self.shifts:
                if not shift.agents or not self._works(day, shift):
                    continue
                t0 = _wall_clock_ns(day, _minutes(shift.start, "start"), idx.tz)
                for a, b in shift._on_phones():
                    lo_ns, hi_ns = t0 + round(a * _NS_PER_MIN), t0 + round(b * _NS_PER_MIN)
                    lo = np.searchsorted(starts, lo_ns - step, side="right")
                    hi = np.searchsorted(starts, hi_ns, side="left")
                    s = starts[lo:hi]
                    overlap = np.minimum(s + step, hi_ns) - np.maximum(s, lo_ns)
                    out[lo:hi] += shift.agents * overlap / step
        return pd.Series(out, index=index, name="on_duty")

    def paid_hours(self, index: pd.DatetimeIndex) -> float:
        """Hours the team is paid over the days of ``index``.

        On each working day every agent of a shift is paid its whole length, breaks included.
        """
        idx = _index(index)
        return float(sum(s.agents * s.length_h for day in set(idx.date) for s in self.shifts
                         if self._works(day, s)))

    def cost(self, index: pd.DatetimeIndex) -> float:
        """Cost of the team over the days of ``index``: paid hours times ``hourly_cost``."""
        return self.paid_hours(index) * self.hourly_cost


def _index(index) -> pd.DatetimeIndex:
    if not isinstance(index, pd.DatetimeIndex):
        raise ValueError(f"index must be a pandas DatetimeIndex, got {type(index).__name__}")
    if len(index) == 0:
        raise ValueError("index must hold at least one timestamp, got an empty index")
    if not index.is_monotonic_increasing or not index.is_unique:
        raise ValueError("index must be sorted and without repeated timestamps")
    return index


def _step_ns(idx: pd.DatetimeIndex) -> int:
    """Length of an interval: the index's frequency, else its shortest step."""
    if len(idx) >= 2:
        return int(np.diff(idx.as_unit("ns").asi8).min())
    if idx.freq is not None:
        return int(((idx[0] + idx.freq) - idx[0]).value)
    raise ValueError("index must have at least two timestamps or a freq, to tell the "
                     "interval length; got one timestamp without freq")


def _wall_clock_ns(day: dt.date, minute: int, tz) -> int:
    """Instant (ns, UTC when ``tz`` is set) of a local wall-clock time.

    On the spring-forward night a missing time moves to the first valid one; on the
    autumn night a repeated time is taken at its first occurrence.
    """
    ts = pd.Timestamp(dt.datetime.combine(day, dt.time())) + pd.Timedelta(minutes=minute)
    if tz is not None:
        ts = ts.tz_localize(tz, ambiguous=True, nonexistent="shift_forward")
    return int(ts.as_unit("ns").value)
