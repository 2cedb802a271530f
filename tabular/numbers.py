"""Numbers as spreadsheets write them: decimal commas, thousands separators, typed cells."""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd


def parse_number(values: pd.Series, decimal: str | None = None) -> pd.Series:
    """Numbers as spreadsheets write them: ``12.5``, ``12,5``, ``1.234,5``, ``1,234.5``.

    ``decimal`` is the file's decimal separator when known (`decimal_separator`): with
    ``","`` a lone point groups thousands (``1.234`` is 1234), with ``"."`` a lone comma
    does (``1,234``). Unknown (``None``): a lone comma is a decimal comma and a lone point
    a decimal point. Blank or unreadable entries become NaN for the caller to report.

    Examples
    --------
    >>> parse_number(pd.Series(["12,5", "1.234,5", "7", "", "abc", "1.234"]), ",").tolist()
    [12.5, 1234.5, 7.0, nan, nan, 1234.0]
    >>> parse_number(pd.Series(["1.234", "-3,5", "1,234.5"])).tolist()
    [1.234, -3.5, 1234.5]
    >>> parse_number(pd.Series(["1,234", "12,5", "2.5"]), ".").tolist()
    [1234.0, 12.5, 2.5]
    """
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        return values.astype(float)
    numeric = values.map(lambda v: isinstance(v, (int, float, np.number)) and not isinstance(v, bool))
    text = values.astype(str).str.strip().str.replace(r"[\s\u00a0\u202f']", "", regex=True)
    comma_last = text.str.rfind(",") > text.str.rfind(".")
    both = text.str.contains(",", regex=False) & text.str.contains(".", regex=False)
    grouped_points = text.str.fullmatch(r"[+-]?\d{1,3}(?:\.\d{3})+")
    grouped_commas = text.str.fullmatch(r"[+-]?\d{1,3}(?:,\d{3})+")
    drop_points = (both & comma_last) | (grouped_points if decimal == "," else False)
    drop_commas = (both & ~comma_last) | (grouped_commas if decimal == "." else False)
    text = text.where(~drop_points, text.str.replace(".", "", regex=False))
    text = text.where(~drop_commas, text.str.replace(",", "", regex=False))
    text = text.str.replace(",", ".", regex=False)
    number = text.str.fullmatch(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?").fillna(False)
    out = pd.to_numeric(text.where(number), errors="coerce").astype(float)
    if numeric.any():  # a mixed column (Excel cells): numbers stay numbers
        out[numeric] = pd.to_numeric(values[numeric], errors="coerce").astype(float)
    return out


_COMMA_DECIMAL = re.compile(r"[+-]?(?:\d+,(?:\d{1,2}|\d{4,})|\d{1,3}(?:\.\d{3})+,\d+)")
_POINT_DECIMAL = re.compile(r"[+-]?(?:\d+\.(?:\d{1,2}|\d{4,})|\d{1,3}(?:,\d{3})+\.\d+)")
_CLOCK = re.compile(r"\d{1,2}[.,]\d{2}")  # 20.30 is half past eight as often as a number


def decimal_separator(cells: Iterable[object], default: str | None = None) -> str | None:
    """The decimal separator that the numbers among ``cells`` show, else ``default``.

    ``12,5`` or ``1.234,5`` show a decimal comma, ``12.5`` or ``1,234.5`` a decimal point;
    ``1,234`` and ``1.234`` show nothing (thousands, or three decimals), nor do what may be
    times (``20.30``) or dates. When both show, ``default``.

    Examples
    --------
    >>> decimal_separator(["240,5", "1.234", "20/04/2009"]), decimal_separator(["1,234", "20.30"])
    (',', None)
    >>> decimal_separator(["1,234.5"], ","), decimal_separator(["12.5", "3,5"], ",")
    ('.', ',')
    """
    comma = point = False
    for cell in cells:
        if not isinstance(cell, str) or not cell:
            continue
        text = cell.strip()
        if _CLOCK.fullmatch(text):
            continue
        comma = comma or bool(_COMMA_DECIMAL.fullmatch(text))
        point = point or bool(_POINT_DECIMAL.fullmatch(text))
        if comma and point:
            return default
    return "," if comma else "." if point else default
