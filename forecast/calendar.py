"""The calendar of a line, taken from its data: time zone, holiday country, closures.

* **Zone**: the one asked for; else the zone of a tz-aware history; else (naive
  timestamps) the documented default ``Europe/Rome``.
* **Country**: the one asked for; else the first country of the zone's row in the tz
  database's ``zone1970.tab``. ``UTC``, ``Etc/*``, fixed offsets and zones in no row
  get none (no public holidays).
* **Closures**: days far below the same weekday in the weeks around them (see
  `find_closures`). A closure on a date that was also closed in an earlier year (25
  December of a line with no country) becomes a holiday of every year.
* **Public holidays** the history shows open at normal volume stay open in future
  years (matched by name); the others are the holiday day type, whose level the
  history sets (closed if every one it shows was closed). A holiday with no record at
  all tells nothing: a gap in the log looks the same as a closed day.
"""

from __future__ import annotations

import datetime as dt
import importlib.resources
import zoneinfo
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

import holidays as holidays_lib
import numpy as np
import pandas as pd
from scipy import stats

DEFAULT_TZ = "Europe/Rome"
AUTO = "auto"
CLOSURE_RATIO = 0.5  # a closure has under half the usual calls of its weekday ...
CLOSURE_P = 1e-3  # ... and fewer than day-to-day variation makes plausible
CLOSURE_WEEKS = 4  # same weekdays this many weeks before and after are the reference


@lru_cache(maxsize=1)
def zone_countries() -> Mapping[str, tuple[str, ...]]:
    """Country codes of each zone in the tz database's ``zone1970.tab``.

    Read from the ``tzdata`` package, or from the system zoneinfo directory.

    Examples
    --------
    >>> zone_countries()["Europe/Rome"]
    ('IT', 'SM', 'VA')
    """
    text = None
    try:
        text = importlib.resources.files("tzdata").joinpath("zoneinfo", "zone1970.tab").read_text(
            encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        for folder in zoneinfo.TZPATH:
            path = Path(folder) / "zone1970.tab"
            if path.exists():
                text = path.read_text(encoding="utf-8")
                break
    if text is None:
        raise ValueError("the tz database's zone1970.tab was not found: install the 'tzdata' "
                         "package or give the country explicitly")
    out = {}
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        codes, _, zone = line.split("\t")[:3]
        out[zone] = tuple(codes.split(","))
    return out


def country_of_zone(zone: str) -> str | None:
    """First country of ``zone``'s row in ``zone1970.tab``; ``None`` for UTC, Etc/* and others.

    Examples
    --------
    >>> country_of_zone("America/New_York"), country_of_zone("Europe/Zurich")
    ('US', 'CH')
    >>> country_of_zone("UTC") is None, country_of_zone("Etc/GMT-2") is None
    (True, True)
    """
    codes = zone_countries().get(zone)
    return codes[0] if codes else None


def zone_name(tz) -> str:
    """The name of a time zone object (zoneinfo, pytz, dateutil or a fixed offset).

    Fixed offsets become ``"UTC"`` or ``"+HH:MM"`` (pandas reads both).

    Examples
    --------
    >>> zone_name(pd.Timestamp("2024-01-01", tz="Asia/Tokyo").tz)
    'Asia/Tokyo'
    >>> zone_name(dt.timezone(dt.timedelta(hours=-3))), zone_name(dt.timezone.utc)
    ('-03:00', 'UTC')
    """
    for attr in ("key", "zone"):  # zoneinfo, pytz
        name = getattr(tz, attr, None)
        if isinstance(name, str):
            return name
    if isinstance(tz, dt.timezone):
        offset = tz.utcoffset(None)
        if not offset:
            return "UTC"
        minutes = int(offset.total_seconds() // 60)
        sign = "+" if minutes >= 0 else "-"
        return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    name = str(tz)
    return name.split("zoneinfo/")[-1].rstrip("')") if "zoneinfo/" in name else name


def check_zone(zone: str) -> str:
    """Return ``zone`` if pandas knows it, else raise a ValueError naming it."""
    try:
        pd.Timestamp("2000-01-01", tz=zone)
    except Exception:  # pandas raises several types for unknown zones
        raise ValueError(f"tz must be an IANA time zone such as 'Europe/Rome' or 'auto', "
                         f"got {zone!r}") from None
    return zone


def resolve_zone(requested: str | None, index: pd.DatetimeIndex) -> tuple[str, str]:
    """The zone of the calendar and where it came from.

    Examples
    --------
    >>> resolve_zone("auto", pd.DatetimeIndex(["2024-01-01 08:00"]))
    ('Europe/Rome', 'default (naive timestamps)')
    >>> resolve_zone(None, pd.DatetimeIndex(["2024-01-01 08:00"], tz="America/Chicago"))
    ('America/Chicago', 'history')
    >>> resolve_zone("Asia/Tokyo", pd.DatetimeIndex(["2024-01-01 08:00"], tz="UTC"))
    ('Asia/Tokyo', 'given')
    """
    if requested not in (None, AUTO):
        return check_zone(str(requested)), "given"
    if index.tz is not None:
        return zone_name(index.tz), "history"
    return DEFAULT_TZ, "default (naive timestamps)"


def resolve_country(requested: str | None, zone: str) -> tuple[str | None, str]:
    """The holiday country and where it came from (``None``: no public holidays).

    Examples
    --------
    >>> resolve_country("auto", "Europe/Rome")
    ('IT', 'time zone Europe/Rome')
    >>> resolve_country("auto", "UTC")
    (None, 'none: UTC has no country in the tz database')
    >>> resolve_country(None, "Europe/Rome"), resolve_country("us", "UTC")
    ((None, 'none (no public holidays)'), ('US', 'given'))
    """
    if requested is None or str(requested).lower() == "none":
        return None, "none (no public holidays)"
    if requested == AUTO:
        code = country_of_zone(zone)
        if code is None:
            return None, f"none: {zone} has no country in the tz database"
        return code, f"time zone {zone}"
    code = str(requested).strip().upper()
    public_holidays(code, 2000, 2000)  # raises for unknown codes
    return code, "given"


@lru_cache(maxsize=64)
def public_holidays(country: str, first_year: int, last_year: int) -> Mapping[dt.date, str]:
    """Public holidays of ``country`` by date (cached: the app predicts on every edit).

    Examples
    --------
    >>> public_holidays("IT", 2009, 2009)[dt.date(2009, 4, 13)]
    'Easter Monday'
    """
    try:
        days = holidays_lib.country_holidays(country, years=range(first_year, last_year + 1))
    except NotImplementedError:
        raise ValueError(f"country {country!r} is not known to the holidays package (use a "
                         "code such as 'IT', 'US', or 'none')") from None
    return dict(days.items())


def zone_from_offsets(utc: pd.DatetimeIndex, offsets_s: np.ndarray) -> tuple[str, str]:
    """A zone for times that carry UTC offsets but no zone name.

    The default zone if it gives these offsets at these times; a fixed offset if they
    never change; else the zones of one country that give them. When zones of several
    countries match (Toronto and New York) a ValueError asks for the zone.

    Examples
    --------
    >>> t = pd.DatetimeIndex(["2024-01-10 07:00", "2024-07-10 06:00"], tz="UTC")
    >>> zone_from_offsets(t, np.array([3600, 7200]))
    ('Europe/Rome', 'default zone (matches the UTC offsets of the times)')
    >>> zone_from_offsets(t, np.array([0, 0]))
    ('UTC', 'fixed UTC offset of the times')
    """
    frame = pd.DataFrame({"t": utc, "o": np.asarray(offsets_s, float), "d": utc.normalize()})
    # One time per day and offset is enough to tell zones apart over the history.
    frame = frame.drop_duplicates(["d", "o"])
    t = pd.DatetimeIndex(frame["t"])
    want = frame["o"].to_numpy()

    def matches(zone: str) -> bool:
        local = t.tz_convert(zone).tz_localize(None)
        return bool(np.allclose((local - t.tz_localize(None)).total_seconds(), want))

    if matches(DEFAULT_TZ):
        return DEFAULT_TZ, "default zone (matches the UTC offsets of the times)"
    if np.all(want == want[0]):
        return zone_name(dt.timezone(dt.timedelta(seconds=float(want[0])))), \
            "fixed UTC offset of the times"
    # Research stations share their country's rules but are no one's office.
    candidates = sorted((z for z in zone_countries() if matches(z)),
                        key=lambda z: z.startswith("Antarctica/"))
    countries = {zone_countries()[z][0] for z in candidates}
    if len(countries) == 1:
        return candidates[0], "the UTC offsets of the times"
    listed = ", ".join(candidates[:6]) or "none"
    raise ValueError(f"tz: the times carry UTC offsets but no zone name, and zones of several "
                     f"countries give these offsets ({listed}); give the zone (--tz)")


def day_table(daily: pd.Series, *, weeks: int = CLOSURE_WEEKS, ratio: float = CLOSURE_RATIO,
              p_value: float = CLOSURE_P) -> pd.DataFrame:
    """Each day against the same weekday in the weeks around it, and whether it was closed.

    A day is a *closure* when, against the median of the same weekday over ``weeks``
    weeks before it and, separately, over ``weeks`` weeks after it (a side counts with
    two or more recorded days; at the ends of the history only one side exists), it has
    fewer than ``ratio`` times that median *and* so few calls that a negative binomial
    with that mean and the day-to-day spread of the line (a robust relative sd of days
    around their medians) puts the count below ``p_value``. Both sides must agree, so
    the days before a campaign (low against the campaign weeks after them, normal
    against the weeks before) are not closures; the count test keeps a quiet day of a
    small line (3 calls where 8 are usual) from counting as one.

    Parameters
    ----------
    daily : Series
        Calls per day on a DatetimeIndex of days; NaN for days with no record.
    weeks, ratio, p_value
        The reference window and the two thresholds above.

    Returns
    -------
    DataFrame
        Indexed by day: ``calls``, ``usual_calls`` (median of the same weekday on the side,
        before or after, that the day is closer to; NaN when too few were recorded),
        ``p_low`` (probability of so few calls on a usual day) and ``closure``.
    """
    y = daily.to_numpy(dtype=float)
    days = pd.DatetimeIndex(daily.index).normalize()
    # Weeks are counted on wall-clock dates: 7 x 24 h from a day start across a clock
    # change is not a day start.
    wall = days.tz_localize(None) if days.tz is not None else days
    where = pd.Series(np.arange(len(y)), index=wall)
    sides = []
    for sign in (-1, 1):
        refs = np.full((len(y), weeks), np.nan)
        for k in range(1, weeks + 1):
            at = where.reindex(wall + pd.Timedelta(days=sign * 7 * k)).to_numpy()
            ok = np.isfinite(at)
            refs[ok, k - 1] = y[at[ok].astype(int)]
        enough = np.isfinite(refs).sum(axis=1) >= 2
        med = np.full(len(y), np.nan)
        if enough.any():
            med[enough] = np.nanmedian(refs[enough], axis=1)
        sides.append(med)
    # The usual volume is the side the day is closer to: across a level shift (a campaign
    # starting) the other side describes another regime.
    with np.errstate(divide="ignore", invalid="ignore"):
        gaps = [np.nan_to_num(np.abs(np.log(y / med)), nan=np.inf) for med in sides]
    usual = np.where(np.isfinite(sides[0]) & (gaps[0] <= gaps[1]), sides[0], sides[1])
    usual = np.where(np.isnan(usual), sides[0], usual)
    seen = np.isfinite(usual)
    spread = np.minimum(*gaps)
    spread = spread[np.isfinite(spread)]
    cv = max(1.4826 * float(np.median(spread)), 0.02) if spread.size else 0.1
    shape = 1.0 / cv ** 2

    def p_below(mean):
        return stats.nbinom.cdf(np.floor(np.nan_to_num(y)), shape,
                                shape / (shape + np.nan_to_num(mean)))

    closure = np.isfinite(y) & seen
    for med in sides:
        have = np.isfinite(med) & (med > 0)
        low = have & (y < ratio * np.nan_to_num(med)) & (p_below(med) < p_value)
        closure &= ~np.isfinite(med) | low
    return pd.DataFrame({"calls": y, "usual_calls": usual,
                         "p_low": np.where(seen, p_below(usual), np.nan), "closure": closure},
                        index=days)


def find_closures(daily: pd.Series, **thresholds) -> pd.DataFrame:
    """Days far below the same weekday in the weeks before and after them (see `day_table`).

    Returns
    -------
    DataFrame
        One row per closure, indexed by date: ``calls`` and ``usual_calls``.

    Examples
    --------
    >>> days = pd.date_range("2024-01-01", periods=56, freq="D")
    >>> calls = pd.Series(1000.0, index=days)
    >>> calls[days.day_of_week >= 5] = 0.0          # closed at weekends
    >>> calls["2024-01-25"] = 0.0                    # a Thursday closure
    >>> calls["2024-02-08"] = 870.0                  # a slow Thursday
    >>> find_closures(calls)
                calls  usual_calls
    2024-01-25    0.0       1000.0
    """
    table = day_table(daily, **thresholds)
    out = table.loc[table["closure"], ["calls", "usual_calls"]]
    out.index = pd.Index(pd.DatetimeIndex(out.index).date)
    return out


def recurring_dates(days) -> tuple[str, ...]:
    """``"MM-DD"`` of the dates among ``days`` that occur in more than one year.

    Examples
    --------
    >>> recurring_dates([dt.date(2022, 12, 25), dt.date(2023, 12, 25), dt.date(2023, 3, 1)])
    ('12-25',)
    """
    years: dict[str, set] = {}
    for d in days:
        years.setdefault(f"{d.month:02d}-{d.day:02d}", set()).add(d.year)
    return tuple(sorted(md for md, ys in years.items() if len(ys) > 1))


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

    def report(self) -> dict:
        """JSON-ready description (also the saved form, see `from_report`)."""
        out = asdict(self)
        out["open_holidays"] = list(self.open_holidays)
        out["recurring"] = list(self.recurring)
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
    days = index.normalize()
    daily = calls.groupby(days).sum(min_count=1)
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
    recurring = recurring_dates([d for d in closure_dates if d not in public])
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
        recurring=recurring, public_seen=tuple(seen),
        closures=tuple((d.isoformat(), _num(calls_of[i]), _num(usual_of[i]))
                       for i, d in enumerate(dates) if closed[i]),
        excluded=tuple(d.isoformat() for d in excluded))
    prepared = calls.copy()
    local_dates = pd.Series(index.date, index=calls.index)
    prepared[local_dates.isin(set(excluded)).to_numpy()] = np.nan
    return learned, prepared
