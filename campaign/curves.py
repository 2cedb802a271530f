"""Calls per interval for any set of breaks, as a sum of per-break curves.

`forecast.airings.airing_calls` gives each break's calls when it airs alone (saturated on
its own: a break is one channel in one minute, see `campaign.candidates`). Adding the
rows of the booked breaks to the forecast without them is then exact, which
`linearity_error` checks against the forecaster's own prediction.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from forecast import CallForecaster
from forecast.airings import airing_calls


@dataclass(frozen=True)
class BreakCurves:
    """Expected calls per interval without the breaks, and each break's addition.

    Attributes
    ----------
    index : DatetimeIndex
        The forecast window's intervals.
    reference : ndarray, shape (intervals,)
        Calls without any break of the table (the schedule's airings outside the window,
        and the history's before it, still add their carry-over).
    calls : ndarray, shape (breaks, intervals)
        Calls each break adds.
    """

    index: pd.DatetimeIndex
    reference: np.ndarray
    calls: np.ndarray

    def forecast(self, booked: np.ndarray) -> np.ndarray:
        """Expected calls per interval with the ``booked`` breaks."""
        return self.reference + booked.astype(float) @ self.calls


def break_curves(model: CallForecaster, index: pd.DatetimeIndex, breaks: pd.DataFrame,
                 outside: pd.DataFrame) -> BreakCurves:
    """Per-break call curves over ``index`` (see `forecast.airings.airing_calls`)."""
    background = outside if len(outside) else None
    reference = model.predict(index, background, quantiles=())["mean"].to_numpy()
    calls = airing_calls(model, index, breaks[["start", "channel", "grp"]])
    return BreakCurves(index=index, reference=reference, calls=calls)


def linearity_error(full: np.ndarray, curves: BreakCurves, booked: np.ndarray) -> float:
    """Largest gap between a forecast and the sum of its breaks' curves, relative.

    ``full`` is the forecaster's prediction (mean) of the schedule made of the ``booked``
    breaks (and the airings outside the window); the gap is relative to the largest
    campaign-driven calls of an interval.

    Examples
    --------
    >>> idx = pd.date_range("2009-04-20", periods=2, freq="5min")
    >>> c = BreakCurves(idx, np.array([1.0, 1.0]), np.array([[2.0, 0.0], [0.0, 3.0]]))
    >>> linearity_error(np.array([3.0, 4.0]), c, np.array([True, True]))
    0.0
    """
    summed = curves.forecast(booked)
    scale = max(float(np.abs(full - curves.reference).max(initial=0.0)), 1e-12)
    return float(np.abs(full - summed).max(initial=0.0) / scale)
