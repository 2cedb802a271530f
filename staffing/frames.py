"""Checks on the volume frames staffing reads (history and forecast contracts)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import schema as S


def interval_seconds(index) -> float:
    """Length of the regular step of a volume index, in seconds.

    Raises
    ------
    ValueError
        If the index is not a sorted, duplicate-free ``DatetimeIndex`` with one step.

    Examples
    --------
    >>> import pandas as pd
    >>> interval_seconds(pd.date_range("2009-04-20", periods=3, freq="15min"))
    900.0
    """
    if not isinstance(index, pd.DatetimeIndex):
        raise ValueError(f"the volume index must be a DatetimeIndex of interval starts, "
                         f"got {type(index).__name__}")
    if len(index) < 2:
        raise ValueError("the volume frame needs at least two intervals to know its interval "
                         f"length, got {len(index)}")
    steps = index.to_series().diff().iloc[1:]
    step = steps.iloc[0]
    bad = steps != step
    if step <= pd.Timedelta(0) or bad.any():
        where = steps.index[bad][0] if bad.any() else index[1]
        raise ValueError(f"interval_start must be sorted with one regular step (first step "
                         f"{step}); the step changes at {where}")
    return float(step.total_seconds())


def volume_column(volume: pd.DataFrame, quantile: float | None) -> str:
    """Pick the column of calls: ``pNN`` for a quantile, else ``calls``, else ``mean``."""
    if not isinstance(volume, pd.DataFrame):
        raise ValueError(f"volume must be a DataFrame, got {type(volume).__name__}")
    if quantile is not None:
        name = S.quantile_column(quantile)
        if name not in volume.columns:
            have = [c for c in volume.columns if str(c).startswith("p")]
            raise ValueError(f"quantile={quantile} needs a forecast column {name!r}; "
                             f"the frame has {have or 'no quantile columns'}")
        return name
    for name in (S.CALLS, S.MEAN):
        if name in volume.columns:
            return name
    raise ValueError(f"volume needs a 'calls' (history) or 'mean' (forecast) column, got "
                     f"{list(volume.columns)}")


def check_quantiles(volume: pd.DataFrame) -> None:
    """Refuse quantile columns (``pNN``) that are not finite, negative or cross in a row.

    Raises
    ------
    ValueError
        Naming the column, the value and the row's ``interval_start``.

    Examples
    --------
    >>> import pandas as pd
    >>> idx = pd.date_range("2009-04-20 08:00", periods=2, freq="15min", name="interval_start")
    >>> check_quantiles(pd.DataFrame({"p10": [8, 9], "p90": [12, 13]}, index=idx))
    >>> check_quantiles(pd.DataFrame({"p10": [8, 14], "p90": [12, 13]}, index=idx))
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: quantile columns cross in the row at 2009-04-20 08:15:00: p10 = 14 > p90 = 13 ...
    """
    names = [n for _, n in sorted((float(str(c)[1:]), str(c)) for c in volume.columns
                                  if S.is_quantile_column(str(c)))]
    if not names:
        return
    values = np.column_stack([pd.to_numeric(volume[n], errors="coerce").to_numpy(float)
                              for n in names])
    bad = ~np.isfinite(values) | (values < 0)
    if bad.any():
        row, col = np.argwhere(bad)[0]
        raise ValueError(f"{names[col]} must be a finite number of calls >= 0, got "
                         f"{_shown(volume[names[col]].iloc[row])} in the row at "
                         f"{volume.index[row]}")
    # Rounding in a forecast may leave equal quantiles a hair apart, never more.
    crossed = values[:, :-1] > values[:, 1:] * (1 + 1e-9) + 1e-9
    if crossed.any():
        row, col = np.argwhere(crossed)[0]
        raise ValueError(f"quantile columns cross in the row at {volume.index[row]}: "
                         f"{names[col]} = {values[row, col]:g} > {names[col + 1]} = "
                         f"{values[row, col + 1]:g} (each quantile must be at least the one "
                         "below it)")


def _shown(value) -> str:
    try:
        return f"{float(value):g}"
    except (TypeError, ValueError):
        return repr(value)


def spread_columns(volume: pd.DataFrame) -> tuple[str, float, str, float] | None:
    """The lowest and highest quantile columns of a forecast frame, if it has two.

    Examples
    --------
    >>> import pandas as pd
    >>> spread_columns(pd.DataFrame(columns=["mean", "p10", "p50", "p90"]))
    ('p10', 0.1, 'p90', 0.9)
    """
    qs = sorted((float(str(c)[1:]) / 100, str(c)) for c in volume.columns
                if S.is_quantile_column(str(c)))
    if len(qs) < 2 or qs[0][0] >= 0.5 or qs[-1][0] <= 0.5:
        return None
    return qs[0][1], qs[0][0], qs[-1][1], qs[-1][0]
