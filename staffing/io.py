"""Reading volume files (CSV or Excel) into the history/forecast contract."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import schema as S

_ALIASES = {"calls": S.CALLS, "volume": S.CALLS, "offered": S.CALLS, "aht": S.AHT_S,
            "aht_s": S.AHT_S, "interval_start": S.INDEX, "interval": S.INDEX,
            "timestamp": S.INDEX, "datetime": S.INDEX, "start": S.INDEX}


def _read_table(path: Path) -> pd.DataFrame:
    if not path.exists():
        raise ValueError(f"volume file {str(path)!r} does not exist")
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
            return pd.read_excel(path)
        return pd.read_csv(path)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise ValueError(f"volume file {str(path)!r} is not a readable table: {exc}") from None


def _timestamps(raw: pd.DataFrame, tz: str | None) -> pd.DatetimeIndex:
    cols = {c.strip().lower(): c for c in raw.columns}
    if S.INDEX in cols.values():
        text = raw[S.INDEX].astype(str)
        column = S.INDEX
    elif "date" in cols and "time" in cols:
        text = raw[cols["date"]].astype(str) + " " + raw[cols["time"]].astype(str)
        column = f"{cols['date']} + {cols['time']}"
    else:
        raise ValueError("volume file needs an 'interval_start' column (or 'date' and 'time'), "
                         f"got columns {list(raw.columns)}")
    text = text.str.strip()
    if tz is not None and text.str.contains(r"(?:[+-]\d\d:?\d\d|Z)$").all():
        parsed = pd.to_datetime(text, errors="coerce", format="mixed", utc=True).dt.tz_convert(tz)
    else:
        parsed = pd.to_datetime(text, errors="coerce", format="mixed")
    bad = parsed.isna()
    if bad.any():
        row = int(bad.to_numpy().nonzero()[0][0])
        raise ValueError(f"row {row + 2}, column {column}: cannot read {text.iloc[row]!r} as a "
                         "date and time (expected e.g. 2009-04-20 08:15)")
    index = pd.DatetimeIndex(parsed, name=S.INDEX)
    if index.tz is None and tz is not None:
        try:
            index = index.tz_localize(tz, ambiguous="infer", nonexistent="raise")
        except Exception as exc:  # pytz/zoneinfo raise several types for DST gaps
            raise ValueError(f"column {column}: times do not fit time zone {tz!r}: {exc}") from None
    return index


def read_volume(path: str | Path, *, tz: str | None = "Europe/Rome") -> pd.DataFrame:
    """Read calls per interval from a CSV or Excel file into a volume frame.

    Accepted columns: ``interval_start`` (or ``date`` and ``time``), ``calls``, or the
    forecast columns ``mean``/``pNN``; optional ``aht_s``. Names are matched without regard
    to case; ``volume``/``offered`` are read as ``calls`` and ``aht`` as ``aht_s``.

    Parameters
    ----------
    path : str or Path
        A ``.csv``, ``.xlsx`` or ``.xls`` file.
    tz : str or None, default "Europe/Rome"
        Time zone of naive timestamps; ``None`` keeps them naive.

    Returns
    -------
    DataFrame
        Indexed by ``interval_start``, with numeric columns.

    Raises
    ------
    ValueError
        Naming the row and column of the first unreadable value.
    """
    raw = _read_table(Path(path))
    index = _timestamps(raw, tz)
    frame = raw.rename(columns=lambda c: _ALIASES.get(c.strip().lower(), c.strip()))
    frame = frame.drop(columns=[c for c in (S.INDEX, "date", "time", "Date", "Time")
                                if c in frame.columns])
    numeric = [c for c in frame.columns
               if c in (S.CALLS, S.AHT_S, S.MEAN) or S.is_quantile_column(str(c))]
    for col in numeric:
        values = pd.to_numeric(frame[col], errors="coerce")
        bad = values.isna()
        if bad.any():
            row = int(bad.to_numpy().nonzero()[0][0])
            raise ValueError(f"row {row + 2}, column {col}: expected a number, "
                             f"got {frame[col].iloc[row]!r}")
        frame[col] = values
    frame.index = index
    return frame
