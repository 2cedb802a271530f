"""Numbers as spreadsheets write them: decimal commas, thousands separators, typed cells."""

from __future__ import annotations

import numpy as np
import pandas as pd


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
