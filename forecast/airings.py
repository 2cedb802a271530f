"""Calls due to each airing on its own: the campaign response split airing by airing.

Once the saturation of every break is fixed, the response is a sum of per-airing terms
(see `forecast.campaign`): an airing's fast spike and its carry-over lift depend on no
other airing. So the calls of any subset of a set of airings are the sum of their rows
here, which is what a schedule optimiser needs. Each airing is saturated *alone*: two
airings of one channel in the same minute (one break) would be saturated together by
`CallForecaster.predict`, so the sum of their rows overstates that break; keep at most
one airing per channel and minute when adding rows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from . import schema as S
from .campaign import SpotArrays, carryover_base, features
from .components import fine_grid
from .grid import unix_s
from .spots import validate_spots

if TYPE_CHECKING:
    from .model import CallForecaster

_ROW = "_airing_row"


def airing_calls(model: CallForecaster, index: pd.DatetimeIndex, spots: pd.DataFrame) -> np.ndarray:
    """Expected calls each airing adds to each interval when it airs alone.

    Parameters
    ----------
    model : CallForecaster
        A fitted forecaster.
    index : DatetimeIndex
        Regular interval starts (as for `CallForecaster.predict`).
    spots : DataFrame
        Airings (spot contract); rows keep their order (no sorting).

    Returns
    -------
    ndarray, shape (len(spots), len(index))
        Row ``i``: ``predict(index, spots.iloc[[i]])`` minus ``predict(index, None)``, the
        fast spike and the carry-over of airing ``i``, saturated on its own. For airings
        in the window that share no channel and minute, the rows add up to
        ``predict(index, spots)`` minus ``predict(index, None)``.

    Examples
    --------
    >>> from forecast import CallForecaster, CampaignResponse
    >>> from forecast.synthetic import make_campaign
    >>> truth = make_campaign(days=14, campaign_from_day=7, seed=3)
    >>> model = CallForecaster(response=truth.truth).fit(truth.history)
    >>> idx = pd.date_range("2024-01-22", periods=288, freq="5min", tz="Europe/Rome")
    >>> plan = pd.DataFrame({"start": ["2024-01-22 10:00", "2024-01-22 15:00"],
    ...                      "channel": ["Rai 1", "Rai 2"], "grp": [5.0, 3.0]})
    >>> rows = airing_calls(model, idx, plan)
    >>> both = model.predict(idx, plan, quantiles=())["mean"] - model.predict(idx, None,
    ...                                                                   quantiles=())["mean"]
    >>> rows.shape, bool(np.allclose(rows.sum(axis=0), both))
    ((2, 288), True)
    """
    model._check_fitted()
    assert model.baseline_ is not None and model.response is not None
    index = model._index(index)
    # validate_spots sorts by start: give the rows back in the caller's order.
    frame = validate_spots(_numbered(spots), tz=model.tz).sort_values(_ROW).reset_index(drop=True)
    response = model.response
    grid = fine_grid(model, index)
    base = grid.base
    mix = response.carryover_mix
    lifted = carryover_base(base, model._flat(grid.fine, base, grid.holidays), mix) \
        if mix > 0 else base
    names = tuple(response.resolve(c) or c for c in frame[S.CHANNEL])
    # One "channel" per airing: no two airings share a break, so each is saturated alone.
    arrays = SpotArrays(time_s=unix_s(pd.DatetimeIndex(frame[S.START])),
                        channel=np.arange(len(frame), dtype=np.int64),
                        grp=frame[S.GRP].to_numpy(dtype=float), names=names)
    fast_share, stock = features(float(grid.bounds_s[0]), grid.fine_s, grid.n_fine, arrays,
                                 response)
    v = np.array([response.strength(c)[0] for c in names])
    beta = np.array([response.strength(c)[1] for c in names])
    per_fine = v[:, None] * fast_share * grid.open_ + beta[:, None] * stock * lifted
    return grid.to_index(per_fine.reshape(len(frame), grid.n_fine), len(index))


def _numbered(spots: pd.DataFrame) -> pd.DataFrame:
    if not isinstance(spots, pd.DataFrame):
        raise ValueError(f"spots must be a DataFrame, got {type(spots).__name__}")
    return spots.reset_index(drop=True).assign(**{_ROW: np.arange(len(spots))})
