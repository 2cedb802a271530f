"""Excel export of a plan: one workbook, one sheet per table (openpyxl)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd


def _naive(frame: pd.DataFrame) -> pd.DataFrame:
    """Excel has no time zones: write local wall-clock times."""
    out = frame.copy()
    if isinstance(out.index, pd.DatetimeIndex) and out.index.tz is not None:
        out.index = out.index.tz_localize(None)
    for col in out.columns:
        if isinstance(out[col].dtype, pd.DatetimeTZDtype):
            out[col] = out[col].dt.tz_localize(None)
    return out


def write_workbook(path: str | Path, summary: dict, sheets: dict[str, pd.DataFrame]) -> None:
    """Write ``summary`` (a two-column sheet) and each frame of ``sheets`` to ``path``.

    Raises
    ------
    ValueError
        If the file cannot be written (folder missing, file open elsewhere).
    """
    try:
        with pd.ExcelWriter(path, engine="openpyxl") as xl:
            pd.DataFrame({"item": list(summary), "value": [str(v) if not isinstance(
                v, (int, float)) else v for v in summary.values()]}).to_excel(
                xl, sheet_name="summary", index=False)
            for name, frame in sheets.items():
                _naive(frame).to_excel(xl, sheet_name=name[:31])
    except OSError as exc:
        raise ValueError(f"cannot write workbook {str(path)!r}: {exc}") from None
