"""Reading volume files (CSV or Excel) into the history/forecast contract.

The file handling (separators, encodings, decimal commas, English and Italian headers,
day- or month-first dates, Excel) is `tabular`'s. What is staffing's own: a line that logs
only its opening hours has no rows for the hours it is closed, and those intervals are
planned as closed (no calls); the AHT of an interval without calls may be blank.
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
    parse_number,
    read_table,
    read_times,
)

from . import schema as S

_ALIASES = {**VOLUME_HEADERS, "canale": "channel", "channel": "channel"}


def _timestamps(raw: pd.DataFrame, cols: dict[str, str], tz: str | None,
                dayfirst: bool | None) -> tuple[pd.DatetimeIndex, str, set[str]]:
    """The rows' interval starts, the column(s) they came from, and those columns."""
    if S.INDEX in cols:
        text, column = as_text(raw[cols[S.INDEX]]), str(cols[S.INDEX])
        used = {cols[S.INDEX]}
    elif "date" in cols and "time" in cols:
        text = join_date_time(raw[cols["date"]], raw[cols["time"]])
        column, used = f"{cols['date']} + {cols['time']}", {cols["date"], cols["time"]}
    elif "date" in cols or "time" in cols:  # one column holding date and time
        name = cols["date"] if "date" in cols else cols["time"]
        text, column, used = as_text(raw[name]), str(name), {name}
    else:
        raise ValueError("volume file needs an 'interval_start' column (or 'date' and 'time', "
                         f"'data' and 'ora'), got columns {list(raw.columns)}")
    times = read_times(text, tz or "UTC", True if tz is None and dayfirst is None else dayfirst,
                       column)
    index = pd.DatetimeIndex(times, name=S.INDEX)
    if index.tz is None and tz is not None:
        index = _localize(index, tz, text, column)
    order = np.argsort(index.asi8, kind="stable")
    twice = index[order].duplicated()
    if twice.any():
        i = int(order[np.flatnonzero(twice)[0]])
        j = int(order[np.flatnonzero(index[order] == index[i])[0]])
        raise ValueError(f"row {raw.index[i]}, column {column}: {text.iloc[i]!r} is the same "
                         f"interval as row {raw.index[j]}; give one row per interval (add up "
                         "the channels or queues first)")
    return index, column, used


def _localize(index: pd.DatetimeIndex, tz: str, text: pd.Series, column: str) -> pd.DatetimeIndex:
    """Wall-clock times in ``tz``; a time the spring clock change skips is refused by row."""
    try:
        return index.tz_localize(tz, ambiguous="infer", nonexistent="raise")
    except Exception:  # pytz/zoneinfo raise several types around clock changes
        pass
    # The autumn hour logged once (one row per wall-clock hour): its first, summer-time copy.
    local = index.tz_localize(tz, ambiguous=np.ones(len(index), bool), nonexistent="NaT")
    skipped = np.flatnonzero(np.asarray(local.isna()))
    if len(skipped):
        i = int(skipped[0])
        raise ValueError(f"row {text.index[i]}, column {column}: {text.iloc[i]!r} does not exist "
                         f"in {tz} (the clock skips that hour in spring); check the time or the "
                         "time zone (--tz)")
    return local


def _numbers(raw: pd.DataFrame, cols: dict[str, str], decimal: str | None) -> dict[str, pd.Series]:
    out = {}
    for name, header in cols.items():
        if name not in (S.CALLS, S.AHT_S, S.MEAN) and not S.is_quantile_column(name):
            continue
        cells = raw[header]
        values = parse_number(cells, decimal)
        blank = as_text(cells) == ""
        bad = (values.isna() & ~blank) | (values < 0) | np.isinf(values)
        if name != S.AHT_S:
            bad |= blank
        if bad.any():
            row = int(bad.to_numpy().nonzero()[0][0])
            got = cells.iloc[row]
            raise ValueError(f"row {raw.index[row]}, column {header}: expected a number >= 0, "
                             f"got {'a blank' if blank.iloc[row] else repr(got)}")
        out[name] = values
    return out


def _aht(values: pd.Series, calls: pd.Series, header: str) -> pd.Series:
    """AHT where calls need it; blank or 0 only on rows without calls (filled, unused)."""
    missing = values.isna() | (values == 0)
    needed = missing & (calls > 0)
    if needed.any():
        row = needed.index[int(needed.to_numpy().nonzero()[0][0])]
        raise ValueError(f"row {row}, column {header}: the AHT is "
                         f"{'blank' if pd.isna(values[row]) else '0'} on a row with "
                         f"{calls[row]:g} calls; give the average handling time in seconds "
                         "(blank or 0 only where there are no calls)")
    weights = calls.where(~missing, 0.0)
    known = values.where(~missing, 0.0)
    # Where there are no calls the AHT changes no answer; the average keeps it a valid number.
    fill = float((known * weights).sum() / weights.sum()) if weights.sum() > 0 else np.nan
    return values.where(~missing, fill)


def _close_gaps(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows for the intervals a log of opening hours leaves out: no calls (closed)."""
    if len(frame) < 3:
        return frame
    index = pd.DatetimeIndex(frame.index)
    steps = index[1:] - index[:-1]
    step = pd.Series(steps).mode().min()
    if step <= pd.Timedelta(0) or (steps % step != pd.Timedelta(0)).any() or (steps == step).all():
        return frame  # irregular, or nothing missing: staffing's checks name a change of step
    full = pd.date_range(index[0], index[-1], freq=step, name=S.INDEX)
    closed = ~full.isin(index)
    out = frame.reindex(full)
    for col in out.columns:
        if col == S.AHT_S:
            out[col] = out[col].fillna(_mean_aht(frame))
        elif pd.api.types.is_numeric_dtype(frame[col]):
            out[col] = out[col].fillna(0.0)
        else:
            out[col] = out[col].fillna("")
    out.attrs["closed_intervals"] = int(closed.sum())
    return out


def _mean_aht(frame: pd.DataFrame) -> float:
    calls = frame[S.CALLS] if S.CALLS in frame else frame.get(S.MEAN)
    aht = frame[S.AHT_S]
    if calls is None or not (calls > 0).any():
        return float(aht.mean())
    return float((aht * calls).sum() / calls.sum())


def read_volume(path: str | Path, *, tz: str | None = "Europe/Rome",
                dayfirst: bool | None = None) -> pd.DataFrame:
    r"""Read calls per interval from a CSV or Excel file into a volume frame.

    Accepted columns: ``interval_start`` (or ``date`` and ``time``), ``calls``, or the
    forecast columns ``mean``/``pNN``; optional ``aht_s``. Headers are matched without
    regard to case, in English or Italian (``data``, ``ora``, ``chiamate``, ``tma``,
    ``canale``; see `tabular.VOLUME_HEADERS`); files as `tabular.read_table` reads them
    (``;``, ``,`` or tab, decimal commas, UTF-8 with or without BOM or cp1252).

    A file that logs only opening hours (no rows at night or on closed days) is read with
    the missing intervals as closed: 0 calls (``attrs["closed_intervals"]`` counts them).
    AHT may be blank or 0 on rows without calls; there it is set to the calls-weighted
    mean, which changes no answer.

    Parameters
    ----------
    path : str or Path
        A ``.csv``, ``.xlsx`` or ``.xls`` file (told by content, not by name).
    tz : str or None, default "Europe/Rome"
        Time zone of naive timestamps; ``None`` keeps them naive.
    dayfirst : bool or None
        Numeric dates (``04/05/2009``) day first (True: 4 May) or month first (False);
        ``None`` as ``tz``'s country writes them (month first for US zones).

    Returns
    -------
    DataFrame
        Indexed by ``interval_start``, sorted, with numeric columns.

    Raises
    ------
    ValueError
        Naming the file, or the row (the header is row 1) and column of the first bad value.

    Examples
    --------
    >>> import tempfile, os
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = os.path.join(folder, "chiamate.csv")
    ...     with open(path, "w", encoding="cp1252") as f:
    ...         _ = f.write("Data;Ora;Chiamate;TMA\n04/05/2009;17:30;12;240,5\n"
    ...                     "04/05/2009;17:45;0;\n05/05/2009;08:00;3;200\n")
    ...     volume = read_volume(path)
    >>> str(volume.index[0]), volume["calls"].iloc[[0, 1, -1]].tolist()
    ('2009-05-04 17:30:00+02:00', [12.0, 0.0, 3.0])
    >>> volume["aht_s"].iloc[[0, 1, -1]].tolist(), volume.attrs["closed_intervals"]
    ([240.5, 232.4, 200.0], 56)
    """
    raw = read_table(path, "volume")
    cols = column_names(raw, _ALIASES)
    index, _, used = _timestamps(raw, cols, tz, dayfirst)
    numbers = _numbers(raw, cols, raw.attrs.get("decimal"))
    if S.AHT_S in numbers:
        calls = numbers.get(S.CALLS, numbers.get(S.MEAN, pd.Series(0.0, index=raw.index)))
        numbers[S.AHT_S] = _aht(numbers[S.AHT_S], calls, str(cols[S.AHT_S]))
    frame = pd.DataFrame(index=raw.index)
    for column in raw.columns:
        if column in used:
            continue
        name = _ALIASES.get(header_key(column), str(column).strip())
        if name in frame.columns:
            continue
        frame[name] = numbers[name].to_numpy() if name in numbers else raw[column]
    frame.index = index
    frame = frame.sort_index(kind="stable")
    return _close_gaps(frame)
