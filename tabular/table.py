"""Reading a planner's table (CSV or Excel) from a file, rows numbered as in the spreadsheet."""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path

import pandas as pd

from .numbers import decimal_separator
from .text import decode_text, sniff_delimiter

_SAMPLE_ROWS = 2000  # enough rows to see how a file writes its numbers
_EXCEL_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")  # xlsx (zip), xls (OLE)


def is_excel(data: bytes) -> bool:
    r"""Whether file content is an Excel workbook (xlsx or the older xls), whatever its name.

    Examples
    --------
    >>> is_excel(b"PK\x03\x04..."), is_excel(b"data;ora\n")
    (True, False)
    """
    return data.startswith(_EXCEL_MAGIC)


def read_bytes(path: str | Path, what: str) -> bytes:
    """The content of an input file, or a ValueError naming ``what`` file and the reason.

    A folder, a missing file or one that cannot be read is refused in one line.

    Examples
    --------
    >>> read_bytes("/no/such/file.csv", "history")
    Traceback (most recent call last):
    ...
    ValueError: history file '/no/such/file.csv' does not exist
    """
    path = Path(path)
    shown = repr(str(path))
    if path.is_dir():
        raise ValueError(f"{what} file {shown} is a folder; give the file inside it")
    if not path.exists():
        raise ValueError(f"{what} file {shown} does not exist")
    try:
        return path.read_bytes()
    except OSError as exc:  # no permission, a device, a vanished network share
        raise ValueError(f"{what} file {shown} cannot be read: {exc.strerror or exc}") from None


def read_table(path: str | Path, what: str) -> pd.DataFrame:
    r"""Read a CSV or Excel file, or raise a ValueError that names ``what`` file failed.

    Excel is told by the file's content, not its name. Delimited text may be UTF-8 (with
    or without BOM) or Windows (cp1252) text, separated by ``;``, ``,``, tab or ``|``
    (sniffed, or given by an Excel ``sep=;`` first line); with ``;`` numbers are read with
    decimal commas, otherwise with the decimal separator the numbers show
    (`tabular.numbers.decimal_separator`). CSV cells stay text, for
    `tabular.times.parse_times` and `tabular.numbers.parse_number`.

    Returns
    -------
    DataFrame
        Headers as written; blank rows dropped; the index is each row's row number in
        the spreadsheet (the header is row 1), for error messages. ``attrs["decimal"]``
        is the file's decimal separator, ``None`` when its numbers do not show it.

    Raises
    ------
    ValueError
        When the file is missing, a folder, unreadable or not a table.

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
    data = read_bytes(path, what)
    shown = repr(os.fspath(path))
    if not data.strip():
        raise ValueError(f"{what} file {shown} is empty: it needs a header row and data rows")
    try:
        if is_excel(data):
            frame, first_row = pd.read_excel(io.BytesIO(data)), 2
            decimal = decimal_separator(frame.head(_SAMPLE_ROWS).to_numpy().ravel())  # typed as text
        else:
            frame, first_row, decimal = _read_text(data)
    except ImportError as exc:  # an old .xls file needs xlrd
        raise ValueError(f"{what} file {shown}: cannot read this Excel format ({exc}); "
                         "save it as .xlsx or CSV") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, csv.Error, ValueError) as exc:
        raise ValueError(f"{what} file {shown} is not a readable table: {_first_line(exc)}") from None
    except Exception as exc:  # a damaged workbook: zip, XML and openpyxl errors of many types
        if not is_excel(data):
            raise
        raise ValueError(f"{what} file {shown} is not a readable workbook: {_first_line(exc)}; "
                         "open and save it again in Excel, or save it as CSV") from None
    frame.index = pd.RangeIndex(first_row, first_row + len(frame))
    empty = [c for c in frame.columns if str(c).startswith("Unnamed:") and frame[c].isna().all()]
    frame = frame.drop(columns=empty)
    frame = frame[~frame.isna().all(axis=1)]  # blank lines, and Excel's ";;;" rows
    frame.attrs["decimal"] = decimal
    return frame


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _read_text(data: bytes) -> tuple[pd.DataFrame, int, str | None]:
    text = decode_text(data).replace("\x00", "")
    first_line = text.split("\n", 1)[0].strip().strip('"')
    skip = 0
    if re.fullmatch(r"sep=[^\w\s\"']", first_line):  # Excel's own hint for the separator
        delimiter, skip = first_line[-1], 1
    else:
        delimiter = sniff_delimiter(text)
    frame = pd.read_csv(io.StringIO(text), sep=delimiter, dtype=str, skiprows=skip,
                        skipinitialspace=True, keep_default_na=False, na_values=[""],
                        skip_blank_lines=False)
    frame.columns = [str(c).strip() for c in frame.columns]
    # Semicolons are what Excel writes where the comma is the decimal separator.
    decimal = "," if delimiter == ";" else decimal_separator(
        frame.head(_SAMPLE_ROWS).to_numpy().ravel())
    return frame, skip + 2, decimal
