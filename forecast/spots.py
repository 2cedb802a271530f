"""The spot schedule contract: validation, reading from CSV/Excel, and the rows a planner edits.

Files may be written the way Italian spreadsheets save them (``Data;Ora;Canale;GRP`` with
``20/04/2009;20:30;Rai 1;8,5``): see `forecast.io.read_table`. A planner edits the schedule
as rows (`schedule_rows`) with day-first, 24-hour airing times; `edit_rows` applies a table
editor's changes and `spots_from_rows` turns the rows back into a schedule, naming each bad
row as the planner sees it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from tabular import resolve_dayfirst
from tabular.times import option_of

from . import schema as S
from .campaign import CampaignResponse, _name_key
from .io import as_text, column_names, header_key, join_date_time, parse_number, parse_times, read_table

_ALIASES = {"start": S.START, "time": S.START, "airing": S.START, "datetime": S.START,
            "date time": S.START, "date and time": S.START, "data e ora": S.START,
            "data ora": S.START, "data/ora": S.START, "dataora": S.START,
            "messa in onda": S.START, "inizio": S.START, "inizio messa in onda": S.START,
            "channel": S.CHANNEL, "rete": S.CHANNEL, "canale": S.CHANNEL,
            "emittente": S.CHANNEL, "network": S.CHANNEL,
            "grp": S.GRP, "grps": S.GRP, "grp's": S.GRP,
            "duration s": S.DURATION_S, "duration": S.DURATION_S, "durata": S.DURATION_S,
            "durata s": S.DURATION_S, "durata (s)": S.DURATION_S,
            "campaign": "campaign", "campagna": "campaign",
            "creative": "creative", "soggetto": "creative"}
# In a file, "data" + "ora" are the two halves of the airing time ("time" alone is the whole).
_FILE_ALIASES = {**_ALIASES, "date": "date", "data": "date", "giorno": "date",
                 "time": "time", "ora": "time", "orario": "time"}

#: Column titles of the rows a planner edits, as messages name them.
ROW_TITLES = {"row": "Row", "day": "Day", "airing": "Airing", "channel": "Channel", "grp": "GRP"}
#: How airing times are written in the rows: day first, 24-hour (20/04/2009 20:30).
AIRING_FORMAT = "%d/%m/%Y %H:%M"
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_SHOWN = 8  # problems listed in one message; more are counted
_HAS_TIME = re.compile(r"(?:\s|T)\d{1,2}[:.]\d{2}")


def validate_spots(spots: pd.DataFrame | None, *, tz: str = "Europe/Rome",
                   dayfirst: bool | None = None) -> pd.DataFrame:
    """Check a spot schedule and return it normalised (sorted, tz-aware, defaults filled).

    Parameters
    ----------
    spots : DataFrame or None
        Columns ``start`` (airing time) and ``channel``; optional ``grp`` (>= 0),
        ``duration_s`` (> 0, default 30), ``campaign``, ``creative``. Naive times are read
        in ``tz``; text times day first when written so (``20/04/2009 20:30``), see
        `forecast.io.parse_times`. ``None`` means no spots.

        Spot logs are taken as they are. Several airings on one channel at the same time
        (two creatives in one break) are separate rows; the forecaster adds their GRP
        before saturation, since they reach the same audience. A blank or 0 GRP is an
        *unrated* airing (a channel too small to measure): it is kept, as NaN or 0, and
        the forecaster gives it a per-airing effect (see `forecast.campaign`). Without a
        ``grp`` column every airing counts as 1.
    tz : str
        Time zone for naive times.
    dayfirst : bool or None
        Text dates written with numbers (``04/05/2009``) day first (True) or month first;
        ``None`` as ``tz``'s country writes them (month first for US zones).

    Returns
    -------
    DataFrame
        A new frame (the input is not modified), sorted by ``start``.

    Raises
    ------
    ValueError
        Naming the row (1-based, as in a spreadsheet with a header) and the column, one
        line per problem.

    Examples
    --------
    >>> s = validate_spots(pd.DataFrame({"start": ["2009-04-20 20:30"], "channel": ["Rai 1"]}))
    >>> s.loc[0, "grp"], str(s.loc[0, "start"])
    (np.float64(1.0), '2009-04-20 20:30:00+02:00')
    >>> str(validate_spots(pd.DataFrame({"start": ["04/05/2009 20:30"], "channel": ["Rai 1"]}))
    ...     .loc[0, "start"])
    '2009-05-04 20:30:00+02:00'
    """
    if spots is None:
        return pd.DataFrame({S.START: pd.DatetimeIndex([], tz=tz), S.CHANNEL: pd.Series([], dtype=str),
                             S.GRP: pd.Series([], dtype=float),
                             S.DURATION_S: pd.Series([], dtype=float)})
    if not isinstance(spots, pd.DataFrame):
        raise ValueError(f"spots must be a DataFrame, got {type(spots).__name__}")
    frame = spots.rename(columns=lambda c: _ALIASES.get(header_key(c), c)).copy()
    frame = frame.reset_index(drop=True)
    for col in (S.START, S.CHANNEL):
        if col not in frame.columns:
            raise ValueError(f"spots need a {col!r} column, got {list(spots.columns)}")
    return _check(frame, tz, lambda row, col: f"spots row {row + 2}, column {col}",
                  dayfirst=dayfirst)


def read_spots(path: str | Path, *, tz: str = "Europe/Rome",
               dayfirst: bool | None = None) -> pd.DataFrame:
    r"""Read a spot schedule from CSV or Excel; accepts ``date`` + ``time`` columns.

    Italian spreadsheets are read as they save them (see `tabular.read_table`):
    semicolons, decimal commas (``8,5``), day-first dates (``04/05/2009`` is 4 May), Windows
    text, and headers ``data`` + ``ora`` (or ``data e ora``), ``canale``, ``grp``,
    ``durata``. Blank rows are skipped. Numeric dates are read day first, or month first
    with ``dayfirst=False``; ``None`` follows ``tz``'s country (month first for US zones).

    Raises
    ------
    ValueError
        When the file is missing or unreadable, or a row is invalid: naming the row (the
        header is row 1) and the column as headed in the file (see `validate_spots`).

    Examples
    --------
    >>> import tempfile, os
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = os.path.join(folder, "palinsesto.csv")
    ...     with open(path, "w", encoding="cp1252") as f:
    ...         _ = f.write("Data;Ora;Canale;GRP\n04/05/2009;20:30;Rai 1;8,5\n")
    ...     s = read_spots(path)
    >>> str(s.loc[0, "start"]), s.loc[0, "channel"], float(s.loc[0, "grp"])
    ('2009-05-04 20:30:00+02:00', 'Rai 1', 8.5)
    """
    raw = read_table(path, "spot")
    cols = column_names(raw, _FILE_ALIASES)
    shown = {canonical: str(header) for canonical, header in cols.items()}
    if S.START in cols:
        start = raw[cols[S.START]]
    elif "date" in cols and "time" in cols:
        start = join_date_time(raw[cols["date"]], raw[cols["time"]])
        shown[S.START] = f"{cols['date']} + {cols['time']}"
    elif "date" in cols or "time" in cols:  # one column holding date and time
        name = "date" if "date" in cols else "time"
        start, shown[S.START] = raw[cols[name]], str(cols[name])
    else:
        raise ValueError(f"spot file needs a 'start' column (or 'date' and 'time', 'data' and "
                         f"'ora'), got {list(raw.columns)}")
    if S.CHANNEL not in cols:
        raise ValueError(f"spot file needs a 'channel' (or 'canale') column, got {list(raw.columns)}")
    used = {cols[c] for c in (S.START, "date", "time") if c in cols}
    frame = pd.DataFrame({S.START: start})
    for column in raw.columns:
        if column not in used:
            name = _FILE_ALIASES.get(header_key(column), column)
            if name not in frame.columns:
                frame[name] = raw[column]
    lines = raw.index.to_numpy()
    frame = frame.reset_index(drop=True)
    return _check(frame, tz, lambda row, col: f"row {lines[row]}, column {shown.get(col, col)}",
                  decimal=raw.attrs.get("decimal"), dayfirst=dayfirst)


def schedule_rows(spots: pd.DataFrame, *, tz: str = "Europe/Rome") -> pd.DataFrame:
    """The schedule as rows a planner edits, sorted by airing.

    Columns ``row`` (1, 2, ...: how messages name the row), ``day`` (weekday), ``airing``
    (local time as text, day first and 24-hour, see `AIRING_FORMAT`), ``channel`` and
    ``grp``, where an unrated airing (blank GRP) shows as 0, which means the same.

    Parameters
    ----------
    spots : DataFrame
        ``start``, ``channel``, ``grp``: as `validate_spots` returns them, or with naive
        local times. Times that are not times (text typed earlier) are kept as text.
    tz : str
        Time zone the airing times are shown in.

    Examples
    --------
    >>> schedule_rows(pd.DataFrame({"start": pd.to_datetime(["2009-04-21 13:00", "2009-04-20 20:30"]),
    ...                             "channel": ["Rai 2", "Rai 1"], "grp": [4.0, None]}))
       row  day            airing channel  grp
    0    1  Mon  20/04/2009 20:30   Rai 1  0.0
    1    2  Tue  21/04/2009 13:00   Rai 2  4.0
    """
    start = spots[S.START]
    if pd.api.types.is_datetime64_any_dtype(start):
        times = pd.DatetimeIndex(start)
        if times.tz is not None:
            times = times.tz_convert(tz).tz_localize(None)
        airing = pd.Series(times.strftime(AIRING_FORMAT), dtype=object).where(
            ~np.asarray(times.isna()), "")
    else:
        airing = as_text(start).reset_index(drop=True)
    grp = spots[S.GRP] if S.GRP in spots.columns else pd.Series(1.0, index=spots.index)
    grp = grp.reset_index(drop=True)
    if pd.api.types.is_numeric_dtype(grp):
        grp = grp.astype(float).fillna(0.0)
    rows = pd.DataFrame({"airing": airing,
                         "channel": spots[S.CHANNEL].reset_index(drop=True).astype(object),
                         "grp": grp})
    return tidy_rows(rows)


def tidy_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """Rows sorted by airing and numbered again, weekdays recomputed, empty rows dropped.

    Airings that cannot be read keep their text and go last, so nothing typed is lost.

    Examples
    --------
    >>> tidy_rows(pd.DataFrame({"airing": ["21/04/2009 13:00", "soon", None, "20/04/2009 20:30"],
    ...                         "channel": ["Rai 2", "Rai 1", None, "Rai 3"],
    ...                         "grp": [4.0, 2.0, None, 1.0]}))
       row  day            airing channel  grp
    0    1  Mon  20/04/2009 20:30   Rai 3  1.0
    1    2  Tue  21/04/2009 13:00   Rai 2  4.0
    2    3                   soon   Rai 1  2.0
    """
    rows = rows[["airing", "channel", "grp"]].reset_index(drop=True)
    text = as_text(rows["airing"])
    empty = (text == "") & (as_text(rows["channel"]) == "") & (as_text(rows["grp"]) == "")
    rows, text = rows[~empty].reset_index(drop=True), text[~empty].reset_index(drop=True)
    times = airing_times(text)
    order = sorted(range(len(rows)), key=lambda i: (pd.isna(times[i]), times[i] if pd.notna(times[i])
                                                      else pd.Timestamp(0), i))
    rows, times = rows.iloc[order].reset_index(drop=True), times.iloc[order].reset_index(drop=True)
    day = pd.Series([_WEEKDAYS[t.day_of_week] if pd.notna(t) else "" for t in times], dtype=object)
    # Only the table editor writes GRP here: numbers, or blank (which stays blank, to be asked for).
    return pd.DataFrame({"row": np.arange(1, len(rows) + 1), "day": day,
                         "airing": as_text(rows["airing"]).reset_index(drop=True),
                         "channel": rows["channel"].astype(object),
                         "grp": parse_number(rows["grp"]).to_numpy()})


def airing_times(airing: pd.Series) -> pd.Series:
    """Naive local times of airing texts (day first); NaT where unreadable or without a time.

    Examples
    --------
    >>> airing_times(pd.Series(["04/05/2009 20:30", "04/05/2009", "2009-05-04 21:00"])).tolist()
    [Timestamp('2009-05-04 20:30:00'), NaT, Timestamp('2009-05-04 21:00:00')]
    """
    text = as_text(airing)
    times = pd.Series(pd.DatetimeIndex(parse_times(text, "UTC", dayfirst=True)), index=text.index)
    if times.dt.tz is not None:  # texts with UTC offsets: their wall clock as written
        times = times.dt.tz_localize(None)
    return times.where(text.str.contains(_HAS_TIME))


def edit_rows(rows: pd.DataFrame, edited_rows: Mapping[int, Mapping[str, object]] | None = None,
              added_rows: Sequence[Mapping[str, object]] | None = None,
              deleted_rows: Sequence[int] | None = None) -> pd.DataFrame:
    """``rows`` with a table editor's changes: cells edited, rows deleted, rows added.

    The changes are the state a table editor such as Streamlit's ``data_editor`` keeps:
    ``edited_rows`` maps a row position to ``{column: new value}``, ``added_rows`` lists
    ``{column: value}`` of new rows (at the end), ``deleted_rows`` lists positions. All
    are applied to the same, unedited ``rows``, so every change counts exactly once.
    Positions or columns that ``rows`` does not have are ignored. New rows have no
    ``row`` number (messages call them "New row 1", ...).

    Examples
    --------
    >>> rows = schedule_rows(pd.DataFrame({"start": pd.to_datetime(["2009-04-20 20:30",
    ...     "2009-04-21 13:00", "2009-04-22 09:00"]), "channel": ["Rai 1", "Rai 2", "Rai 3"],
    ...     "grp": [3.0, 2.0, 2.0]}))
    >>> edit_rows(rows, {1: {"grp": 11}, 0: {"grp": 13}}, [{"airing": "23/04/2009 21:00",
    ...           "channel": "Rai 1", "grp": 5}], [2])
        row  day            airing channel grp
    0     1  Mon  20/04/2009 20:30   Rai 1  13
    1     2  Tue  21/04/2009 13:00   Rai 2  11
    2  <NA>       23/04/2009 21:00   Rai 1   5
    """
    columns = list(rows.columns)
    records = rows.astype(object).to_dict("records")
    for position, change in (edited_rows or {}).items():
        position = int(position)
        if 0 <= position < len(records):
            records[position].update({c: v for c, v in change.items() if c in columns and c != "row"})
    deleted = {int(p) for p in (deleted_rows or [])}
    kept: list[dict] = [r for i, r in enumerate(records) if i not in deleted]
    for added in added_rows or []:
        new = dict.fromkeys(columns)
        new.update({c: v for c, v in added.items() if c in columns and c not in ("row", "day")})
        new["day"] = ""
        kept.append(new)
    out = pd.DataFrame(kept, columns=columns, dtype=object)
    out["row"] = pd.array([r if r is not None and not pd.isna(r) else pd.NA for r in out["row"]],
                          dtype="Int64")
    return out


def row_labels(rows: pd.DataFrame) -> list[str]:
    """How the planner sees each row: "Row 3" (its ``row`` number), or "New row 1", ...

    Examples
    --------
    >>> row_labels(pd.DataFrame({"row": pd.array([3, None, None], dtype="Int64")}))
    ['Row 3', 'New row 1', 'New row 2']
    """
    labels, new = [], 0
    for number in rows["row"]:
        if pd.isna(number):
            new += 1
            labels.append(f"New row {new}")
        else:
            labels.append(f"Row {int(number)}")
    return labels


def spots_from_rows(rows: pd.DataFrame, *, tz: str = "Europe/Rome") -> pd.DataFrame:
    """The schedule a planner's rows describe, checked as `validate_spots` checks it.

    Every row needs an airing with its time (day first: ``20/04/2009 20:30``; ISO is read
    too), a channel and a GRP: a blank GRP is refused (type 0 for an unrated airing), never
    taken as 1. Rows left entirely blank are not airings.

    Raises
    ------
    ValueError
        One line per problem, each naming the row as the planner sees it ("Row 3",
        "New row 1", see `row_labels`) and the column by its title (`ROW_TITLES`).

    Examples
    --------
    >>> rows = pd.DataFrame({"row": [1, 2], "day": ["Mon", "Mon"], "channel": ["Rai 1", "Rai 2"],
    ...                      "airing": ["20/04/2009 20:30", "20/04/2009 21:00"], "grp": [8.0, 0.0]})
    >>> spots_from_rows(rows)[["start", "channel", "grp"]]
                          start channel  grp
    0 2009-04-20 20:30:00+02:00   Rai 1  8.0
    1 2009-04-20 21:00:00+02:00   Rai 2  0.0
    >>> spots_from_rows(rows.assign(grp=[-5.0, None]))
    Traceback (most recent call last):
    ...
    ValueError: Row 1, GRP: must be a number >= 0 (0 for an unrated airing), got -5
    Row 2, GRP: blank; enter the airing's GRP (0 for an unrated airing)
    """
    labels = row_labels(rows)
    frame = pd.DataFrame({S.START: as_text(rows["airing"]).to_numpy(),
                          S.CHANNEL: rows["channel"].astype(object).to_numpy(),
                          S.GRP: rows["grp"].astype(object).to_numpy()})
    blank = frame.apply(lambda col: as_text(col) == "").all(axis=1).to_numpy()
    labels = [label for label, b in zip(labels, blank, strict=True) if not b]
    frame = frame[~blank].reset_index(drop=True)
    titles = {S.START: ROW_TITLES["airing"], S.CHANNEL: ROW_TITLES["channel"], S.GRP: ROW_TITLES["grp"]}
    return _check(frame, tz, lambda row, col: f"{labels[row]}, {titles[col]}", editor=True,
                  dayfirst=True)


def channel_warnings(rows: pd.DataFrame, response: CampaignResponse | None) -> list[str]:
    """A warning per channel name the forecast model was not fitted on, naming its rows.

    Names match fitted channels ignoring case and spacing (`CampaignResponse.resolve`).
    An unknown channel's airings get the mean strength of the fitted channels; a name
    close to a fitted one is suggested.

    Examples
    --------
    >>> r = CampaignResponse(calls_per_grp={"Rai 1": 2.0, "Rai 2": 1.0})
    >>> rows = pd.DataFrame({"row": [1, 2, 3], "channel": ["rai 1", "Rai2", "Rai2"]})
    >>> channel_warnings(rows, r)
    ["Row 2, Row 3, Channel: 'Rai2' is not a channel of the forecast model (Rai 1, Rai 2); \
its airings get the mean strength of the fitted channels. Did you mean Rai 2?"]
    """
    if response is None:
        return []
    known = sorted(set(response.calls_per_grp) | set(response.lift_per_grp))
    if not known:
        return []
    keys = {_name_key(k): k for k in known}
    where: dict[str, list[str]] = {}
    for label, name in zip(row_labels(rows), as_text(rows["channel"]), strict=True):
        if name and response.resolve(name) is None:
            where.setdefault(name, []).append(label)
    out = []
    for name, labels in where.items():
        close = difflib.get_close_matches(_name_key(name), list(keys), n=1, cutoff=0.6)
        hint = f" Did you mean {keys[close[0]]}?" if close else ""
        listed = ", ".join(labels[:5]) + (f" and {len(labels) - 5} more" if len(labels) > 5 else "")
        out.append(f"{listed}, Channel: {name!r} is not a channel of the forecast model "
                   f"({', '.join(known)}); its airings get the mean strength of the fitted "
                   f"channels.{hint}")
    return out


def _check(frame: pd.DataFrame, tz: str, where: Callable[[int, str], str], *,
           decimal: str | None = None, editor: bool = False,
           dayfirst: bool | None = None) -> pd.DataFrame:
    """Normalise a schedule with canonical columns; every problem named by ``where(row, column)``.

    ``editor``: rows typed by hand, where an airing needs its time and a GRP is required.
    ``dayfirst``: how numeric dates are written (``None``: as ``tz``'s country writes them).
    """
    first = resolve_dayfirst(dayfirst, tz)
    problems: list[tuple[int, int, str]] = []

    def add(row: int, order: int, text: str) -> None:
        problems.append((row, order, text))

    start = frame[S.START]
    if pd.api.types.is_datetime64_any_dtype(start):
        idx = pd.DatetimeIndex(start)
        for row in _positions(idx.isna()):
            add(row, 0, f"{where(row, S.START)}: blank; enter the airing's date and time")
    else:
        text = as_text(start)
        parsed = parse_times(text, tz, first)
        bad = parsed.isna().to_numpy().copy()
        if editor:
            bad |= ~text.str.contains(_HAS_TIME).to_numpy()
        other_way = parse_times(text, tz, not first).notna().to_numpy() if bad.any() else bad
        example = "20/04/2009 20:30, day first" if first else "04/20/2009 20:30, month first"
        for row in _positions(bad):
            got = text.iloc[row]
            hint = (f"; {'month' if first else 'day'} first it reads: give {option_of(not first)}"
                    if other_way[row] and not editor else "")
            add(row, 0, f"{where(row, S.START)}: " + (
                "blank; enter the airing's date and time (e.g. 20/04/2009 20:30)" if not got else
                f"cannot read {got!r} as a date and time (expected e.g. {example}, 24-hour)"
                + hint))
        idx = pd.DatetimeIndex(parsed.where(~bad))
    if idx.tz is None:
        localized = idx.tz_localize(tz, ambiguous="NaT", nonexistent="shift_forward")
        for row in _positions(np.asarray(localized.isna()) & ~np.asarray(idx.isna())):
            add(row, 0, f"{where(row, S.START)}: {start.iloc[row]!r} is ambiguous in "
                                     f"{tz} (clock change); give the UTC offset")
        idx = localized
    else:
        idx = idx.tz_convert(tz)
    frame[S.START] = idx
    channel = as_text(frame[S.CHANNEL])
    for row in _positions((channel == "") | channel.isin(["nan", "None"])):
        add(row, 1, f"{where(row, S.CHANNEL)}: empty channel name")
    frame[S.CHANNEL] = channel.astype(str)
    grp_rule = ">= 0 (0 for an unrated airing)" if editor else ">= 0 (blank: unrated)"
    for order, (col, default, blank, allowed, ok) in enumerate((
            (S.GRP, 1.0, np.nan, grp_rule, lambda x: x >= 0),
            (S.DURATION_S, 30.0, 30.0, "> 0", lambda x: x > 0)), start=2):
        if col not in frame.columns:
            frame[col] = default
            continue
        raw = frame[col]
        if pd.api.types.is_numeric_dtype(raw):  # the common case, without text checks
            missing = raw.isna().to_numpy()
        else:
            missing = as_text(raw).isin(["", "nan", "None"]).to_numpy()
        values = parse_number(raw, decimal).to_numpy(dtype=float)
        bad = ~missing & ~(np.isfinite(values) & ok(np.nan_to_num(values, nan=-1.0)))
        if col == S.GRP and editor:
            for row in _positions(missing):
                add(row, order, f"{where(row, col)}: blank; enter the airing's GRP "
                                             "(0 for an unrated airing)")
        for row in _positions(bad):
            got = raw.iloc[row]
            got = repr(got) if isinstance(got, str) else f"{got:g}" if isinstance(
                got, (float, int, np.number)) else f"{got}"
            add(row, order, f"{where(row, col)}: must be a number {allowed}, got {got}")
        frame[col] = np.where(missing, blank, values).astype(float)
    if problems:
        lines = [text for _, _, text in sorted(problems, key=lambda p: (p[0], p[1]))]
        more = len(lines) - _SHOWN
        raise ValueError("\n".join(lines[:_SHOWN] + ([f"... and {more} more"] if more > 0 else [])))
    return frame.sort_values(S.START, kind="stable").reset_index(drop=True)


def _positions(mask) -> list[int]:
    return np.flatnonzero(np.asarray(mask)).tolist()
