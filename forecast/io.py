"""Reading a call history (CSV or Excel), as picco or a spreadsheet writes it.

The file handling (separators, encodings, decimal commas, day- or month-first dates,
Excel) is `tabular`'s; its names used across picco are importable from here too.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from tabular import (
    VOLUME_HEADERS,
    as_text,
    column_names,
    header_key,
    join_date_time,
    numeric_dates_to_iso,
    parse_number,
    parse_times,
    read_table,
    read_times,
    sniff_delimiter,
    zone_of_times,
)

from . import schema as S
from .calendar import AUTO, check_zone
from .grid import localize_wall_clock

__all__ = ["as_text", "column_names", "header_key", "join_date_time", "numeric_dates_to_iso",
           "parse_number", "parse_times", "read_history", "read_table", "sniff_delimiter",
           "zone_of_times"]

_HISTORY_HEADERS = VOLUME_HEADERS  # English and Italian names of the contract's columns


def read_history(path: str | Path, *, tz: str = AUTO, dayfirst: bool | None = None) -> pd.DataFrame:
    """Read ``interval_start`` (or ``date`` + ``time``) and ``calls`` from a CSV or Excel file.

    Italian headers are read too (``data e ora``, or ``data`` + ``ora``, ``chiamate``,
    ``tma``), and files as `tabular.read_table` reads them (semicolons, decimal commas,
    UTF-8 or Windows text). ``tz="auto"`` reads naive times in ``Europe/Rome`` and finds the
    zone of times that carry UTC offsets (`tabular.zone_of_times`); the frame's
    ``attrs["tz_source"]`` says how.

    Parameters
    ----------
    path : str or Path
    tz : str
        Time zone, or ``"auto"``.
    dayfirst : bool or None
        Numeric dates (``04/05/2009``) day first (True: 4 May) or month first (False);
        ``None`` as the zone's country writes them (month first for US zones).

    Raises
    ------
    ValueError
        Naming the file, or the row and column of the first unreadable value.
    """
    raw = read_table(path, "history")
    cols = column_names(raw, _HISTORY_HEADERS)
    if S.INDEX in cols:
        text, where = as_text(raw[cols[S.INDEX]]), cols[S.INDEX]
    elif "date" in cols and "time" in cols:
        text = join_date_time(raw[cols["date"]], raw[cols["time"]])
        where = f"{cols['date']} + {cols['time']}"
    else:
        raise ValueError(f"history file needs an 'interval_start' column (or 'date' and 'time'), "
                         f"got {list(raw.columns)}")
    if S.CALLS not in cols:
        raise ValueError(f"history file needs a 'calls' (or 'chiamate') column, "
                         f"got {list(raw.columns)}")
    if tz == AUTO:
        tz, source = zone_of_times(text, dayfirst)
    else:
        tz, source = check_zone(tz), "given"
    times = read_times(text, tz, dayfirst, where)
    decimal = raw.attrs.get("decimal")
    calls_raw = raw[cols[S.CALLS]]
    calls = parse_number(calls_raw, decimal)
    bad = (calls.isna() & calls_raw.notna()) | (calls < 0) | np.isinf(calls)
    if bad.any():
        row = int(bad.to_numpy().nonzero()[0][0])
        raise ValueError(f"row {raw.index[row]}, column {cols[S.CALLS]}: expected a number >= 0, "
                         f"got {calls_raw.iloc[row]!r}")
    index = pd.DatetimeIndex(times, name=S.INDEX)
    if index.tz is None:
        index = localize_wall_clock(index, tz)
    frame = pd.DataFrame({S.CALLS: calls.to_numpy(dtype=float)}, index=index)
    if S.AHT_S in cols:
        frame[S.AHT_S] = parse_number(raw[cols[S.AHT_S]], decimal).to_numpy()
    frame.attrs["tz_source"] = source
    return frame
