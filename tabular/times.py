"""Timestamps of planners' files: parsed day or month first, rows named when unreadable.

Times with UTC offsets (``+02:00``, as picco writes them) are converted to the line's zone;
naive times are wall-clock times for the caller to localise. Numeric dates are read in the
convention asked for, or (``dayfirst=None``) the one of the zone's country
(`tabular.zones.dayfirst_of_zone`): ``04/05/2009`` is 4 May in ``Europe/Rome``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .dates import NOT_A_DATE, numeric_dates_to_iso
from .zones import DEFAULT_TZ, resolve_dayfirst, zone_from_offsets

_HAS_OFFSET = r"(?:[+-]\d\d:?\d\d|Z)$"
_OFFSET = r"([+-])(\d\d):?(\d\d)$"
# Only text with a month or weekday name and a year goes to the lenient parser: given bare
# numbers it guesses (20090405 read day first is 4 May), and without a year it takes this one.
_NAMED_DATE = r"^(?!\d{4}).*[A-Za-z]{3}.*\d{4}|^(?!\d{4})\D*\d{4}\D*[A-Za-z]{3}"


def convention(dayfirst: bool) -> str:
    """How numeric dates are written, in words with an example.

    Examples
    --------
    >>> convention(True), convention(False)
    ('day first (20/04/2009)', 'month first (04/20/2009)')
    """
    return "day first (20/04/2009)" if dayfirst else "month first (04/20/2009)"


def option_of(dayfirst: bool) -> str:
    """The command-line option and library argument that choose a convention."""
    return "--dayfirst (dayfirst=True)" if dayfirst else "--monthfirst (dayfirst=False)"


def parse_times(text: pd.Series, tz: str, dayfirst: bool | None = None) -> pd.Series:
    """Parse timestamps; ones with UTC offsets (``+02:00``, as written by picco) go to ``tz``.

    Numeric dates are read day first (``04/05/2009 20:30`` is 4 May) or month first as
    ``dayfirst`` says (``None``: as the zone's country writes them), ISO dates as ISO (see
    `tabular.dates.numeric_dates_to_iso`). Text without a year (``20:30``, ``04/05``) is
    not a time. Unreadable entries become NaT for the caller to report.

    Examples
    --------
    >>> parse_times(pd.Series(["04/05/2009 20:30", "2009-05-04 21:00"]), "Europe/Rome").tolist()
    [Timestamp('2009-05-04 20:30:00'), Timestamp('2009-05-04 21:00:00')]
    >>> parse_times(pd.Series(["04/05/2009 20:30"]), "America/New_York").tolist()
    [Timestamp('2009-04-05 20:30:00')]
    """
    first = resolve_dayfirst(dayfirst, tz)
    text = numeric_dates_to_iso(text, first)
    offset = text.str.contains(_HAS_OFFSET) & ~text.str.startswith(NOT_A_DATE)
    if len(text) and offset.all():
        return _to_datetime(text, True, first).dt.tz_convert(tz)
    if not offset.any():
        return _to_datetime(text, False, first)
    # A few times with offsets among naive ones: read those as wall clock in ``tz`` too.
    out = _to_datetime(text.where(~offset, ""), False, first)
    out[offset] = _to_datetime(text[offset], True, first).dt.tz_convert(tz).dt.tz_localize(None)
    return out


def _to_datetime(text: pd.Series, utc: bool, dayfirst: bool) -> pd.Series:
    # ISO text (picco's own, and every numeric date once rewritten) parses fast; only the
    # rest (month names) goes through the slow element-by-element "mixed" parser.
    try:
        out = pd.to_datetime(text, errors="coerce", format="ISO8601", utc=utc)
    except (ValueError, TypeError, OverflowError):  # naive and offset times mixed
        out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns, UTC]" if utc
                        else "datetime64[ns]")
    rest = (out.isna() & (text != "") & ~text.str.startswith(NOT_A_DATE)
            & text.str.contains(_NAMED_DATE)).to_numpy()
    if rest.any():
        parsed = None
        try:
            parsed = pd.to_datetime(text[rest], errors="coerce", format="mixed", utc=utc,
                                    dayfirst=dayfirst)
        except (ValueError, TypeError, OverflowError):  # aware and naive text mixed
            pass
        if parsed is None or not pd.api.types.is_datetime64_any_dtype(parsed):
            parsed = pd.to_datetime(pd.Series([_one(t, utc, dayfirst) for t in text[rest]],
                                              index=text.index[rest], dtype=object), utc=utc)
        if out.dt.tz is None and parsed.dt.tz is not None:
            parsed = parsed.dt.tz_localize(None)  # a wall clock among naive times
        out = out.astype(parsed.dtype) if out.isna().all() else out
        out[rest] = parsed
    return out


def _one(text: str, utc: bool, dayfirst: bool) -> pd.Timestamp | None:
    try:
        value = pd.Timestamp(pd.to_datetime(text, utc=utc, dayfirst=dayfirst))
    except (ValueError, TypeError, OverflowError):
        return None
    if pd.isna(value):
        return None
    return value.tz_localize(None) if value.tz is not None and not utc else value


def zone_of_times(text: pd.Series, dayfirst: bool | None = None) -> tuple[str, str]:
    """The zone to read these timestamps in, and why (see `tabular.zones.zone_from_offsets`).

    Times without UTC offsets: the default zone ``Europe/Rome``. With ``dayfirst=None`` a
    numeric date is read the way that reads every row (offsets do not depend on it).

    Examples
    --------
    >>> zone_of_times(pd.Series(["2024-01-10 08:00", "2024-01-10 08:30"]))
    ('Europe/Rome', 'default (naive timestamps)')
    >>> zone_of_times(pd.Series(["2024-01-10T08:00Z", "2024-07-10T08:00Z"]))
    ('UTC', 'fixed UTC offset of the times')
    """
    text = text.astype(str).str.strip()
    if not len(text) or not text.str.contains(_HAS_OFFSET).all():
        return DEFAULT_TZ, "default (naive timestamps)"
    for first in ([True, False] if dayfirst is None else [bool(dayfirst)]):
        iso = numeric_dates_to_iso(text, first)
        utc = pd.DatetimeIndex(_to_datetime(iso, True, first))
        if not utc.isna().any():
            break
    else:  # the caller reports the unreadable row
        return DEFAULT_TZ, "default (naive timestamps)"
    parts = iso.str.extract(_OFFSET)
    sign = np.where(parts[0].fillna("+") == "-", -1.0, 1.0)  # no match: a "Z" suffix
    offsets_s = sign * (parts[1].fillna("0").to_numpy(float) * 3600
                        + parts[2].fillna("0").to_numpy(float) * 60)
    return zone_from_offsets(utc, offsets_s)


def read_times(text: pd.Series, tz: str, dayfirst: bool | None, column: str) -> pd.Series:
    """`parse_times`, or a ValueError naming the first unreadable row and why.

    ``text``'s index holds each row's number in the spreadsheet (the header is row 1).
    A row that only the other convention reads is refused with the option that reads it,
    or, when other rows only read this way, as a file that mixes both.

    Examples
    --------
    >>> text = pd.Series(["13/04/2009 08:00", "04/13/2009 08:15"], index=[2, 3])
    >>> read_times(text, "Europe/Rome", None, "data")
    Traceback (most recent call last):
    ...
    ValueError: row 3, column data: '04/13/2009 08:15' is a month-first date, but row 2 \
('13/04/2009 08:00') is day first: the file mixes both ways; write the dates one way \
(ISO 2009-04-20 reads the same everywhere)
    """
    first = resolve_dayfirst(dayfirst, tz)
    times = parse_times(text, tz, first)
    bad = times.isna().to_numpy()
    if not bad.any():
        return times
    raise ValueError(_problem(text, bad, parse_times(text, tz, not first).isna().to_numpy(),
                              first, column))


def _problem(text: pd.Series, bad: np.ndarray, bad_other: np.ndarray, first: bool,
             column: str) -> str:
    i = int(np.flatnonzero(bad)[0])
    got, where = text.iloc[i], f"row {text.index[i]}, column {column}"
    way = "day" if first else "month"
    other = "month" if first else "day"
    if not bad_other[i]:
        if not bad_other.any():
            return (f"{where}: {got!r} is not a {way}-first date; the file's dates read "
                    f"{other} first: give {option_of(not first)}")
        j = int(np.flatnonzero(bad_other & ~bad)[0]) if (bad_other & ~bad).any() else None
        if j is not None:
            return (f"{where}: {got!r} is a {other}-first date, but row {text.index[j]} "
                    f"({text.iloc[j]!r}) is {way} first: the file mixes both ways; write the "
                    "dates one way (ISO 2009-04-20 reads the same everywhere)")
    return (f"{where}: cannot read {got!r} as a date and time (expected e.g. "
            f"{'20/04/2009' if first else '04/20/2009'} 08:15, {way} first, or 2009-04-20 08:15)")


def parse_time_option(value: str, option: str, *, dayfirst: bool) -> pd.Timestamp:
    """A date or time given as an option (``--start 04/05/2009``), read like file dates.

    Examples
    --------
    >>> parse_time_option("04/05/2009", "--start", dayfirst=True)
    Timestamp('2009-05-04 00:00:00')
    >>> parse_time_option("04/13/2009", "--start", dayfirst=True)
    Traceback (most recent call last):
    ...
    ValueError: --start must be a date such as 2009-04-20 or 20/04/2009 (day first), got \
'04/13/2009'; month first it reads: give --monthfirst
    """
    text = pd.Series([str(value).strip()])
    first = bool(dayfirst)
    got = _to_datetime(numeric_dates_to_iso(text, first), False, first).iloc[0]
    if pd.isna(got):
        example = "20/04/2009 (day first)" if first else "04/20/2009 (month first)"
        other = _to_datetime(numeric_dates_to_iso(text, not first), False, not first).iloc[0]
        hint = (f"; {'month' if first else 'day'} first it reads: give "
                f"{'--monthfirst' if first else '--dayfirst'}" if pd.notna(other) else "")
        raise ValueError(f"{option} must be a date such as 2009-04-20 or {example}, "
                         f"got {value!r}{hint}")
    return pd.Timestamp(got)
