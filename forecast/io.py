"""Reading a call history (CSV or Excel) into the history contract."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from . import schema as S
from .calendar import AUTO, DEFAULT_TZ, check_zone, zone_from_offsets
from .grid import localize_wall_clock

_HAS_OFFSET = r"(?:[+-]\d\d:?\d\d|Z)$"
_OFFSET = r"([+-])(\d\d):?(\d\d)$"


def parse_times(text: pd.Series, tz: str) -> pd.Series:
    """Parse timestamps; ones with UTC offsets (``+02:00``, as written by picco) go to ``tz``.

    Unreadable entries become NaT for the caller to report.
    """
    text = text.astype(str).str.strip()
    if text.str.contains(_HAS_OFFSET).all():
        return pd.to_datetime(text, errors="coerce", format="mixed", utc=True).dt.tz_convert(tz)
    return pd.to_datetime(text, errors="coerce", format="mixed")


def read_table(path: str | Path, what: str) -> pd.DataFrame:
    """Read a CSV or Excel file, or raise a ValueError that names ``what`` file failed."""
    path = Path(path)
    if not path.exists():
        raise ValueError(f"{what} file {str(path)!r} does not exist")
    try:
        if path.suffix.lower() in (".xlsx", ".xls", ".xlsm"):
            return pd.read_excel(path)
        return pd.read_csv(path)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise ValueError(f"{what} file {str(path)!r} is not a readable table: {exc}") from None


def zone_of_times(text: pd.Series) -> tuple[str, str]:
    """The zone to read these timestamps in, and why (see `forecast.calendar.zone_from_offsets`).

    Examples
    --------
    >>> zone_of_times(pd.Series(["2024-01-10 08:00", "2024-01-10 08:30"]))
    ('Europe/Rome', 'default (naive timestamps)')
    >>> zone_of_times(pd.Series(["2024-01-10T08:00Z", "2024-07-10T08:00Z"]))
    ('UTC', 'fixed UTC offset of the times')
    """
    text = text.astype(str).str.strip()
    parts = text.str.extract(_OFFSET)
    if not text.str.contains(_HAS_OFFSET).all():
        return DEFAULT_TZ, "default (naive timestamps)"
    utc = pd.DatetimeIndex(pd.to_datetime(text, errors="coerce", format="mixed", utc=True))
    if utc.isna().any():  # the caller reports the unreadable row
        return DEFAULT_TZ, "default (naive timestamps)"
    sign = np.where(parts[0].fillna("+") == "-", -1.0, 1.0)  # no match: a "Z" suffix
    offsets_s = sign * (parts[1].fillna("0").to_numpy(float) * 3600
                        + parts[2].fillna("0").to_numpy(float) * 60)
    return zone_from_offsets(utc, offsets_s)


def read_history(path: str | Path, *, tz: str = AUTO) -> pd.DataFrame:
    """Read ``interval_start`` (or ``date`` + ``time``) and ``calls`` from a CSV or Excel file.

    ``tz="auto"`` reads naive times in ``Europe/Rome`` and finds the zone of times that carry
    UTC offsets (`zone_of_times`); the frame's ``attrs["tz_source"]`` says how.

    Raises
    ------
    ValueError
        Naming the file, or the row and column of the first unreadable value.
    """
    raw = read_table(path, "history")
    cols = {str(c).strip().lower(): c for c in raw.columns}
    if S.INDEX in cols:
        text, where = raw[cols[S.INDEX]].astype(str), S.INDEX
    elif "date" in cols and "time" in cols:
        text = raw[cols["date"]].astype(str) + " " + raw[cols["time"]].astype(str)
        where = "date + time"
    else:
        raise ValueError(f"history file needs an 'interval_start' column (or 'date' and 'time'), "
                         f"got {list(raw.columns)}")
    if S.CALLS not in cols:
        raise ValueError(f"history file needs a 'calls' column, got {list(raw.columns)}")
    if tz == AUTO:
        tz, source = zone_of_times(text)
    else:
        tz, source = check_zone(tz), "given"
    times = parse_times(text, tz)
    if times.isna().any():
        row = int(times.isna().to_numpy().nonzero()[0][0])
        raise ValueError(f"row {row + 2}, column {where}: cannot read {text.iloc[row]!r} as a time")
    calls = pd.to_numeric(raw[cols[S.CALLS]], errors="coerce")
    bad = calls.isna() & raw[cols[S.CALLS]].notna() | (calls < 0)
    if bad.any():
        row = int(bad.to_numpy().nonzero()[0][0])
        raise ValueError(f"row {row + 2}, column calls: expected a number >= 0, "
                         f"got {raw[cols[S.CALLS]].iloc[row]!r}")
    index = pd.DatetimeIndex(times, name=S.INDEX)
    if index.tz is None:
        index = localize_wall_clock(index, tz)
    frame = pd.DataFrame({S.CALLS: calls.to_numpy(dtype=float)}, index=index)
    if S.AHT_S in cols:
        frame[S.AHT_S] = pd.to_numeric(raw[cols[S.AHT_S]], errors="coerce").to_numpy()
    frame.attrs["tz_source"] = source
    return frame
