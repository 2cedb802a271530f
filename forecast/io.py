"""Reading a call history (CSV or Excel) into the history contract."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import schema as S


def parse_times(text: pd.Series, tz: str) -> pd.Series:
    """Parse timestamps; ones with UTC offsets (``+02:00``, as written by picco) go to ``tz``.

    Unreadable entries become NaT for the caller to report.
    """
    text = text.astype(str).str.strip()
    if text.str.contains(r"(?:[+-]\d\d:?\d\d|Z)$").all():
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


def read_history(path: str | Path, *, tz: str = "Europe/Rome") -> pd.DataFrame:
    """Read ``interval_start`` (or ``date`` + ``time``) and ``calls`` from a CSV or Excel file.

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
    if index.tz is None:  # naive wall-clock times: the fall-back hour is inferred
        index = index.tz_localize(tz, ambiguous="infer", nonexistent="shift_forward")
    frame = pd.DataFrame({S.CALLS: calls.to_numpy(dtype=float)}, index=index)
    if S.AHT_S in cols:
        frame[S.AHT_S] = pd.to_numeric(raw[cols[S.AHT_S]], errors="coerce").to_numpy()
    return frame
