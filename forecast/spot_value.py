"""Is the spot schedule worth reading? Spot-aware against spot-blind on held-out windows.

One fit at a cut-off, then each window is forecast three ways from the history before
it: with the spots that aired in the window, blind to them, and by the average of the
same weekday and time over the four weeks before the cut-off (the planner's spreadsheet).
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from . import metrics as M
from . import schema as S
from .benchmarks import weekday_average
from .model import CallForecaster


def spot_value(history: pd.DataFrame, spots: pd.DataFrame, cutoff, windows: dict, *,
               freq: str | None = None, model: Callable[[], CallForecaster] | None = None,
               ) -> pd.DataFrame:
    """WAPE and 80 % band coverage per window, with and without the spots.

    Parameters
    ----------
    history : DataFrame
        The history contract (tz-aware), covering the cut-off and the windows.
    spots : DataFrame
        Every airing (before and in the windows).
    cutoff : str or Timestamp
        Fit on the history (and spots) before this time.
    windows : dict
        ``name -> (start, end)`` of the windows to score (end exclusive).
    freq : str, optional
        Resolution of the forecasts (default: the history's).
    model : callable, optional
        Returns a fresh unfitted forecaster (default ``CallForecaster()``).

    Returns
    -------
    DataFrame
        One row per window: ``wape_with_spots``, ``wape_without_spots``,
        ``wape_weekday_average_4``, ``coverage_with_spots``, ``coverage_without_spots``,
        ``improvement`` (1 - with / without).
    """
    model = model or CallForecaster
    tz = getattr(history.index, "tz", None)
    if tz is None:
        raise ValueError("history must be tz-aware for spot_value")
    cut = pd.Timestamp(cutoff)
    cut = cut.tz_localize(tz) if cut.tz is None else cut.tz_convert(tz)
    starts = pd.DatetimeIndex(spots[S.START])
    starts = starts.tz_localize(tz) if starts.tz is None else starts.tz_convert(tz)
    past = history[history.index < cut]
    aware = model().fit(past, spots[starts < cut])
    blind = model().fit(past)
    step = freq or pd.Timedelta(history.index[1] - history.index[0])
    calls = history[S.CALLS].resample(step).sum(min_count=1)
    rows = {}
    for name, (a, b) in windows.items():
        a, b = (pd.Timestamp(x).tz_localize(tz) if pd.Timestamp(x).tz is None
                else pd.Timestamp(x).tz_convert(tz) for x in (a, b))
        idx = pd.date_range(a, b, freq=step, inclusive="left", name=S.INDEX)
        actual = calls.reindex(idx).to_numpy()
        plan = spots[(starts >= a) & (starts < b)]
        with_spots = aware.predict(idx, plan)
        without = blind.predict(idx)
        average = weekday_average(calls, idx, cut)
        w_with, w_without = (M.wape(actual, f[S.MEAN]) for f in (with_spots, without))
        rows[name] = {
            "wape_with_spots": w_with, "wape_without_spots": w_without,
            "wape_weekday_average_4": M.wape(actual, average),
            "coverage_with_spots": M.coverage(actual, with_spots["p10"], with_spots["p90"]),
            "coverage_without_spots": M.coverage(actual, without["p10"], without["p90"]),
            "improvement": 1.0 - w_with / w_without}
    return pd.DataFrame(rows).T
