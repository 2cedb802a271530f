"""Spreadsheet cells as text: blanks, typed dates and whole numbers as a person reads them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd


def cell_text(value: Any) -> str:
    """One cell as text: blank ``""``, a date ISO, a whole float without ``.0``.

    Examples
    --------
    >>> cell_text(None), cell_text(12.0), cell_text(pd.Timestamp("2009-04-20 20:30"))
    ('', '12', '2009-04-20 20:30:00')
    """
    if value is None or (not isinstance(value, str) and bool(pd.isna(value))):
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def as_text(values: pd.Series) -> pd.Series:
    """Cells as text: blanks become ``""``, spreadsheet dates ISO text.

    Examples
    --------
    >>> as_text(pd.Series([pd.Timestamp("2009-04-20 20:30"), None, " 20/04/2009 "])).tolist()
    ['2009-04-20 20:30:00', '', '20/04/2009']
    """
    return pd.Series([cell_text(v) for v in values.tolist()], index=values.index, dtype=object)
