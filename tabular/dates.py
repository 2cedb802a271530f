"""Dates written with numbers only (``04/05/2009``) rewritten as ISO text, day or month first.

``04/05/2009`` is 4 May day first (Italy, most of the world) and 5 April month first (the
United States): the reader says which (see `tabular.zones.dayfirst_of_zone`). A date that
does not exist in the convention asked for (``04/13/2009`` day first) is never read the
other way: it becomes text no parser reads, and the caller names its row.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

from .cells import cell_text

NOT_A_DATE = "not a date: "
_NUMERIC = re.compile(
    r"^(?P<a>\d{1,2})(?P<sep>[/.\-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})"
    r"(?:(?:\s+|T|,\s*)(?P<H>\d{1,2})[:.](?P<M>\d{2})(?:[:.](?P<S>\d{2}(?:[.,]\d+)?))?"
    r"(?:\s*(?P<ampm>[AaPp]\.?[Mm]\.?))?)?"
    r"(?P<off>\s*(?:[+-]\d\d:?\d\d|Z))?$")
# Year first with slashes or points: always year, month, day (no one writes year/day/month).
_YEAR_FIRST = re.compile(r"^(?P<y>\d{4})(?P<sep>[/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})"
                         r"(?P<rest>(?:\s|T).*)?$")


def numeric_dates_to_iso(text: pd.Series, dayfirst: bool = True) -> pd.Series:
    """Rewrite numeric dates (``DD/MM/YYYY HH:MM``, ``/``, ``.`` or ``-``) as ISO text.

    ``dayfirst=False`` reads them month first (``MM/DD/YYYY``). Other text (ISO dates, text
    with month names) is returned unchanged. A date that does not exist in the convention
    asked for (31/02, or 04/13 day first) becomes ``"not a date: ..."``, never a date read
    the other way.

    Examples
    --------
    >>> numeric_dates_to_iso(pd.Series(["04/05/2009 20.30", "4.5.09", "2009-04-05 20:30",
    ...                                 "04/05/2009 8:30 PM", "31/02/2009"])).tolist()
    ['2009-05-04 20:30:00', '2009-05-04 00:00:00', '2009-04-05 20:30', '2009-05-04 20:30:00', \
'not a date: 31/02/2009']
    >>> numeric_dates_to_iso(pd.Series(["04/05/2009", "04/13/2009", "2009/04/05"]), False).tolist()
    ['2009-04-05 00:00:00', '2009-04-13 00:00:00', '2009-04-05']
    """
    text = text.astype(str).str.strip()
    year_first = text.str.extract(_YEAR_FIRST)
    ymd = year_first["y"].notna().to_numpy()
    if ymd.any():
        p = year_first[ymd]
        text = text.copy()
        text[ymd] = (p["y"] + "-" + p["m"].str.zfill(2) + "-" + p["d"].str.zfill(2)
                     + p["rest"].fillna(""))
    parts = text.str.extract(_NUMERIC)
    hit = parts["a"].notna().to_numpy()
    if not hit.any():
        return text
    p = parts[hit]
    day, month = (p["a"], p["b"]) if dayfirst else (p["b"], p["a"])
    year = p["y"].astype(int)
    two_digits = (p["y"].str.len() == 2).to_numpy()
    year = year + np.where(two_digits, np.where(year < 70, 2000, 1900), 0)
    hour = p["H"].fillna("0").astype(int)
    ampm = p["ampm"].fillna("").str.replace(".", "", regex=False).str.lower()
    twelve = ampm != ""
    bad_hour = twelve & ((hour < 1) | (hour > 12))
    hour = hour.where(~twelve, hour % 12 + np.where(ampm == "pm", 12, 0))
    seconds = p["S"].fillna("00").str.replace(",", ".", regex=False)
    iso = (year.astype(str).str.zfill(4) + "-" + month.str.zfill(2) + "-" + day.str.zfill(2)
           + " " + hour.astype(str).str.zfill(2) + ":" + p["M"].fillna("00") + ":"
           + seconds.str.zfill(2) + p["off"].fillna("").str.strip())
    # Checked here: a lenient parser would read an impossible date the other way round.
    real = pd.to_datetime(iso.str.slice(0, 19), errors="coerce", format="%Y-%m-%d %H:%M:%S")
    iso = iso.where(real.notna() & ~bad_hour, NOT_A_DATE + text[hit])
    out = text.copy()
    out[hit] = iso
    return out


def join_date_time(date: pd.Series, time: pd.Series) -> pd.Series:
    """One timestamp text per row from a date column and a time column.

    Cells may be text or what a spreadsheet holds (dates, times, fractions of a day). A row
    missing either part gives text that no parser reads, so the caller names the row.

    Examples
    --------
    >>> join_date_time(pd.Series(["20/04/2009", pd.Timestamp("2009-04-21"), "22/04/2009"]),
    ...                pd.Series(["20:30", dt.time(13, 5), None])).tolist()
    ['20/04/2009 20:30', '2009-04-21 13:05:00', '22/04/2009 (no time)']
    """
    def day(value: object) -> str:
        if isinstance(value, dt.datetime):  # pd.Timestamp too
            return value.strftime("%Y-%m-%d")
        if isinstance(value, dt.date):
            return value.isoformat()
        return cell_text(value)

    def clock(value: object) -> str:
        if isinstance(value, (dt.time, dt.datetime)):
            return value.strftime("%H:%M:%S")
        if isinstance(value, dt.timedelta):  # pd.Timedelta too
            seconds = int(round(value.total_seconds()))
            return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
        if isinstance(value, (float, np.floating)) and 0 <= value < 1:  # Excel: share of a day
            seconds = int(round(float(value) * 86400))
            return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
        return cell_text(value)

    out = []
    for d, t in zip(date.tolist(), time.tolist(), strict=True):
        d_text, t_text = day(d), clock(t)
        out.append(f"{d_text} {t_text}" if d_text and t_text else
                   f"{d_text} (no time)" if d_text else f"(no date) {t_text}".strip())
    return pd.Series(out, index=date.index, dtype=object)
