"""The spot schedule contract: validation and reading from CSV/Excel."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from . import schema as S
from .io import parse_times, read_table

_ALIASES = {"start": S.START, "time": S.START, "airing": S.START, "datetime": S.START,
            "channel": S.CHANNEL, "rete": S.CHANNEL, "grp": S.GRP, "grps": S.GRP,
            "duration_s": S.DURATION_S, "duration": S.DURATION_S, "campaign": "campaign",
            "creative": "creative"}


def validate_spots(spots: pd.DataFrame | None, *, tz: str = "Europe/Rome") -> pd.DataFrame:
    """Check a spot schedule and return it normalised (sorted, tz-aware, defaults filled).

    Parameters
    ----------
    spots : DataFrame or None
        Columns ``start`` (airing time) and ``channel``; optional ``grp`` (>= 0),
        ``duration_s`` (> 0, default 30), ``campaign``, ``creative``. Naive times are read
        in ``tz``. ``None`` means no spots.

        Spot logs are taken as they are. Several airings on one channel at the same time
        (two creatives in one break) are separate rows; the forecaster adds their GRP
        before saturation, since they reach the same audience. A blank or 0 GRP is an
        *unrated* airing (a channel too small to measure): it is kept, as NaN or 0, and
        the forecaster gives it a per-airing effect (see `forecast.campaign`). Without a
        ``grp`` column every airing counts as 1.
    tz : str
        Time zone for naive times.

    Returns
    -------
    DataFrame
        A new frame (the input is not modified), sorted by ``start``.

    Raises
    ------
    ValueError
        Naming the row (1-based, as in a spreadsheet with a header) and the column.

    Examples
    --------
    >>> s = validate_spots(pd.DataFrame({"start": ["2009-04-20 20:30"], "channel": ["Rai 1"]}))
    >>> s.loc[0, "grp"], str(s.loc[0, "start"])
    (np.float64(1.0), '2009-04-20 20:30:00+02:00')
    """
    if spots is None:
        return pd.DataFrame({S.START: pd.DatetimeIndex([], tz=tz), S.CHANNEL: pd.Series([], dtype=str),
                             S.GRP: pd.Series([], dtype=float),
                             S.DURATION_S: pd.Series([], dtype=float)})
    if not isinstance(spots, pd.DataFrame):
        raise ValueError(f"spots must be a DataFrame, got {type(spots).__name__}")
    frame = spots.rename(columns=lambda c: _ALIASES.get(str(c).strip().lower(), c)).copy()
    frame = frame.reset_index(drop=True)
    for col in (S.START, S.CHANNEL):
        if col not in frame.columns:
            raise ValueError(f"spots need a {col!r} column, got {list(spots.columns)}")
    start = frame[S.START]
    if not pd.api.types.is_datetime64_any_dtype(start):
        start = parse_times(start.where(start.notna(), ""), tz)
    bad = start.isna()
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise ValueError(f"spots row {row + 2}, column start: cannot read "
                         f"{spots.iloc[row][spots.columns[list(frame.columns).index(S.START)]]!r} "
                         "as a date and time (expected e.g. 2009-04-20 20:30)")
    idx = pd.DatetimeIndex(start)
    if idx.tz is None:
        idx = idx.tz_localize(tz, ambiguous="NaT", nonexistent="shift_forward")
        if idx.isna().any():
            row = int(np.flatnonzero(idx.isna())[0])
            raise ValueError(f"spots row {row + 2}, column start: {frame[S.START].iloc[row]!r} "
                             f"is ambiguous in {tz} (clock change); give the UTC offset")
    else:
        idx = idx.tz_convert(tz)
    frame[S.START] = idx
    missing = frame[S.CHANNEL].isna().to_numpy()
    frame[S.CHANNEL] = frame[S.CHANNEL].astype(str).str.strip()
    empty = missing | frame[S.CHANNEL].isin(["", "nan", "None"]).to_numpy()
    if empty.any():
        row = int(np.flatnonzero(empty)[0])
        raise ValueError(f"spots row {row + 2}, column channel: empty channel name")
    for col, default, blank, allowed, ok in (
            (S.GRP, 1.0, np.nan, ">= 0 (blank: unrated)", lambda x: x >= 0),
            (S.DURATION_S, 30.0, 30.0, "> 0", lambda x: x > 0)):
        if col not in frame.columns:
            frame[col] = default
            continue
        if pd.api.types.is_numeric_dtype(frame[col]):  # the common case, without text checks
            raw = frame[col].astype(float)
        else:
            raw = frame[col].where(frame[col].notna() & ~frame[col].astype(str).str.strip().isin(
                ["", "nan", "None"]))
        values = pd.to_numeric(raw, errors="coerce")
        filled = values.where(raw.notna(), blank)
        bad = (values.isna() & raw.notna()) | ~(np.isfinite(values) & ok(values)) & raw.notna()
        values = filled
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            got = frame[col].iloc[row]
            got = repr(got) if isinstance(got, str) else f"{got}"
            raise ValueError(f"spots row {row + 2}, column {col}: must be a number {allowed}, "
                             f"got {got}")
        frame[col] = values.astype(float)
    return frame.sort_values(S.START, kind="stable").reset_index(drop=True)


def read_spots(path: str | Path, *, tz: str = "Europe/Rome") -> pd.DataFrame:
    """Read a spot schedule from CSV or Excel; accepts ``date`` + ``time`` columns.

    Raises
    ------
    ValueError
        When the file is missing or unreadable, or a row is invalid (see `validate_spots`).
    """
    raw = read_table(path, "spot")
    cols = {str(c).strip().lower(): c for c in raw.columns}
    if "start" not in cols and "date" in cols and "time" in cols:
        raw = raw.assign(start=raw[cols["date"]].astype(str) + " " + raw[cols["time"]].astype(str))
        raw = raw.drop(columns=[cols["date"], cols["time"]])
    return validate_spots(raw, tz=tz)
