"""Where a line is: its time zone and the country of its public holidays.

* **Zone**: the one asked for; else the zone of a tz-aware history; else (naive
  timestamps) the documented default ``Europe/Rome``. Times that carry UTC offsets but
  no zone name get a zone that gives those offsets (`zone_from_offsets`).
* **Country**: the one asked for; else the first country of the zone's row in the tz
  database's ``zone1970.tab``. ``UTC``, ``Etc/*``, fixed offsets and zones in no row
  get none (no public holidays).
"""

from __future__ import annotations

import datetime as dt
import importlib.resources
import zoneinfo
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

import holidays as holidays_lib
import numpy as np
import pandas as pd

DEFAULT_TZ = "Europe/Rome"
AUTO = "auto"


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
