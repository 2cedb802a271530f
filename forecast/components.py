"""What a fitted `CallForecaster` expects per interval, part by part.

The baseline, each channel's fast spikes and slow carry-over lift, and the derivatives
of the expected calls with respect to the campaign parameters (for the variance). They
are computed on a fine grid that every requested interval tiles, then summed back to
the requested intervals.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from tabular.days import day_starts, local_dates

from . import schema as S
from .baseline import BaselineFit
from .campaign import CampaignResponse, SpotArrays, carryover_base, features
from .grid import interval_ends, unix_s
from .spots import validate_spots

if TYPE_CHECKING:
    from .model import CallForecaster


@dataclass
class Components:
    """Expected calls of each interval by part, with their campaign derivatives.

    Attributes
    ----------
    index : DatetimeIndex
        Interval starts.
    baseline : ndarray
        Calls without any campaign, shape ``(n,)``.
    fast, slow : ndarray
        Calls due to each channel's spikes and to its carry-over lift, shape
        ``(channels, n)``.
    design : ndarray
        Derivative of the expected calls with respect to each channel's fast and slow
        strength (calls per GRP, lift per GRP), shape ``(n, 2 * channels)``.
    shape_jacobian : ndarray
        Derivative with respect to the log of each shape parameter, shape ``(n, shapes)``.
    channels : tuple of str
        Channel names, in the order of the rows of ``fast`` and ``slow``.
    day : ndarray
        Day number of each interval from the first (for the level uncertainty).
    """

    index: pd.DatetimeIndex
    baseline: np.ndarray
    fast: np.ndarray
    slow: np.ndarray
    design: np.ndarray
    shape_jacobian: np.ndarray
    channels: tuple
    day: np.ndarray


def without(comp: Components, campaign: bool = False) -> Components:
    """``comp`` without the parts that move with the day's level (and the campaign's errors).

    For `forecast.variance`: its terms in the baseline and carry-over go, and with
    ``campaign`` those of the fast response's strength, shape and day-to-day straying.
    """
    out = replace(comp, baseline=np.zeros_like(comp.baseline), slow=np.zeros_like(comp.slow))
    if campaign:
        out = replace(out, fast=np.zeros_like(comp.fast), design=np.zeros_like(comp.design),
                      shape_jacobian=np.zeros_like(comp.shape_jacobian))
    return out


def spot_arrays(response: CampaignResponse | None, spots: pd.DataFrame, channels: tuple) -> SpotArrays:
    """The spots as arrays, with channel codes in the order of ``channels``.

    Channels of the schedule are matched to the fitted ones of ``response`` ignoring case
    and spacing; channels not among ``channels`` are appended in order of appearance.
    """
    names = list(channels)
    # A schedule's " rai 2 " is the fitted "Rai 2": match ignoring case and spacing.
    label = {ch: (response.resolve(ch) if response is not None else None) or ch
             for ch in pd.unique(spots[S.CHANNEL])}
    for ch in label.values():
        if ch not in names:
            names.append(ch)
    code = {ch: names.index(name) for ch, name in label.items()}
    return SpotArrays(time_s=unix_s(pd.DatetimeIndex(spots[S.START])),
                      channel=np.array([code[c] for c in spots[S.CHANNEL]], dtype=np.int64),
                      grp=spots[S.GRP].to_numpy(dtype=float), names=tuple(names))


def flat_baseline(fit: BaselineFit, index: pd.DatetimeIndex, base: np.ndarray, hol: frozenset,
                  holidays_closed: bool | None) -> np.ndarray:
    """The baseline without its day-type factor: one open day's level, spread by its profile.

    What an additive carry-over adds to (the same calls every open day). Computed
    from the baseline total of each whole day that ``index`` touches, so that any
    window of a day gives the same value.
    """
    days = local_dates(index)
    first, last = day_starts(days[[0, -1]] + pd.to_timedelta([0, 1], unit="D"), index.tz)
    slot = pd.Timedelta(seconds=fit.slot_s)
    full = pd.date_range(first, last, freq=slot, inclusive="left")
    daily = pd.Series(fit.expected(full, hol, holidays_closed),
                      index=full).groupby(local_dates(full)).sum()
    total = daily.reindex(days).to_numpy()
    return np.divide(base * fit.day_level(index), total, out=np.zeros_like(base),
                     where=total > 0)


def effective_spots(history_spots: pd.DataFrame, spots: pd.DataFrame | None, start,
                    tz: str, *, validated: bool = False) -> pd.DataFrame:
    """The plan, preceded by the history's airings that it does not cover.

    Airings of the history before the window start (or before the plan's first airing,
    if the plan reaches back further) still add their carry-over. ``validated``: the plan
    is already the output of `validate_spots` (a prediction checks it once).
    """
    new = spots if validated and spots is not None else validate_spots(spots, tz=tz)
    cut = min(start, new[S.START].min()) if len(new) else start
    old = history_spots[history_spots[S.START] < cut]
    return pd.concat([old, new], ignore_index=True) if len(new) else old


@dataclass(frozen=True)
class FineGrid:
    """A grid that every requested interval tiles, with the baseline on it."""

    bounds_s: np.ndarray  # the requested intervals' edges, Unix seconds
    fine: pd.DatetimeIndex
    fine_s: float
    n_fine: int
    owner: np.ndarray  # the requested interval each fine one belongs to
    holidays: np.ndarray
    base: np.ndarray  # baseline calls per fine interval
    open_: np.ndarray  # 1 where the line is open

    def to_index(self, per_fine: np.ndarray, n: int) -> np.ndarray:
        """Sum fine values back to the ``n`` requested intervals (rows kept)."""
        rows = np.atleast_2d(per_fine)
        out = np.stack([np.bincount(self.owner, weights=r, minlength=n) for r in rows]) \
            if len(rows) else np.zeros((0, n))
        return out[0] if per_fine.ndim == 1 else out


def fine_grid(model: CallForecaster, index: pd.DatetimeIndex, *,
              in_sample: bool = False) -> FineGrid:
    """The fitted ``model``'s baseline on a grid that ``index`` (a 23-hour DST day too) tiles.

    ``in_sample``: days of the history at their own level (see `BaselineFit.expected`).
    """
    assert model.baseline_ is not None
    ends = interval_ends(index)
    bounds_s = np.r_[unix_s(index), unix_s(ends[-1:])]
    widths = np.diff(bounds_s)
    fine_s = float(math.gcd(*{int(w) for w in widths}, int(model.baseline_.slot_s)))
    n_fine = int(round((bounds_s[-1] - bounds_s[0]) / fine_s))
    fine = pd.date_range(index[0], periods=n_fine, freq=pd.Timedelta(seconds=fine_s))
    owner = np.searchsorted(bounds_s, unix_s(fine), side="right") - 1
    hol = model._holidays(fine)
    base = model._expected(fine, hol, in_sample=in_sample) * (
        fine_s / model.baseline_.slot_s)
    return FineGrid(bounds_s, fine, fine_s, n_fine, owner, hol, base,
                    (base > 0).astype(float))


def components(model: CallForecaster, index: pd.DatetimeIndex,
               spots: pd.DataFrame | None, *, validated: bool = False,
               in_sample: bool = False) -> Components:
    """The parts of the expected calls of a fitted ``model`` over ``index`` with ``spots``.

    ``validated``: ``spots`` is already the output of `validate_spots`. ``in_sample``:
    days of the history at their own level, as the fit measures them.
    """
    model._check_fitted()
    assert model.baseline_ is not None and model.response is not None
    grid = fine_grid(model, index, in_sample=in_sample)
    fine, fine_s, n_fine, hol, base, open_ = (
        grid.fine, grid.fine_s, grid.n_fine, grid.holidays, grid.base, grid.open_)
    bounds_s = grid.bounds_s
    eff = effective_spots(model.spots_, spots, index[0], model.tz, validated=validated)
    arrays = model._spot_arrays(eff, tuple(model.response.channels))
    fast_share, stock = features(float(bounds_s[0]), fine_s, n_fine, arrays, model.response)
    v = np.array([model.response.strength(c)[0] for c in arrays.names])
    beta = np.array([model.response.strength(c)[1] for c in arrays.names])
    mix = model.response.carryover_mix
    lifted = carryover_base(base, model._flat(fine, base, hol), mix) if mix > 0 else base
    fast = v[:, None] * fast_share * open_
    slow = beta[:, None] * stock * lifted
    design = np.vstack([fast_share * open_, stock * lifted])
    campaign = fast.sum(axis=0) + slow.sum(axis=0)
    r = model.response
    jac = np.zeros((len(r.shape_names), n_fine))
    cov = np.asarray(r.shape_covariance) if r.shape_covariance else None
    for k, name in enumerate(r.shape_names):
        assert cov is not None
        # A step of at most a factor e: a flat profile likelihood gives huge variances.
        sd = min(float(np.sqrt(max(cov[k, k], 0.0))), 1.0) or 1e-3
        f2, s2 = features(float(bounds_s[0]), fine_s, n_fine, arrays, r.perturbed(name, sd))
        moved = (v[:, None] * f2 * open_).sum(axis=0) + (beta[:, None] * s2 * lifted).sum(axis=0)
        jac[k] = (moved - campaign) / sd

    def agg(a):  # back to the requested intervals by summing the fine ones
        return grid.to_index(a, len(index))

    dates = local_dates(index)
    day = (dates - dates[0]).days.to_numpy()
    return Components(index=index, baseline=agg(base), fast=agg(fast), slow=agg(slow),
                      design=agg(design).T, shape_jacobian=agg(jac).T,
                      channels=arrays.names, day=day)
