"""`CallForecaster`: baseline x campaign response, with prediction intervals.

The DataFrame shell around `forecast.baseline` and `forecast.campaign`: it checks
the history and spot frames, builds the calendar, fits both parts, and predicts
any future window at any resolution from a (new) spot schedule.
"""

from __future__ import annotations

import difflib
import json
import math
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from . import schema as S
from .baseline import BaselineConfig, BaselineFit, fit_baseline
from .calendar import AUTO, DEFAULT_TZ, Calendar, check_zone, learn_calendar, resolve_country, resolve_zone
from .campaign import CampaignResponse, SpotArrays, carryover_base, features
from .holdout import campaign_check
from .noise import nb_quantile
from .response_fit import fit_response
from .spots import validate_spots
from .update import CAMPAIGN_DAY_REL_SD, actuals_by_day, update_day

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
    if step >= pd.Timedelta(hours=23) and (idx == idx.normalize()).all():
        step = "1D"  # local calendar days: 23 or 25 hours across a clock change
    full = pd.date_range(idx[0], idx[-1], freq=step, name=S.INDEX)
    if not idx.isin(full).all():
        raise ValueError(f"history intervals are not on one regular grid of {step}")
    return pd.Series(calls, index=idx).reindex(full)


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


def _without(comp: _Components, campaign: bool = False) -> _Components:
    """``comp`` without the parts that move with the day's level (and the campaign's errors)."""
    out = replace(comp, baseline=np.zeros_like(comp.baseline), slow=np.zeros_like(comp.slow))
    if campaign:
        out = replace(out, design=np.zeros_like(comp.design),
                      shape_jacobian=np.zeros_like(comp.shape_jacobian))
    return out


class CallForecaster:
    """Calls per interval from history and a TV-spot schedule.

    Parameters
    ----------
    tz : str, default "auto"
        IANA time zone of the calendar (naive timestamps are read in it). ``"auto"``: the
        zone of a tz-aware history, else ``"Europe/Rome"``; resolved by `fit`.
    country : str or None, default "auto"
        Country of the public holidays (``holidays`` package code). ``"auto"``: the first
        country of the zone in the tz database's ``zone1970.tab`` (none for UTC, Etc/*);
        ``None``: no public holidays. Closures are learned from the history either way
        (see `forecast.calendar`); ``calendar_`` and ``diagnostics_["calendar"]`` say what
        was used.
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

    def __init__(self, *, tz: str = AUTO, country: str | None = AUTO,
                 response: CampaignResponse | None = None,
                 baseline: BaselineConfig | None = None, fit_saturation: bool = True,
                 holidays_closed: bool | None = None):
        self._tz_arg = tz if tz == AUTO else check_zone(tz)
        self._country_arg = country
        self.tz = DEFAULT_TZ if tz == AUTO else tz  # the resolved zone once fitted
        self.country = country
        self.calendar_: Calendar | None = None
        self.response = response
        self._fixed_response = response is not None
        self.baseline_config = baseline or BaselineConfig()
        self.fit_saturation = fit_saturation
        self.holidays_closed = holidays_closed
        self._shapes: CampaignResponse | None = None
        self.baseline_: BaselineFit | None = None
        self.spots_ = validate_spots(None, tz=self.tz)
        self.diagnostics_: dict = {}

    # ---- calendar ------------------------------------------------------------
    def _holidays(self, index: pd.DatetimeIndex) -> frozenset:
        assert self.calendar_ is not None
        return self.calendar_.holidays(index[0].year, index[-1].year, self.holidays_closed)

    def _resolve_calendar(self, history) -> Calendar:
        index = getattr(history, "index", None)
        index = index if isinstance(index, pd.DatetimeIndex) else pd.DatetimeIndex([])
        zone, zone_source = resolve_zone(self._tz_arg, index)
        if zone_source == "history":  # a reader may say how it found the zone
            zone_source = getattr(history, "attrs", {}).get("tz_source", zone_source)
        return Calendar(zone, zone_source, *resolve_country(self._country_arg, zone))

    def _spot_arrays(self, spots: pd.DataFrame, channels: tuple) -> SpotArrays:
        names = list(channels)
        r = self.response
        # A schedule's " rai 2 " is the fitted "Rai 2": match ignoring case and spacing.
        label = {ch: (r.resolve(ch) if r is not None else None) or ch
                 for ch in pd.unique(spots[S.CHANNEL])}
        for ch in label.values():
            if ch not in names:
                names.append(ch)
        code = {ch: names.index(name) for ch, name in label.items()}
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
        calendar = self._resolve_calendar(history)
        self.tz, self.country = calendar.zone, calendar.country
        # One-off closures are blanked: neither fit should read them as ordinary days.
        self.calendar_, series = learn_calendar(_history_series(history, self.tz), calendar)
        self.diagnostics_["calendar"] = self.calendar_.report()
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
        self.history_end_ = _interval_ends(index)[-1]
        if len(spots) and not self._fixed_response:
            self._fit_campaign(series, spots, hol, base, open_, weight)
        elif self.response is None:
            self.response = CampaignResponse()
        return self

    def _fit_campaign(self, series: pd.Series, spots: pd.DataFrame, hol: frozenset,
                      base: np.ndarray, open_: np.ndarray, weight: np.ndarray) -> None:
        """Fit the response; keep it only where the data, in and out of sample, show it.

        1. The response is fitted against the baseline of the days without campaign, with
           day levels and selection (see `forecast.effects`).
        2. A rolling-origin check (`forecast.holdout`) keeps the response only if it beats
           the spot-blind model out of sample.
        """
        assert self.baseline_ is not None
        index = pd.DatetimeIndex(series.index)
        interval_s = float((index[1] - index[0]).total_seconds())
        self.response = None  # channel names are matched against the fitted ones only
        arrays = self._spot_arrays(spots, ())
        day = (index.normalize() - index.normalize()[0]).days.to_numpy()
        span_days = (index[-1] - spots[S.START].min()).total_seconds() / 86400.0
        y = series.to_numpy()
        start_s = float(unix_s(index[:1])[0])

        def fit(base, shapes=None):
            return fit_response(y, base, self._flat(index, base, hol), open_,
                                start_s, interval_s, arrays, day,
                                fit_saturation=self.fit_saturation, slow_max_days=span_days / 2,
                                shapes=shapes, day_sd=float(self.baseline_.level_rel_sd))

        result = fit(base, shapes=self._shapes)
        self.response = result.response
        slow_kept = any(k[1] for k in self.response.kept.values()) and any(
            v > 0 for v in self.response.lift_per_grp.values())
        if self.response.measurable and not slow_kept and (weight < 1).any():
            # No carry-over to attribute a level change to: the days of the campaign are
            # ordinary days once their spikes are taken off, and the baseline should be as
            # recent as a spot-blind one's.
            comp = self._components(index, spots)
            spikes = np.where(np.isfinite(y), comp.fast.sum(axis=0), 0.0)
            self.baseline_ = fit_baseline((series - spikes).clip(lower=0.0), hol,
                                          config=self.baseline_config)
        lr = 2.0 * (result.nll_no_campaign - result.nll)
        self.diagnostics_.update(
            campaign_likelihood_ratio=lr,
            campaign_p_value=float(stats.chi2.sf(max(lr, 0.0), 2 * len(arrays.names))),
            n_obs=result.n_obs)
        if self._shapes is not None:
            return
        if self.response.measurable:
            check = campaign_check(
                series, spots, end=self.history_end_,
                aware=lambda h, s: self._sibling(shapes=self.response).fit(h, s),
                blind=lambda h: self._sibling().fit(h))
            self.diagnostics_["campaign_check"] = check
            if check["wape_with_spots"] >= check["wape_without_spots"]:
                self.response = replace(
                    self.response, note=(
                        "no measurable response: out of sample (origins "
                        f"{', '.join(check['origins'])}, {check['horizon_days']} day(s) ahead) "
                        f"the spots did not improve the forecast (WAPE "
                        f"{check['wape_with_spots']:.3f} with them, "
                        f"{check['wape_without_spots']:.3f} without)"))
        if not self.response.measurable or self.response.note.startswith("no measurable"):
            self.response = replace(
                self.response, calls_per_grp=dict.fromkeys(self.response.calls_per_grp, 0.0),
                lift_per_grp=dict.fromkeys(self.response.lift_per_grp, 0.0), covariance=None,
                shape_covariance=None, shape_names=[])
            if (weight < 1).any():  # the spot-blind baseline: no days left out
                self.baseline_ = fit_baseline(series, hol, config=self.baseline_config)
        self.diagnostics_["campaign_response"] = self.response.note or "measurable response"

    def _sibling(self, shapes: CampaignResponse | None = None) -> CallForecaster:
        """An unfitted model with the same settings (for rolling-origin checks)."""
        twin = CallForecaster(tz=self.tz, country=self.country, baseline=self.baseline_config,
                              fit_saturation=self.fit_saturation,
                              holidays_closed=self.holidays_closed)
        twin._shapes = shapes
        return twin

    def _flat(self, index: pd.DatetimeIndex, base: np.ndarray, hol: frozenset) -> np.ndarray:
        """The baseline without its day-type factor: one open day's level, spread by its profile.

        What an additive carry-over adds to (the same calls every open day). Computed
        from the baseline total of each whole day that ``index`` touches, so that any
        window of a day gives the same value.
        """
        assert self.baseline_ is not None
        days = index.normalize()
        first, last = days[0], days[-1] + pd.DateOffset(days=1)
        slot = pd.Timedelta(seconds=self.baseline_.slot_s)
        full = pd.date_range(first, last, freq=slot, inclusive="left")
        daily = pd.Series(self.baseline_.expected(full, hol, self.holidays_closed),
                          index=full).groupby(full.normalize()).sum()
        total = daily.reindex(days).to_numpy()
        return np.divide(base * self.baseline_.day_level(index), total, out=np.zeros_like(base),
                         where=total > 0)

    def effect_summary(self) -> pd.DataFrame:
        """Per channel: fast calls per GRP and slow lift per GRP, with honest uncertainty.

        Columns ``calls_per_grp`` and ``lift_per_grp`` are the strengths the forecasts use
        (after selection and shrinkage, see `forecast.effects`), with their standard
        errors; ``*_estimate`` are the maximum-likelihood estimates before selection with
        their robust standard errors ``*_estimate_se``; ``significant`` says whether any
        effect of the channel passed selection. With a planner-set response the standard
        errors are NaN.
        """
        self._check_fitted()
        r = self.response
        assert r is not None
        channels = list(r.channels) or sorted(set(r.calls_per_grp) | set(r.lift_per_grp))
        cov = np.asarray(r.covariance) if r.covariance is not None else None
        c = len(channels)
        rows = []
        for i, ch in enumerate(channels):
            v, beta = r.strength(ch)
            se = (np.sqrt(max(cov[i, i], 0.0)), np.sqrt(max(cov[c + i, c + i], 0.0))) \
                if cov is not None and cov.shape == (2 * c, 2 * c) else (np.nan, np.nan)
            est = r.estimates.get(ch, [np.nan, np.nan])
            est_se = r.standard_errors.get(ch, [np.nan, np.nan])
            kept = r.kept.get(ch, [v > 0, beta > 0])
            rows.append({"channel": ch, "calls_per_grp": v, "calls_per_grp_se": se[0],
                         "lift_per_grp": beta, "lift_per_grp_se": se[1],
                         "calls_per_grp_estimate": est[0], "calls_per_grp_estimate_se": est_se[0],
                         "lift_per_grp_estimate": est[1], "lift_per_grp_estimate_se": est_se[1],
                         "significant": bool(any(kept)) and r.measurable})
        frame = pd.DataFrame(rows, columns=["channel", "calls_per_grp", "calls_per_grp_se",
                                            "lift_per_grp", "lift_per_grp_se",
                                            "calls_per_grp_estimate", "calls_per_grp_estimate_se",
                                            "lift_per_grp_estimate", "lift_per_grp_estimate_se",
                                            "significant"])
        return frame.set_index("channel")

    def _check_fitted(self):
        if self.baseline_ is None:
            raise ValueError("the forecaster is not fitted: call fit(history, spots) or load()")

    # ---- components ------------------------------------------------------------
    def _effective_spots(self, spots: pd.DataFrame | None, start) -> pd.DataFrame:
        """The plan, preceded by the history's airings that it does not cover.

        Airings of the history before the window start (or before the plan's first airing,
        if the plan reaches back further) still add their carry-over.
        """
        new = validate_spots(spots, tz=self.tz)
        cut = min(start, new[S.START].min()) if len(new) else start
        old = self.spots_[self.spots_[S.START] < cut]
        return pd.concat([old, new], ignore_index=True) if len(new) else old

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
        lifted = carryover_base(base, self._flat(fine, base, hol), self.response.carryover_mix)
        fast = v[:, None] * fast_share * open_
        slow = beta[:, None] * stock * lifted
        design = np.vstack([fast_share * open_, stock * lifted])
        campaign = fast.sum(axis=0) + slow.sum(axis=0)
        r = self.response
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
                quantiles=(0.1, 0.5, 0.9), actuals: pd.DataFrame | None = None) -> pd.DataFrame:
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
        actuals : DataFrame, optional
            Calls already observed, e.g. today from opening until now (history contract, at
            any regular step whose interval ends are interval boundaries of ``index``). The
            intervals of ``index`` after the last observed one of the same day are
            re-forecast from them (`forecast.update`: the day's level and, on campaign days,
            the strength of its airings, with narrower bands); intervals already observed
            and other days keep the plain forecast.

        Returns
        -------
        DataFrame
            Indexed like ``index`` (named ``interval_start``).
        """
        index = self._index(index)
        comp = self._components(index, spots)
        mean = comp.baseline + comp.fast.sum(axis=0) + comp.slow.sum(axis=0)
        var = self._variance(comp, mean) if len(quantiles) else mean
        if actuals is not None:
            mean, var = self._condition(comp, mean, var, actuals, spots)
        out = pd.DataFrame({S.MEAN: mean}, index=pd.DatetimeIndex(index, name=S.INDEX))
        for q in quantiles:
            if not 0 < q < 1:
                raise ValueError(f"quantiles must be in (0, 1), got {q}")
            out[S.quantile_column(q)] = nb_quantile(q, mean, var)
        return out

    def _condition(self, comp: _Components, mean: np.ndarray, var: np.ndarray,
                   actuals: pd.DataFrame, spots: pd.DataFrame | None) -> tuple:
        """Mean and variance of ``comp``'s intervals given the calls observed so far."""
        ends = _interval_ends(comp.index)
        level = comp.baseline + comp.slow.sum(axis=0)  # what moves with the day's level
        fast = comp.fast.sum(axis=0)
        mean, var, updates = mean.copy(), var.copy(), []
        width, days = actuals_by_day(actuals, self.tz, ends[0] - comp.index[0])
        for day in days:
            times = pd.DatetimeIndex(day.index)
            now = times[-1] + width
            same_day = comp.index.normalize() == times[0].normalize()
            rest = same_day & (comp.index >= now)
            cut = same_day & (comp.index < now) & (ends > now)
            if cut.any():
                raise ValueError(f"actuals end at {now}, inside the forecast interval starting "
                                 f"{comp.index[cut][0]}; forecast at a step with a boundary there")
            if rest.any():
                updates.append((rest, self._day_update(day, width, now, spots)))
        if not updates:
            return mean, var
        for rest, u in updates:
            mean[rest] = u.base * level[rest] + u.campaign * fast[rest]
        # The other variance terms of the plain forecast, at the new means: by difference,
        # so that the variance has one formula.
        other = self._variance(_without(comp), mean)
        no_campaign = self._variance(_without(comp, campaign=True), mean)
        for rest, u in updates:
            var[rest] = u.base_var * level[rest] ** 2 + (
                no_campaign[rest] + u.campaign_var * fast[rest] ** 2 if u.campaign_updated
                else other[rest])
        return mean, var

    def _day_update(self, day: pd.Series, width: pd.Timedelta, now: pd.Timestamp,
                    spots: pd.DataFrame | None):
        # One interval more than observed: _components needs two to know the step.
        obs = self._components(pd.date_range(day.index[0], periods=len(day) + 1, freq=width),
                               spots)
        n, k = len(day), len(obs.channels)
        level = (obs.baseline + obs.slow.sum(axis=0))[:n]
        fast = obs.fast.sum(axis=0)[:n]
        mu = obs.baseline + obs.fast.sum(axis=0) + obs.slow.sum(axis=0)
        full = self._variance(obs, mu)[:n]
        no_level = self._variance(_without(obs), mu)[:n]
        noise = self._variance(_without(obs, campaign=True), mu)[:n]
        # The prior of the day's level is the level error the plain forecast carries.
        rel = (full - no_level)[level > 0] / level[level > 0] ** 2
        base_prior = float(np.median(rel)) if rel.size else 0.0
        cov = self._design_covariance(obs.channels)
        d = obs.design[:n, :k].sum(axis=0)
        fisher = float(d @ cov[:k, :k] @ d) / fast.sum() ** 2 if cov is not None and \
            fast.sum() > 0 else 0.0
        age_min = (now - (pd.DatetimeIndex(day.index) + width)).total_seconds().to_numpy() / 60.0
        return update_day(day.to_numpy(), level, fast, noise, age_min,
                          base_prior_var=base_prior,
                          campaign_prior_var=fisher + CAMPAIGN_DAY_REL_SD ** 2)

    def schedule_notes(self, index: pd.DatetimeIndex, spots: pd.DataFrame | None) -> list[str]:
        """Plain-language notes on a schedule: what the window and the model make of it.

        Airings outside the window, channels never fitted (with the closest fitted name),
        and what the fit concluded about the response.
        """
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
        r = self.response
        if r is not None and (r.calls_per_grp or r.lift_per_grp):
            unknown = sorted({ch for ch in plan[S.CHANNEL] if r.resolve(ch) is None})
            if unknown:
                close = {ch: difflib.get_close_matches(ch, list(r.calls_per_grp), n=1, cutoff=0.6)
                         for ch in unknown}
                names = ", ".join(f"{ch!r}" + (f" (did you mean {close[ch][0]!r}?)"
                                                if close[ch] else "") for ch in unknown)
                notes.append(f"channel(s) {names} were never fitted: their airings get the "
                             "mean strength of the fitted channels")
        if r is not None and r.note:
            notes.append(r.note)
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
        # Count noise and over-dispersion of intervals around the profile, as measured at
        # this interval length (a day's intervals stray together; a whole day not at all).
        width_s = unix_s(_interval_ends(comp.index)) - unix_s(comp.index)
        var = mean + fit.interval_dispersion(width_s) * mean ** 2
        # Level error: shared by the intervals of a day, growing with the horizon.
        rel = fit.level_rel_var_at(comp.index, self.history_end_)
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
                "calendar": self.calendar_.report() if self.calendar_ else None,
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
        saved = data.get("calendar")  # files from before the learned calendar have none
        model.calendar_ = Calendar.from_report(saved) if saved else Calendar(
            data["tz"], "saved model", data["country"], "saved model")
        model.response = CampaignResponse.from_json(json.dumps(data["response"]))
        model.history_end_ = pd.Timestamp(data["history_end"]).tz_convert(model.tz)
        model.spots_ = validate_spots(pd.DataFrame(data["spots"], columns=["start", "channel", "grp"]),
                                      tz=model.tz) if data["spots"] else validate_spots(None, tz=model.tz)
        return model
