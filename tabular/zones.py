"""Time zones of planners' files: the tz database, offsets, and how dates are written.

* **Country of a zone**: the first country of the zone's row in the tz database's
  ``zone1970.tab``. ``UTC``, ``Etc/*`` and fixed offsets have none.
* **Zone of offsets**: times that carry UTC offsets but no zone name get a zone that
  gives those offsets (`zone_from_offsets`).
* **Day or month first**: numeric dates such as ``04/05/2009`` are read day first (4 May)
  unless the zone's country writes the month first (`MONTH_FIRST_COUNTRIES`: the United
  States and its territories, the Philippines, and the Pacific states that date the US
  way). Canada writes both; its zones read day first, like everywhere else.
"""

from __future__ import annotations

import datetime as dt
import importlib.resources
import zoneinfo
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

DEFAULT_TZ = "Europe/Rome"

#: Countries whose numeric dates put the month first (04/05/2009 is 5 April).
MONTH_FIRST_COUNTRIES = frozenset({"US", "AS", "GU", "MP", "PR", "UM", "VI",  # US and territories
                                   "PH", "FM", "MH", "PW"})


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


def dayfirst_of_zone(zone: str | None) -> bool:
    """Whether numeric dates of a line in ``zone`` are read day first.

    True unless the zone's country writes the month first (`MONTH_FIRST_COUNTRIES`);
    naive times (``None``), UTC and fixed offsets read day first.

    Examples
    --------
    >>> dayfirst_of_zone("Europe/Rome"), dayfirst_of_zone("America/Chicago")
    (True, False)
    >>> dayfirst_of_zone("Asia/Manila"), dayfirst_of_zone("America/Toronto"), dayfirst_of_zone(None)
    (False, True, True)
    """
    if zone is None:
        return True
    return country_of_zone(str(zone)) not in MONTH_FIRST_COUNTRIES


def resolve_dayfirst(dayfirst: bool | None, zone: str | None) -> bool:
    """``dayfirst`` as given, or (``None``) as the zone's country writes dates.

    Examples
    --------
    >>> resolve_dayfirst(None, "America/New_York"), resolve_dayfirst(True, "America/New_York")
    (False, True)
    """
    if dayfirst is None:
        return dayfirst_of_zone(zone)
    if not isinstance(dayfirst, (bool, np.bool_)):
        raise ValueError(f"dayfirst must be True, False or None (follow the time zone), "
                         f"got {dayfirst!r}")
    return bool(dayfirst)


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
    """Return ``zone`` if pandas knows it, else raise a ValueError naming it.

    Examples
    --------
    >>> check_zone("Europe/Rome")
    'Europe/Rome'
    """
    try:
        pd.Timestamp("2000-01-01", tz=zone)
    except Exception:  # pandas raises several types for unknown zones
        raise ValueError(f"tz must be an IANA time zone such as 'Europe/Rome' or 'auto', "
                         f"got {zone!r}") from None
    return zone


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
