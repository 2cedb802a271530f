"""Where a line is: its time zone and the country of its public holidays.

* **Zone**: the one asked for; else the zone of a tz-aware history; else (naive
  timestamps) the documented default ``Europe/Rome``. Times that carry UTC offsets but
  no zone name get a zone that gives those offsets (`zone_from_offsets`).
* **Country**: the one asked for; else the first country of the zone's row in the tz
  database's ``zone1970.tab`` (for times with offsets but no zone name, the fit reads
  it from the history's holidays: `forecast.holiday_country`). ``UTC``, ``Etc/*``, fixed
  offsets and zones in no row get none (no public holidays).

The tz database pieces (`zone_countries`, `zone_from_offsets`, ...) live in
`tabular.zones`, shared with the file readers, and are importable from here too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import lru_cache

import holidays as holidays_lib
import pandas as pd

from tabular.zones import (
    DEFAULT_TZ,
    check_zone,
    country_of_zone,
    zone_countries,
    zone_from_offsets,
    zone_name,
)

__all__ = ["AUTO", "DEFAULT_TZ", "check_zone", "country_of_zone", "public_holidays",
           "resolve_country", "resolve_zone", "zone_countries", "zone_from_offsets", "zone_name"]

AUTO = "auto"


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


@lru_cache(maxsize=512)  # a country's regions are tried at each fit
def public_holidays(country: str, first_year: int, last_year: int) -> Mapping[dt.date, str]:
    """Public holidays of ``country`` by date (cached: the app predicts on every edit).

    ``country`` is an ISO 3166 code, or a country and one of its subdivisions as the
    holidays package names them (``"AU-NSW"``, ``"ES-MD"``): the nation's holidays and the
    region's.

    Examples
    --------
    >>> public_holidays("IT", 2009, 2009)[dt.date(2009, 4, 13)]
    'Easter Monday'
    >>> public_holidays("AU-NSW", 2023, 2023)[dt.date(2023, 10, 2)]
    'Labor Day'
    """
    code, _, subdiv = country.partition("-")
    try:
        days = holidays_lib.country_holidays(code, subdiv=subdiv or None,
                                             years=range(first_year, last_year + 1))
    except NotImplementedError:
        raise ValueError(f"country {country!r} is not known to the holidays package (use a "
                         "code such as 'IT', 'US', 'AU-NSW', or 'none')") from None
    return dict(days.items())


def subdivisions(country: str) -> tuple[str, ...]:
    """The subdivisions the holidays package knows for ``country`` (``"AU"``: ``"NSW"``...).

    >>> subdivisions("AU")[:3], subdivisions("JP")
    (('ACT', 'NSW', 'NT'), ())
    """
    try:
        cls = holidays_lib.country_holidays(country.partition("-")[0]).__class__
    except NotImplementedError:
        return ()
    return tuple(getattr(cls, "subdivisions", ()))
