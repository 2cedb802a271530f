"""Reading tables (CSV or Excel, as picco or a spreadsheet writes them) and a call history.

Spreadsheets saved in Italy come as "CSV (separato da punto e virgola)": semicolons
between fields, decimal commas, day-first dates and Windows (cp1252) text. `read_table`
reads those as well as plain comma-separated UTF-8 files, and `parse_times` and
`parse_number` read the values either way.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import schema as S
from .calendar import AUTO, DEFAULT_TZ, check_zone, zone_from_offsets
from .grid import localize_wall_clock

_HAS_OFFSET = r"(?:[+-]\d\d:?\d\d|Z)$"
_OFFSET = r"([+-])(\d\d):?(\d\d)$"
# Day first, as written in Italy (and most of Europe): 04/05/2009 is 4 May. A date that starts
# with the day is never read month-first, even when both readings exist.
_DAY_FIRST = re.compile(
    r"^(?P<d>\d{1,2})(?P<sep>[/.\-])(?P<m>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})"
    r"(?:(?:\s+|T|,\s*)(?P<H>\d{1,2})[:.](?P<M>\d{2})(?:[:.](?P<S>\d{2}(?:[.,]\d+)?))?"
    r"(?:\s*(?P<ampm>[AaPp]\.?[Mm]\.?))?)?"
    r"(?P<off>\s*(?:[+-]\d\d:?\d\d|Z))?$")
_EXCEL_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")  # xlsx (zip), xls (OLE)
_DELIMITERS = ";,\t|"
_HISTORY_HEADERS = {"interval start": S.INDEX, "data e ora": S.INDEX, "data ora": S.INDEX,
                    "data/ora": S.INDEX, "dataora": S.INDEX, "inizio": S.INDEX,
                    "inizio intervallo": S.INDEX, "datetime": S.INDEX, "timestamp": S.INDEX,
                    "data": "date", "giorno": "date", "ora": "time", "orario": "time",
                    "chiamate": S.CALLS, "aht": S.AHT_S, "aht (s)": S.AHT_S}


def header_key(name: object) -> str:
    r"""A column header as picco matches it: no case, no surrounding space, ``_`` as space.

    Examples
    --------
    >>> header_key(" Data_e  Ora "), header_key("\ufeffGRP")
    ('data e ora', 'grp')
    """
    text = str(name).replace("\ufeff", "").replace("_", " ")
    return re.sub(r"\s+", " ", text).strip().casefold()


def day_first_to_iso(text: pd.Series) -> pd.Series:
    """Rewrite day-first dates (``DD/MM/YYYY HH:MM``, ``/``, ``.`` or ``-``) as ISO text.

    Other text (ISO dates, text with month names) is returned unchanged. A day-first date
    that does not exist (31/02) becomes text that no parser reads, never a month-first date.

    Examples
    --------
    >>> day_first_to_iso(pd.Series(["04/05/2009 20.30", "4.5.09", "2009-04-05 20:30",
    ...                             "04/05/2009 8:30 PM", "31/02/2009"])).tolist()
    ['2009-05-04 20:30:00', '2009-05-04 00:00:00', '2009-04-05 20:30', '2009-05-04 20:30:00', \
'not a date: 31/02/2009']
    """
    text = text.astype(str).str.strip()
    parts = text.str.extract(_DAY_FIRST)
    hit = parts["d"].notna().to_numpy()
    if not hit.any():
        return text
    p = parts[hit]
    year = p["y"].astype(int)
    two_digits = (p["y"].str.len() == 2).to_numpy()
    year = year + np.where(two_digits, np.where(year < 70, 2000, 1900), 0)
    hour = p["H"].fillna("0").astype(int)
    ampm = p["ampm"].fillna("").str.replace(".", "", regex=False).str.lower()
    twelve = ampm != ""
    bad_hour = twelve & ((hour < 1) | (hour > 12))
    hour = hour.where(~twelve, hour % 12 + np.where(ampm == "pm", 12, 0))
    seconds = p["S"].fillna("00").str.replace(",", ".", regex=False)
    iso = (year.astype(str).str.zfill(4) + "-" + p["m"].str.zfill(2) + "-" + p["d"].str.zfill(2)
           + " " + hour.astype(str).str.zfill(2) + ":" + p["M"].fillna("00") + ":"
           + seconds.str.zfill(2) + p["off"].fillna("").str.strip())
    # Checked here: "mixed" parsing would read an impossible day-first date month-first.
    real = pd.to_datetime(iso.str.slice(0, 19), errors="coerce", format="%Y-%m-%d %H:%M:%S")
    iso = iso.where(real.notna() & ~bad_hour, "not a date: " + text[hit])
    out = text.copy()
    out[hit] = iso
    return out


def parse_times(text: pd.Series, tz: str) -> pd.Series:
    """Parse timestamps; ones with UTC offsets (``+02:00``, as written by picco) go to ``tz``.

    Day-first dates (``04/05/2009 20:30`` is 4 May) are read day first, ISO dates as ISO
    (see `day_first_to_iso`). Unreadable entries become NaT for the caller to report.

    Examples
    --------
    >>> parse_times(pd.Series(["04/05/2009 20:30", "2009-05-04 21:00"]), "Europe/Rome").tolist()
    [Timestamp('2009-05-04 20:30:00'), Timestamp('2009-05-04 21:00:00')]
    """
    text = day_first_to_iso(text)
    offset = text.str.contains(_HAS_OFFSET)
    if len(text) and offset.all():
        return _to_datetime(text, utc=True).dt.tz_convert(tz)
    if not offset.any():
        return _to_datetime(text, utc=False)
    # A few times with offsets among naive ones: read those as wall clock in ``tz`` too.
    out = _to_datetime(text.where(~offset, ""), utc=False)
    out[offset] = _to_datetime(text[offset], utc=True).dt.tz_convert(tz).dt.tz_localize(None)
    return out


def _to_datetime(text: pd.Series, utc: bool) -> pd.Series:
    # ISO text (picco's own, and every day-first date once rewritten) parses fast; only the
    # rest goes through the slow element-by-element "mixed" parser.
    try:
        out = pd.to_datetime(text, errors="coerce", format="ISO8601", utc=utc)
    except (ValueError, TypeError):  # naive and offset times mixed: let "mixed" say
        return pd.to_datetime(text, errors="coerce", format="mixed", utc=utc)
    rest = out.isna() & (text != "")
    if rest.any():
        out[rest] = pd.to_datetime(text[rest], errors="coerce", format="mixed", utc=utc)
    return out


def parse_number(values: pd.Series, decimal: str = ".") -> pd.Series:
    """Numbers as spreadsheets write them: ``12.5``, ``12,5``, ``1.234,5``, ``1,234.5``.

    A lone comma is a decimal comma. ``decimal=","`` (a file that writes decimal commas)
    reads ``1.234`` as a thousand two hundred and thirty-four; otherwise a lone point is
    the decimal point. Blank or unreadable entries become NaN for the caller to report.

    Examples
    --------
    >>> parse_number(pd.Series(["12,5", "1.234,5", "7", "", "abc", "1.234"]), ",").tolist()
    [12.5, 1234.5, 7.0, nan, nan, 1234.0]
    >>> parse_number(pd.Series(["1.234", "-3,5", "1,234.5"])).tolist()
    [1.234, -3.5, 1234.5]
    """
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        return values.astype(float)
    numeric = values.map(lambda v: isinstance(v, (int, float, np.number)) and not isinstance(v, bool))
    text = values.astype(str).str.strip().str.replace(r"[\s\u00a0\u202f']", "", regex=True)
    comma_last = text.str.rfind(",") > text.str.rfind(".")
    both = text.str.contains(",", regex=False) & text.str.contains(".", regex=False)
    grouped_points = text.str.fullmatch(r"[+-]?\d{1,3}(?:\.\d{3})+")
    drop_points = (both & comma_last) | (grouped_points if decimal == "," else False)
    text = text.where(~drop_points, text.str.replace(".", "", regex=False))
    text = text.where(~(both & ~comma_last), text.str.replace(",", "", regex=False))
    text = text.str.replace(",", ".", regex=False)
    number = text.str.fullmatch(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?").fillna(False)
    out = pd.to_numeric(text.where(number), errors="coerce").astype(float)
    if numeric.any():  # a mixed column (Excel cells): numbers stay numbers
        out[numeric] = pd.to_numeric(values[numeric], errors="coerce").astype(float)
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
        return _cell_text(value)

    def clock(value: object) -> str:
        if isinstance(value, (dt.time, dt.datetime)):
            return value.strftime("%H:%M:%S")
        if isinstance(value, dt.timedelta):  # pd.Timedelta too
            seconds = int(round(value.total_seconds()))
            return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
        if isinstance(value, (float, np.floating)) and 0 <= value < 1:  # Excel: share of a day
            seconds = int(round(float(value) * 86400))
            return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
        return _cell_text(value)

    out = []
    for d, t in zip(date.tolist(), time.tolist(), strict=True):
        d_text, t_text = day(d), clock(t)
        out.append(f"{d_text} {t_text}" if d_text and t_text else
                   f"{d_text} (no time)" if d_text else f"(no date) {t_text}".strip())
    return pd.Series(out, index=date.index, dtype=object)


def as_text(values: pd.Series) -> pd.Series:
    """Cells as text: blanks become ``""``, spreadsheet dates ISO text.

    Examples
    --------
    >>> as_text(pd.Series([pd.Timestamp("2009-04-20 20:30"), None, " 20/04/2009 "])).tolist()
    ['2009-04-20 20:30:00', '', '20/04/2009']
    """
    return pd.Series([_cell_text(v) for v in values.tolist()], index=values.index, dtype=object)


def _cell_text(value: Any) -> str:
    if value is None or (not isinstance(value, str) and bool(pd.isna(value))):
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def column_names(frame: pd.DataFrame, aliases: dict[str, str]) -> dict[str, str]:
    """``{contract name: header in the file}``; headers matched by `header_key`, then ``aliases``.

    Examples
    --------
    >>> column_names(pd.DataFrame(columns=["Data", "Ora", "Canale", "GRP"]),
    ...              {"data": "date", "ora": "time", "canale": "channel"})
    {'date': 'Data', 'time': 'Ora', 'channel': 'Canale', 'grp': 'GRP'}
    """
    found: dict[str, str] = {}
    for column in frame.columns:
        key = header_key(column)
        found.setdefault(aliases.get(key, key), column)
    return found


def sniff_delimiter(text: str) -> str:
    r"""The field separator of delimited text: ``;``, ``,``, tab or ``|``.

    The separator that splits the header into the most fields, and most of the following
    lines into as many, wins; `csv.Sniffer` decides otherwise, and a single column is ``,``.

    Examples
    --------
    >>> sniff_delimiter("data;ora;canale;grp\n20/04/2009;20:30;Rai 1;8,5\n")
    ';'
    >>> sniff_delimiter('start,channel,grp\n2009-04-20 20:30,"Rai 1",8.5\n')
    ','
    """
    lines = [line for line in text.splitlines() if line.strip()][:50]
    if not lines:
        return ","
    best, best_fields = None, 1
    for delimiter in _DELIMITERS:
        counts = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
        header, rest = counts[0], counts[1:]
        consistent = not rest or sum(c == header for c in rest) >= 0.8 * len(rest)
        if header > best_fields and consistent:
            best, best_fields = delimiter, header
    if best is not None:
        return best
    try:
        return csv.Sniffer().sniff("\n".join(lines), delimiters=_DELIMITERS).delimiter
    except csv.Error:
        return ","


def read_table(path: str | Path, what: str) -> pd.DataFrame:
    r"""Read a CSV or Excel file, or raise a ValueError that names ``what`` file failed.

    Excel is told by the file's content, not its name. Delimited text may be UTF-8 or
    Windows (cp1252) text, separated by ``;``, ``,``, tab or ``|`` (sniffed, or given by an
    Excel ``sep=;`` first line); with ``;`` numbers are read with decimal commas. CSV cells
    stay text, for `parse_times` and `parse_number`.

    Returns
    -------
    DataFrame
        Headers as written; blank rows dropped; the index is each row's row number in
        the spreadsheet (the header is row 1), for error messages. ``attrs["decimal"]``
        is the file's decimal separator.

    Examples
    --------
    >>> import tempfile, os
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = os.path.join(folder, "palinsesto.csv")
    ...     with open(path, "wb") as f:
    ...         _ = f.write("Data;Ora;Canale;GRP\n20/04/2009;20:30;Rai Tre;8,5\n;;;\n"
    ...                     .encode("cp1252"))
    ...     table = read_table(path, "spot")
    >>> table.to_dict("index"), table.attrs["decimal"]
    ({2: {'Data': '20/04/2009', 'Ora': '20:30', 'Canale': 'Rai Tre', 'GRP': '8,5'}}, ',')
    """
    path = Path(path)
    if not path.exists():
        raise ValueError(f"{what} file {str(path)!r} does not exist")
    data = path.read_bytes()
    try:
        if data.startswith(_EXCEL_MAGIC):
            frame, first_row, decimal = pd.read_excel(io.BytesIO(data)), 2, "."
        else:
            frame, first_row, decimal = _read_text(data)
    except ImportError as exc:  # an old .xls file needs xlrd
        raise ValueError(f"{what} file {str(path)!r}: cannot read this Excel format ({exc}); "
                         "save it as .xlsx or CSV") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, csv.Error, ValueError) as exc:
        raise ValueError(f"{what} file {str(path)!r} is not a readable table: {exc}") from None
    frame.index = pd.RangeIndex(first_row, first_row + len(frame))
    empty = [c for c in frame.columns if str(c).startswith("Unnamed:") and frame[c].isna().all()]
    frame = frame.drop(columns=empty)
    frame = frame[~frame.isna().all(axis=1)]  # blank lines, and Excel's ";;;" rows
    frame.attrs["decimal"] = decimal
    return frame


def _read_text(data: bytes) -> tuple[pd.DataFrame, int, str]:
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    first_line = text.split("\n", 1)[0].strip().strip('"')
    skip = 0
    if re.fullmatch(r"sep=.", first_line):  # Excel's own hint for the separator
        delimiter, skip = first_line[-1], 1
    else:
        delimiter = sniff_delimiter(text)
    frame = pd.read_csv(io.StringIO(text), sep=delimiter, dtype=str, skiprows=skip,
                        skipinitialspace=True, keep_default_na=False, na_values=[""],
                        skip_blank_lines=False)
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame, skip + 2, "," if delimiter == ";" else "."


def zone_of_times(text: pd.Series) -> tuple[str, str]:
    """The zone to read these timestamps in, and why (see `forecast.calendar.zone_from_offsets`).

    Examples
    --------
    >>> zone_of_times(pd.Series(["2024-01-10 08:00", "2024-01-10 08:30"]))
    ('Europe/Rome', 'default (naive timestamps)')
    >>> zone_of_times(pd.Series(["2024-01-10T08:00Z", "2024-07-10T08:00Z"]))
    ('UTC', 'fixed UTC offset of the times')
    """
    text = day_first_to_iso(text)
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

    Italian headers are read too (``data e ora``, or ``data`` + ``ora``, and ``chiamate``),
    and files as `read_table` reads them (semicolons, decimal commas, day-first dates).
    ``tz="auto"`` reads naive times in ``Europe/Rome`` and finds the zone of times that carry
    UTC offsets (`zone_of_times`); the frame's ``attrs["tz_source"]`` says how.

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
        tz, source = zone_of_times(text)
    else:
        tz, source = check_zone(tz), "given"
    times = parse_times(text, tz)
    if times.isna().any():
        row = int(times.isna().to_numpy().nonzero()[0][0])
        raise ValueError(f"row {raw.index[row]}, column {where}: cannot read {text.iloc[row]!r} "
                         "as a time (expected e.g. 20/04/2009 08:15 or 2009-04-20 08:15)")
    decimal = raw.attrs.get("decimal", ".")
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

