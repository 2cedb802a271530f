"""`CallForecaster`: baseline x campaign response, with prediction intervals.

The DataFrame shell around `forecast.baseline` and `forecast.campaign`: it checks
the history and spot frames, builds the calendar, fits both parts, and predicts
any future window at any resolution from a (new) spot schedule.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import holidays as holidays_lib
import numpy as np
import pandas as pd
from scipy import stats

from . import schema as S
from .baseline import BaselineConfig, BaselineFit, fit_baseline
from .campaign import CampaignResponse, SpotArrays, features, fit_response
from .noise import nb_quantile
from .spots import validate_spots

CAMPAIGN_TAIL_DAYS = 28  # the baseline is fitted away from spots and this long after them


def _history_series(history: pd.DataFrame, tz: str) -> pd.Series:
    if not isinstance(history, pd.DataFrame) or S.CALLS not in history.columns:
        raise ValueError("history must be a DataFrame with a 'calls' column on a DatetimeIndex")
    if not isinstance(history.index, pd.DatetimeIndex):
        raise ValueError(f"history index must be a DatetimeIndex of interval starts, got "
                         f"{type(history.index).__name__}")
    if len(history) < 2:
        raise ValueError("history needs at least two intervals")
    idx = history.index
    idx = idx.tz_localize(tz, ambiguous="infer", nonexistent="shift_forward") if idx.tz is None \
        else idx.tz_convert(tz)
    if not idx.is_monotonic_increasing or idx.has_duplicates:
        raise ValueError("history index must be sorted, without repeated interval starts")
    calls = pd.to_numeric(history[S.CALLS], errors="coerce").to_numpy(dtype=float)
    bad = (calls < 0) | np.isinf(calls)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(f"history calls must be >= 0, got {calls[i]:g} at {idx[i]}")
    step = pd.Series(idx[1:] - idx[:-1]).mode().iloc[0]
    full = pd.date_range(idx[0], idx[-1], freq=step, name=S.INDEX)
    if not idx.isin(full).all():
        raise ValueError(f"history intervals are not on one regular grid of {step}")
    return pd.Series(calls, index=idx).reindex(full)


@lru_cache(maxsize=32)
def _holiday_dates(country: str, first_year: int, last_year: int) -> frozenset:
    """Public holidays of ``country`` (cached: predict runs on every edit in the app)."""
    try:
        days = holidays_lib.country_holidays(country, years=range(first_year, last_year + 1))
    except NotImplementedError:
        raise ValueError(f"country {country!r} is not known to the holidays package") from None
    return frozenset(days.keys())


def _interval_ends(index: pd.DatetimeIndex) -> pd.DatetimeIndex:
    """Ends of regular intervals: a fixed duration, or local calendar days across DST."""
    steps = np.diff(index.as_unit("ns").asi8)
    if steps.size and steps[0] > 0 and (steps == steps[0]).all():
        return index + pd.Timedelta(int(steps[0]), unit="ns")
    days = index + pd.DateOffset(days=1)
    if (index.normalize() == index).all() and (days[:-1] == index[1:]).all():
        return days
    raise ValueError("index must be regular: one step between interval starts (or local days)")


def unix_s(index: pd.DatetimeIndex) -> np.ndarray:
    """Seconds since 1970 UTC (pandas may store times in s, ms, us or ns)."""
    idx = index if index.tz is not None else index.tz_localize("UTC")
    return idx.as_unit("ns").asi8 / 1e9


@dataclass
class _Components:
    index: pd.DatetimeIndex
    baseline: np.ndarray
    fast: np.ndarray  # (channels, n)
    slow: np.ndarray  # (channels, n) calls due to the carry-over lift
    design: np.ndarray  # (n, 2 * channels) d mu / d (v, beta)
    shape_jacobian: np.ndarray  # (n, shapes) d mu / d log(shape parameter)
    channels: tuple
    day: np.ndarray  # day number of each interval (for the level uncertainty)


class CallForecaster:
    """Calls per interval from history and a TV-spot schedule.

    Parameters
    ----------
    tz : str, default "Europe/Rome"
        Time zone of the calendar (naive timestamps are read in it).
    country : str or None, default "IT"
        Country of the public holidays (``holidays`` package); ``None`` for none.
    response : CampaignResponse, optional
        Planner-set campaign response. When given, `fit` keeps it instead of
        estimating one (use it when the history holds no campaign).
    baseline : BaselineConfig, optional
        Smoothing of the baseline.
    fit_saturation : bool, default True
        Estimate GRP saturation from the history (needs airings of varied GRP).
    holidays_closed : bool or None, default None
        ``True``: the line is closed on public holidays; ``False``: holidays are ordinary
        days; ``None``: learn it from holidays in the history (ordinary days if none).

    Examples
    --------
    >>> from forecast.synthetic import make_campaign
    >>> truth = make_campaign(days=42, seed=1)
    >>> model = CallForecaster().fit(truth.history, truth.spots)
    >>> model.response.fast_half_life_min > 0
    True
    """

    def __init__(self, *, tz: str = "Europe/Rome", country: str | None = "IT",
                 response: CampaignResponse | None = None,
                 baseline: BaselineConfig | None = None, fit_saturation: bool = True,
                 holidays_closed: bool | None = None):
        self.tz = tz
        self.country = country
        self.response = response
        self._fixed_response = response is not None
        self.baseline_config = baseline or BaselineConfig()
        self.fit_saturation = fit_saturation
        self.holidays_closed = holidays_closed
        self.baseline_: BaselineFit | None = None
        self.spots_ = validate_spots(None, tz=tz)
        self.diagnostics_: dict = {}

    # ---- calendar ------------------------------------------------------------
    def _holidays(self, index: pd.DatetimeIndex) -> frozenset:
        if not self.country:
            return frozenset()
        return _holiday_dates(self.country, index[0].year, index[-1].year)

    def _spot_arrays(self, spots: pd.DataFrame, channels: tuple) -> SpotArrays:
        names = list(channels)
        for ch in spots[S.CHANNEL]:
            if ch not in names:
                names.append(ch)
        code = {name: i for i, name in enumerate(names)}
        return SpotArrays(time_s=unix_s(pd.DatetimeIndex(spots[S.START])),
                          channel=np.array([code[c] for c in spots[S.CHANNEL]], dtype=np.int64),
                          grp=spots[S.GRP].to_numpy(dtype=float), names=tuple(names))

    # ---- fit -----------------------------------------------------------------
    def fit(self, history: pd.DataFrame, spots: pd.DataFrame | None = None) -> CallForecaster:
        """Fit the baseline and, when spots are given, the campaign response.

        Parameters
        ----------
        history : DataFrame
            The history contract: ``calls`` on a regular ``DatetimeIndex`` (missing
            intervals, e.g. nights of a line that logs only open hours, are allowed).
        spots : DataFrame, optional
            The spots that aired during the history (spot contract).

        Returns
        -------
        self
        """
        series = _history_series(history, self.tz)
        spots = validate_spots(spots, tz=self.tz)
        index = pd.DatetimeIndex(series.index)
        hol = self._holidays(index)
        interval_s = float((index[1] - index[0]).total_seconds())
        weight = np.ones(len(index))
        if len(spots):
            first = spots[S.START].min()
            last = spots[S.START].max() + pd.Timedelta(days=CAMPAIGN_TAIL_DAYS)
            affected = (index >= first) & (index <= last)
            clean_days = pd.Index(index[~affected & series.notna().to_numpy()].date).nunique()
            if clean_days >= 14:
                weight = np.where(affected, 0.0, 1.0)
            self.diagnostics_["baseline_days_without_campaign"] = int(clean_days)
        outside = (spots[S.START] < index[0]) | (spots[S.START] >= index[-1] + pd.Timedelta(
            seconds=interval_s)) if len(spots) else pd.Series([], dtype=bool)
        self.diagnostics_["spots_outside_history"] = int(outside.sum())
        self.baseline_ = fit_baseline(series, hol, weight=weight, config=self.baseline_config)
        base = self.baseline_.expected(index, hol, self.holidays_closed)
        open_ = (base > 0).astype(float)
        self.spots_ = spots
        self.history_end_ = index[-1] + pd.Timedelta(seconds=interval_s)
        if len(spots) and not self._fixed_response:
            arrays = self._spot_arrays(spots, ())
            fit = fit_response(series.to_numpy(), base, open_, float(unix_s(index[:1])[0]),
                               interval_s, arrays, dispersion=self.baseline_.dispersion,
                               fit_saturation=self.fit_saturation)
            self.response = fit.response
            lr = 2.0 * (fit.nll_no_campaign - fit.nll)
            self.diagnostics_.update(
                campaign_likelihood_ratio=lr,
                campaign_p_value=float(stats.chi2.sf(max(lr, 0.0), 2 * len(arrays.names))),
                n_obs=fit.n_obs)
        elif self.response is None:
            self.response = CampaignResponse()
        return self

    def effect_summary(self) -> pd.DataFrame:
        """Per channel: fast calls per GRP and slow lift per GRP with standard errors.

        The standard errors come from the Fisher information of the fit (negative
        binomial variance); with no campaign history (planner-set response) they are NaN.
        """
        self._check_fitted()
        r = self.response
        assert r is not None
        channels = list(r.channels) or sorted(set(r.calls_per_grp) | set(r.lift_per_grp))
        cov = np.asarray(r.covariance) if r.covariance is not None else None
        rows = []
        for i, ch in enumerate(channels):
            v, beta = r.strength(ch)
            c = len(channels)
            se = (np.sqrt(max(cov[i, i], 0.0)), np.sqrt(max(cov[c + i, c + i], 0.0))) \
                if cov is not None else (np.nan, np.nan)
            rows.append({"channel": ch, "calls_per_grp": v, "calls_per_grp_se": se[0],
                         "lift_per_grp": beta, "lift_per_grp_se": se[1]})
        return pd.DataFrame(rows).set_index("channel")

    def _check_fitted(self):
        if self.baseline_ is None:
            raise ValueError("the forecaster is not fitted: call fit(history, spots) or load()")

    # ---- components ------------------------------------------------------------
    def _effective_spots(self, spots: pd.DataFrame | None, start) -> pd.DataFrame:
        new = validate_spots(spots, tz=self.tz)
        old = self.spots_[self.spots_[S.START] < start]
        both = pd.concat([old, new], ignore_index=True) if len(new) else old
        return both.drop_duplicates(subset=[S.START, S.CHANNEL], keep="last")

    def _components(self, index: pd.DatetimeIndex, spots: pd.DataFrame | None) -> _Components:
        self._check_fitted()
        assert self.baseline_ is not None and self.response is not None
        ends = _interval_ends(index)
        bounds_s = np.r_[unix_s(index), unix_s(ends[-1:])]
        widths = np.diff(bounds_s)
        # A fine grid that every requested interval (a 23-hour DST day included) tiles.
        fine_s = float(math.gcd(math.gcd(*{int(w) for w in widths}) if len(set(widths)) > 1
                                else int(widths[0]), int(self.baseline_.slot_s)))
        n_fine = int(round((bounds_s[-1] - bounds_s[0]) / fine_s))
        fine = pd.date_range(index[0], periods=n_fine, freq=pd.Timedelta(seconds=fine_s))
        owner = np.searchsorted(bounds_s, unix_s(fine), side="right") - 1
        hol = self._holidays(fine)
        base = self.baseline_.expected(fine, hol, self.holidays_closed) * (
            fine_s / self.baseline_.slot_s)
        open_ = (base > 0).astype(float)
        eff = self._effective_spots(spots, index[0])
        arrays = self._spot_arrays(eff, tuple(self.response.channels))
        fast_share, stock = features(float(bounds_s[0]), fine_s, n_fine, arrays, self.response)
        v = np.array([self.response.strength(c)[0] for c in arrays.names])
        beta = np.array([self.response.strength(c)[1] for c in arrays.names])
        fast = v[:, None] * fast_share * open_
        slow = beta[:, None] * stock * base
        design = np.vstack([fast_share * open_, stock * base])
        campaign = fast.sum(axis=0) + slow.sum(axis=0)
        r = self.response
        jac = np.zeros((len(r.shape_names), n_fine))
        cov = np.asarray(r.shape_covariance) if r.shape_covariance else None
        for k, name in enumerate(r.shape_names):
            assert cov is not None
            sd = float(np.sqrt(max(cov[k, k], 0.0))) or 1e-3
            f2, s2 = features(float(bounds_s[0]), fine_s, n_fine, arrays, r.perturbed(name, sd))
            moved = (v[:, None] * f2 * open_).sum(axis=0) + (beta[:, None] * s2 * base).sum(axis=0)
            jac[k] = (moved - campaign) / sd

        def agg(a):  # back to the requested intervals by summing the fine ones
            a2 = np.atleast_2d(a)
            out = np.zeros((a2.shape[0], len(index)))
            for i, row in enumerate(a2):
                out[i] = np.bincount(owner, weights=row, minlength=len(index))
            return out[0] if a.ndim == 1 else out

        day = (index.normalize() - index.normalize()[0]).days.to_numpy()
        return _Components(index=index, baseline=agg(base), fast=agg(fast), slow=agg(slow),
                           design=agg(design).T, shape_jacobian=agg(jac).T,
                           channels=arrays.names, day=day)

    def _design_covariance(self, channels: tuple) -> np.ndarray | None:
        r = self.response
        if r is None or r.covariance is None:
            return None
        cov = np.asarray(r.covariance)
        fitted = list(r.channels)
        c_all = len(channels)
        out = np.zeros((2 * c_all, 2 * c_all))
        pos = [fitted.index(c) if c in fitted else None for c in channels]
        nf = len(fitted)
        for i, pi in enumerate(pos):
            for j, pj in enumerate(pos):
                if pi is None or pj is None:
                    continue
                for a in (0, 1):
                    for b in (0, 1):
                        out[a * c_all + i, b * c_all + j] = cov[a * nf + pi, b * nf + pj]
        return out

    # ---- predict ---------------------------------------------------------------
    def predict(self, index: pd.DatetimeIndex, spots: pd.DataFrame | None = None,
                quantiles=(0.1, 0.5, 0.9)) -> pd.DataFrame:
        """Forecast frame: ``mean`` and one ``pNN`` column per quantile.

        Parameters
        ----------
        index : DatetimeIndex
            Regular interval starts to forecast (any step from a minute to a day).
        spots : DataFrame, optional
            The schedule to plan (spot contract). Spots of the history that aired before
            the window still add their carry-over.
        quantiles : sequence of float
            Quantiles in (0, 1).

        Returns
        -------
        DataFrame
            Indexed like ``index`` (named ``interval_start``).
        """
        index = self._index(index)
        comp = self._components(index, spots)
        mean = comp.baseline + comp.fast.sum(axis=0) + comp.slow.sum(axis=0)
        var = self._variance(comp, mean)
        out = pd.DataFrame({S.MEAN: mean}, index=pd.DatetimeIndex(index, name=S.INDEX))
        for q in quantiles:
            if not 0 < q < 1:
                raise ValueError(f"quantiles must be in (0, 1), got {q}")
            out[S.quantile_column(q)] = nb_quantile(q, mean, var)
        return out

    def schedule_notes(self, index: pd.DatetimeIndex, spots: pd.DataFrame | None) -> list[str]:
        """Plain-language notes on airings of a schedule that fall outside a forecast window."""
        index = self._index(index)
        plan = validate_spots(spots, tz=self.tz)
        end = _interval_ends(index)[-1]
        notes = []
        after = int((plan[S.START] >= end).sum())
        before = int((plan[S.START] < index[0]).sum())
        if after:
            notes.append(f"{after} airing(s) after the window end ({end}) add nothing to it")
        if before:
            notes.append(f"{before} airing(s) before the window start ({index[0]}) add only "
                         "their carry-over")
        return notes

    def decompose(self, index: pd.DatetimeIndex, spots: pd.DataFrame | None = None) -> pd.DataFrame:
        """Expected calls split into ``baseline`` and ``fast:<channel>``/``slow:<channel>``."""
        index = self._index(index)
        comp = self._components(index, spots)
        out = pd.DataFrame({"baseline": comp.baseline}, index=pd.DatetimeIndex(index, name=S.INDEX))
        for i, ch in enumerate(comp.channels):
            out[f"fast:{ch}"] = comp.fast[i]
            out[f"slow:{ch}"] = comp.slow[i]
        return out

    def _index(self, index) -> pd.DatetimeIndex:
        if not isinstance(index, pd.DatetimeIndex) or len(index) < 2:
            raise ValueError("index must be a DatetimeIndex of at least two regular interval starts")
        index = index.tz_localize(self.tz) if index.tz is None else index.tz_convert(self.tz)
        _interval_ends(index)  # checks regularity
        return index

    def _variance(self, comp: _Components, mean: np.ndarray) -> np.ndarray:
        assert self.baseline_ is not None
        fit = self.baseline_
        # Count noise and over-dispersion of single intervals.
        var = mean + fit.dispersion * mean ** 2
        # Level error: shared by the intervals of a day, growing with the horizon.
        smoothing = 1.0 - 0.5 ** (1.0 / fit.config.level_half_life_days)
        ahead = np.maximum((comp.index.normalize() - self.history_end_.normalize()).days.to_numpy(),
                           0)
        rel = fit.level_rel_sd ** 2 * (1.0 + ahead * smoothing ** 2)
        var = var + rel * (comp.baseline + comp.slow.sum(axis=0)) ** 2
        cov = self._design_covariance(comp.channels)
        if cov is not None and comp.design.size:
            var = var + np.einsum("ij,jk,ik->i", comp.design, cov, comp.design)
        r = self.response
        if r is not None and r.shape_covariance and comp.shape_jacobian.size:
            shape = np.asarray(r.shape_covariance)
            var = var + np.einsum("ij,jk,ik->i", comp.shape_jacobian, shape, comp.shape_jacobian)
        return var

    # ---- persistence -----------------------------------------------------------
    def to_dict(self) -> dict:
        """Everything needed to predict, as JSON-ready data."""
        self._check_fitted()
        assert self.baseline_ is not None and self.response is not None
        return {"format": "picco.forecaster/1", "tz": self.tz, "country": self.country,
                "fit_saturation": self.fit_saturation, "holidays_closed": self.holidays_closed,
                "baseline_config": vars(self.baseline_.config),
                "baseline": self.baseline_.to_dict(),
                "response": json.loads(self.response.to_json()),
                "history_end": self.history_end_.isoformat(),
                "spots": [{"start": s.isoformat(), "channel": c, "grp": g}
                          for s, c, g in zip(self.spots_[S.START], self.spots_[S.CHANNEL],
                                             self.spots_[S.GRP], strict=True)]}

    def save(self, path: str | Path) -> None:
        """Write the fitted model as JSON."""
        Path(path).write_text(json.dumps(self.to_dict(), indent=1))

    @classmethod
    def load(cls, path: str | Path) -> CallForecaster:
        """Read a model written by `save`."""
        try:
            data = json.loads(Path(path).read_text())
        except (OSError, json.JSONDecodeError) as exc:
            raise ValueError(f"cannot read model file {str(path)!r}: {exc}") from None
        if not isinstance(data, dict) or data.get("format") != "picco.forecaster/1":
            raise ValueError(f"{str(path)!r} is not a picco forecaster file")
        try:
            return cls.from_dict(data)
        except (KeyError, TypeError) as exc:
            raise ValueError(f"model file {str(path)!r} is incomplete or damaged: {exc}") from None

    @classmethod
    def from_dict(cls, data: dict) -> CallForecaster:
        """Rebuild a model from `to_dict` output."""
        model = cls(tz=data["tz"], country=data["country"],
                    baseline=BaselineConfig(**data["baseline_config"]),
                    fit_saturation=data["fit_saturation"],
                    holidays_closed=data.get("holidays_closed"))
        model.baseline_ = BaselineFit.from_dict(data["baseline"], model.baseline_config)
        model.response = CampaignResponse.from_json(json.dumps(data["response"]))
        model.history_end_ = pd.Timestamp(data["history_end"]).tz_convert(model.tz)
        model.spots_ = validate_spots(pd.DataFrame(data["spots"], columns=["start", "channel", "grp"]),
                                      tz=model.tz) if data["spots"] else validate_spots(None, tz=model.tz)
        return model
