"""`CallForecaster`: baseline x campaign response, with prediction intervals.

The DataFrame shell around `forecast.baseline` and `forecast.campaign`: it checks
the history and spot frames, builds the calendar, fits both parts, and predicts
any future window at any resolution from a (new) spot schedule.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from tabular.days import days_of, local_dates

from . import schema as S
from .baseline import HOLIDAY, BaselineConfig, BaselineFit, fit_baseline
from .calendar import AUTO, DEFAULT_TZ, Calendar, check_zone, learn_calendar, resolve_country, resolve_zone
from .campaign import CampaignResponse, SpotArrays, _name_key
from .campaign_fit import campaign_reach, fit_campaign
from .checks import MAX_INTERVALS, instance, one_of
from .checks import quantiles as check_quantiles
from .components import Components as _Components
from .components import components, flat_baseline, spot_arrays
from .conditioning import condition, day_update
from .grid import history_series as _history_series
from .grid import interval_ends as _interval_ends
from .grid import localize_wall_clock
from .grid import unix_s as unix_s
from .history_checks import check_fit_history
from .holiday_country import with_holiday_country
from .noise import nb_quantile
from .notes import grp_at_fit, grp_at_predict, holidays_ahead, spots_outside, warn, window_notes
from .persist import load_model, model_from_dict, model_to_dict, save_model
from .response import saturate
from .spots import validate_spots
from .variance import design_covariance, forecast_variance
from .zones import public_holidays

# Share of a fit done when each stage starts, as timed on the 2009 history: the campaign
# response and its out-of-sample check take about half of the time each.
FIT_STAGES = {"calendar": 0.0, "baseline": 0.03, "campaign response": 0.08,
              "out-of-sample check": 0.55, "done": 1.0}


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
        one_of("holidays_closed", holidays_closed, (True, False, None))
        one_of("fit_saturation", fit_saturation, (True, False))
        instance("response", response, CampaignResponse)
        instance("baseline", baseline, BaselineConfig)
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
        self._on_check: Callable[[], None] | None = None

    # ---- calendar ------------------------------------------------------------
    def _holidays(self, index: pd.DatetimeIndex) -> frozenset:
        assert self.calendar_ is not None
        return self.calendar_.holidays(index[0].year, index[-1].year, self._holiday_rule())

    def _expected(self, index: pd.DatetimeIndex, hol: frozenset, *,
                  in_sample: bool = False) -> np.ndarray:
        """The baseline's expected calls, with the holidays closed as the calendar says."""
        assert self.baseline_ is not None
        closed = frozenset()
        if self.holidays_closed is not False and self.calendar_ is not None and len(index):
            closed = self.calendar_.closed_dates(index[0].year, index[-1].year)
        return self.baseline_.expected(index, hol, self._holiday_rule(), in_sample=in_sample,
                                       closed=closed)

    def _holiday_rule(self) -> bool | None:
        """How public holidays are forecast: as set, or else as the history showed them.

        A baseline fitted on days without a holiday (a short history, or one whose only
        holiday fell inside a campaign) cannot tell; the calendar still saw every holiday
        of the history, so when all it saw were closed, holidays are forecast closed.
        """
        if self.holidays_closed is not None or self.baseline_ is None:
            return self.holidays_closed
        if np.isfinite(self.baseline_.day_factor[HOLIDAY]) or self.calendar_ is None:
            return None
        statuses = {row[2] for row in self.calendar_.public_seen} - {"no record"}
        return True if statuses and statuses <= {"closed", "low"} else None

    def _resolve_calendar(self, history) -> Calendar:
        index = getattr(history, "index", None)
        index = index if isinstance(index, pd.DatetimeIndex) else pd.DatetimeIndex([])
        zone, zone_source = resolve_zone(self._tz_arg, index)
        if zone_source == "history":  # a reader may say how it found the zone
            zone_source = getattr(history, "attrs", {}).get("tz_source", zone_source)
        return Calendar(zone, zone_source, *resolve_country(self._country_arg, zone))

    def _spot_arrays(self, spots: pd.DataFrame, channels: tuple) -> SpotArrays:
        return spot_arrays(self.response, spots, channels)

    # ---- fit -----------------------------------------------------------------
    def fit(self, history: pd.DataFrame, spots: pd.DataFrame | None = None,
            progress: Callable[[str, float], None] | None = None) -> CallForecaster:
        """Fit the baseline and, when spots are given, the campaign response.

        Parameters
        ----------
        history : DataFrame
            The history contract: ``calls`` on a regular ``DatetimeIndex`` (missing
            intervals, e.g. nights of a line that logs only open hours, are allowed).
        spots : DataFrame, optional
            The spots that aired during the history (spot contract).
        progress : callable, optional
            Called as ``progress(stage, done)`` when a stage starts: ``stage`` is one of
            ``FIT_STAGES`` (``"calendar"``, ``"baseline"``, ``"campaign response"``,
            ``"out-of-sample check"``, ``"done"``) and ``done`` the share of the fit's time
            already spent, from 0 to 1. Stages the fit does not need are skipped.

        Returns
        -------
        self

        Examples
        --------
        >>> from forecast.synthetic import make_campaign
        >>> truth = make_campaign(days=28, campaign_from_day=14, seed=2)
        >>> seen = []
        >>> _ = CallForecaster().fit(truth.history, truth.spots,
        ...                          progress=lambda stage, done: seen.append(stage))
        >>> seen[:3], seen[-1]
        (['calendar', 'baseline', 'campaign response'], 'done')
        """
        report = progress or _quiet
        report("calendar", FIT_STAGES["calendar"])
        calendar = self._resolve_calendar(history)
        self.tz, self.country = calendar.zone, calendar.country
        series = _history_series(history, self.tz)
        check_fit_history(series)
        calendar = with_holiday_country(calendar, series, self._country_arg)
        self.tz, self.country = calendar.zone, calendar.country
        # One-off closures are blanked: neither fit should read them as ordinary days.
        self.calendar_, series = learn_calendar(series, calendar)
        self.diagnostics_["calendar"] = self.calendar_.report()
        warned = self.diagnostics_["warnings"] = []
        spots = validate_spots(spots, tz=self.tz)
        index = pd.DatetimeIndex(series.index)
        hol = self._holidays(index)
        end = _interval_ends(index)[-1]
        outside = ((spots[S.START] < index[0]) | (spots[S.START] >= end)).to_numpy()
        self.diagnostics_["spots_outside_history"] = int(outside.sum())
        if len(spots):
            for message in (spots_outside(spots, index[0], end), grp_at_fit(spots)):
                if message:
                    warn(message, warned)
        # Airings that all lie outside the history cannot show a response: fitting one
        # would report a zero effect as if it had been measured.
        learnable = bool(len(spots)) and not outside.all()
        weight = np.ones(len(index))
        if learnable:
            affected = campaign_reach(index, spots[S.START])
            clean_days = pd.Index(index[~affected & series.notna().to_numpy()].date).nunique()
            if clean_days >= 14:
                weight = np.where(affected, 0.0, 1.0)
            self.diagnostics_["baseline_days_without_campaign"] = int(clean_days)
        report("baseline", FIT_STAGES["baseline"])
        self.baseline_ = fit_baseline(series, hol, weight=weight, config=self.baseline_config)
        base = self._expected(index, hol, in_sample=True)
        open_ = (base > 0).astype(float)
        self.spots_ = spots
        self.history_end_ = end
        if learnable and not self._fixed_response:
            report("campaign response", FIT_STAGES["campaign response"])
            # The out-of-sample check builds its models with `_sibling`: its first call
            # marks the start of the check.
            self._on_check = lambda: report("out-of-sample check",
                                            FIT_STAGES["out-of-sample check"])
            try:
                self._fit_campaign(series, spots, hol, base, open_, weight)
            finally:
                self._on_check = None
        elif not self._fixed_response:  # nor may a refit keep an earlier fit's response
            self.response = CampaignResponse(note="no response: none of the airings lie within "
                                                  "the history" if len(spots) else "")
        # The campaign fit may have swapped in the spot-blind baseline: report the one used.
        info = self.baseline_.info
        self.diagnostics_["after_closure"] = info.get("after_closure")
        self.diagnostics_["yearly"] = {k: v for k, v in info["yearly"].items() if k != "qbic"}
        self.diagnostics_["special_days"] = info.get("special_days")
        self.diagnostics_["growth"] = info.get("growth")
        self.diagnostics_["bands"] = {k: info.get(k) for k in ("band_check", "far_band_check")}
        report("done", FIT_STAGES["done"])
        return self

    def _fit_campaign(self, series: pd.Series, spots: pd.DataFrame, hol: frozenset,
                      base: np.ndarray, open_: np.ndarray, weight: np.ndarray) -> None:
        """Fit the response; keep it only where the data show it (`forecast.campaign_fit`)."""
        fit_campaign(self, series, spots, hol, base, open_, weight)

    def _sibling(self, shapes: CampaignResponse | None = None) -> CallForecaster:
        """An unfitted model with the same settings (for rolling-origin checks)."""
        if self._on_check is not None:
            self._on_check()
            self._on_check = None  # one report for the whole check
        twin = CallForecaster(tz=self.tz, country=self.country, baseline=self.baseline_config,
                              fit_saturation=self.fit_saturation,
                              holidays_closed=self.holidays_closed)
        twin._shapes = shapes
        return twin

    def _flat(self, index: pd.DatetimeIndex, base: np.ndarray, hol: frozenset) -> np.ndarray:
        """The baseline without its day-type factor (see `forecast.components.flat_baseline`)."""
        assert self.baseline_ is not None
        return flat_baseline(self.baseline_, index, base, hol, self._holiday_rule())

    def effect_summary(self) -> pd.DataFrame:
        """Per channel: fast calls per GRP and slow lift per GRP, with honest uncertainty.

        Columns ``calls_per_grp`` and ``lift_per_grp`` are the strengths the forecasts use
        (after selection and shrinkage, see `forecast.effects`), with their standard
        errors; ``*_estimate`` are the maximum-likelihood estimates before selection with
        their robust standard errors ``*_estimate_se``; ``significant`` says whether any
        effect of the channel passed selection. An unrated airing (GRP 0 or blank) counts
        as ``unrated_grp`` GRP (half the channel's smallest rating, else the median of the
        channels'), so ``calls_per_unrated_airing`` is what one such airing brings. With
        a planner-set response the standard errors are NaN.
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
            unrated = r.unrated_grp.get(ch, np.nan)
            rows.append({"channel": ch, "calls_per_grp": v, "calls_per_grp_se": se[0],
                         "lift_per_grp": beta, "lift_per_grp_se": se[1],
                         "calls_per_grp_estimate": est[0], "calls_per_grp_estimate_se": est_se[0],
                         "lift_per_grp_estimate": est[1], "lift_per_grp_estimate_se": est_se[1],
                         "significant": bool(any(kept)) and r.measurable, "unrated_grp": unrated,
                         "calls_per_unrated_airing": v * float(saturate(unrated, r.saturation_grp))})
        frame = pd.DataFrame(rows, columns=["channel", "calls_per_grp", "calls_per_grp_se",
                                            "lift_per_grp", "lift_per_grp_se",
                                            "calls_per_grp_estimate", "calls_per_grp_estimate_se",
                                            "lift_per_grp_estimate", "lift_per_grp_estimate_se",
                                            "significant", "unrated_grp",
                                            "calls_per_unrated_airing"])
        return frame.set_index("channel")

    def _check_fitted(self):
        if self.baseline_ is None:
            raise ValueError("the forecaster is not fitted: call fit(history, spots) or load()")

    # ---- components ------------------------------------------------------------
    def _components(self, index: pd.DatetimeIndex, spots: pd.DataFrame | None) -> _Components:
        return components(self, index, spots)

    def _design_covariance(self, channels: tuple) -> np.ndarray | None:
        return design_covariance(self.response, channels)

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
            Indexed like ``index`` (named ``interval_start``). ``attrs["notes"]`` holds
            `schedule_notes`, `forecast.notes.window_notes` and the public holidays the
            history never showed (`forecast.notes.holidays_ahead`). Channels never fitted
            and GRP far beyond the fitted ones (`plan_warnings`), a window beyond the
            horizon of the measured errors, and such holidays where the line likely closes
            are also issued as a `forecast.notes.ForecastWarning` and listed again in
            ``attrs["warnings"]``.

        Raises
        ------
        ValueError
            For an irregular ``index`` or quantiles outside (0, 1).
        """
        index = self._index(index)
        quantiles = check_quantiles("quantiles", quantiles)
        # Checked once: a schedule of hundreds of airings takes milliseconds to check, and
        # the notes and warnings below read it too.
        plan = None if spots is None else validate_spots(spots, tz=self.tz)
        comp = components(self, index, plan, validated=plan is not None)
        mean = comp.baseline + comp.fast.sum(axis=0) + comp.slow.sum(axis=0)
        var = self._variance(comp, mean) if len(quantiles) else mean
        if actuals is not None:
            mean, var = self._condition(comp, mean, var, actuals, spots)
        out = pd.DataFrame({S.MEAN: mean}, index=pd.DatetimeIndex(index, name=S.INDEX))
        for q in quantiles:
            out[S.quantile_column(q)] = nb_quantile(q, mean, var)
        assert self.baseline_ is not None
        measured = [int(h) for h, _ in self.baseline_.level_var_by_days]
        notes, doubts = window_notes(index, self.baseline_.slot_s, self.history_end_,
                                     max(measured) if measured else None)
        on_holidays, unsure = self._holiday_notes(index)
        notes, doubts = notes + on_holidays, doubts + unsure
        if plan is not None:
            doubts += self._plan_warnings(plan) + _plan_misses(plan, _interval_ends(index)[-1])
        for message in doubts:
            warn(message)
        out.attrs["notes"] = list(dict.fromkeys(self._schedule_notes(index, plan) + notes
                                                + doubts))
        out.attrs["warnings"] = list(dict.fromkeys(doubts))
        return out


    def _holiday_notes(self, index: pd.DatetimeIndex) -> tuple[list[str], list[str]]:
        """`forecast.notes.holidays_ahead` for the public holidays in ``index``."""
        cal, base = self.calendar_, self.baseline_
        if cal is None or base is None or not cal.country or self.holidays_closed is not None:
            return [], []
        if np.isfinite(base.day_factor[HOLIDAY]) and base.day_factor[HOLIDAY] > 0:
            return [], []  # holidays forecast at the level the history showed them at
        dates = set(local_dates(index).unique().date)
        window = {d: n for d, n in public_holidays(cal.country, index[0].year,
                                                   index[-1].year).items() if d in dates}
        closes_all = bool(self._holiday_rule()) or base.day_factor[HOLIDAY] == 0
        return holidays_ahead(window, seen=[(row[1], row[2]) for row in cal.public_seen],
                              closes_all=closes_all)

    def _condition(self, comp: _Components, mean: np.ndarray, var: np.ndarray,
                   actuals: pd.DataFrame, spots: pd.DataFrame | None) -> tuple:
        """Mean and variance of ``comp``'s intervals given the calls observed so far."""
        return condition(self, comp, mean, var, actuals, spots)

    def _day_update(self, day: pd.Series, width: pd.Timedelta, now: pd.Timestamp,
                    spots: pd.DataFrame | None):
        return day_update(self, day, width, now, spots)

    def schedule_notes(self, index: pd.DatetimeIndex, spots: pd.DataFrame | None) -> list[str]:
        """Plain-language notes on a schedule: what the window and the model make of it.

        Airings outside the window, then the warnings of `plan_warnings`, then what the
        fit concluded about the response.
        """
        return self._schedule_notes(self._index(index), validate_spots(spots, tz=self.tz))

    def _schedule_notes(self, index: pd.DatetimeIndex, plan: pd.DataFrame | None) -> list[str]:
        if plan is None:
            plan = validate_spots(None, tz=self.tz)
        end = _interval_ends(index)[-1]
        notes = []
        after = int((plan[S.START] >= end).sum())
        before = int((plan[S.START] < index[0]).sum())
        if after:
            notes.append(f"{after} airing(s) after the window end ({end}) add nothing to it")
        if before:
            notes.append(f"{before} airing(s) before the window start ({index[0]}) add only "
                         "their carry-over")
        notes += self._plan_warnings(plan)
        r = self.response
        if r is not None and r.note:
            notes.append(r.note)
        return notes

    def plan_warnings(self, spots: pd.DataFrame | None) -> list[str]:
        """What in a schedule the fit cannot vouch for: channels never fitted, GRP far beyond.

        Channel names match fitted ones ignoring case and spacing; an unknown channel's
        airings get the mean strength of the fitted channels, and the closest fitted name
        is suggested. GRP far above the fitted ones (`forecast.notes.grp_at_predict`) are
        extrapolation. Only a model with a measurable response has anything to warn about.

        Examples
        --------
        >>> m = CallForecaster(response=CampaignResponse(calls_per_grp={"Rai 2": 1.0}))
        >>> m.plan_warnings(pd.DataFrame({"start": ["2024-01-08 10:00"], "channel": ["rai2"]}))
        ... # doctest: +NORMALIZE_WHITESPACE
        ["channel 'rai2' (did you mean 'Rai 2'?) was never fitted (fitted: Rai 2): its airings
          get the mean strength of the fitted channels"]
        """
        r = self.response
        if r is None or not r.measurable:
            return []
        return self._plan_warnings(validate_spots(spots, tz=self.tz))

    def _plan_warnings(self, plan: pd.DataFrame) -> list[str]:
        r = self.response
        if r is None or not r.measurable:
            return []
        known = sorted(set(r.calls_per_grp) | set(r.lift_per_grp))
        keys = {_name_key(k): k for k in known}
        out = []
        for ch in sorted({ch for ch in plan[S.CHANNEL] if r.resolve(ch) is None}):
            close = difflib.get_close_matches(_name_key(ch), list(keys), n=1, cutoff=0.6)
            hint = f" (did you mean {keys[close[0]]!r}?)" if close else ""
            out.append(f"channel {ch!r}{hint} was never fitted (fitted: {', '.join(known)}): "
                       "its airings get the mean strength of the fitted channels")
        far = grp_at_predict(plan, self.spots_) if len(plan) else None
        return out + ([far] if far else [])

    def decompose(self, index: pd.DatetimeIndex, spots: pd.DataFrame | None = None) -> pd.DataFrame:
        """Expected calls split into ``baseline`` and ``fast:<channel>``/``slow:<channel>``."""
        index = self._index(index)
        comp = self._components(index, spots)
        columns = {"baseline": comp.baseline}
        for i, ch in enumerate(comp.channels):  # one frame at once: a campaign has 59 channels
            columns[f"fast:{ch}"] = comp.fast[i]
            columns[f"slow:{ch}"] = comp.slow[i]
        return pd.DataFrame(columns, index=pd.DatetimeIndex(index, name=S.INDEX))

    def _index(self, index) -> pd.DatetimeIndex:
        if not isinstance(index, pd.DatetimeIndex) or len(index) == 0:
            raise ValueError("index must be a DatetimeIndex of regular interval starts, got "
                             + (f"{type(index).__name__}" if not isinstance(index, pd.DatetimeIndex)
                                else "an empty one"))
        if len(index) > MAX_INTERVALS:
            raise ValueError(f"index holds {len(index):,} intervals; at most {MAX_INTERVALS:,} "
                             "are forecast at once: split the window or use longer intervals")
        if not index.is_monotonic_increasing:
            raise ValueError(f"index must run forward in time (start before end), got "
                             f"{index[0]} first and {index[-1]} last")
        index = localize_wall_clock(index, self.tz) if index.tz is None \
            else index.tz_convert(self.tz)
        if len(index) == 1 and index[0] != days_of(index)[0]:
            # A local midnight alone is that whole day (a daily line's next day); any other
            # single start does not say how long its interval is.
            raise ValueError(f"index: one interval start alone ({index[0]}) does not say the "
                             "interval's length; give two or more, or a local midnight for a "
                             "whole day")
        _interval_ends(index)  # checks regularity
        return index

    def _variance(self, comp: _Components, mean: np.ndarray) -> np.ndarray:
        assert self.baseline_ is not None
        return forecast_variance(comp, mean, self.baseline_, self.response, self.history_end_)

    # ---- persistence -----------------------------------------------------------
    def to_dict(self) -> dict:
        """Everything needed to predict, as JSON-ready data."""
        return model_to_dict(self)

    def save(self, path: str | Path) -> None:
        """Write the fitted model as JSON."""
        save_model(self, path)

    @classmethod
    def load(cls, path: str | Path) -> CallForecaster:
        """Read a model written by `save`."""
        return load_model(cls, path)

    @classmethod
    def from_dict(cls, data: dict) -> CallForecaster:
        """Rebuild a model from `to_dict` output."""
        return model_from_dict(cls, data)


def _plan_misses(plan: pd.DataFrame, end: pd.Timestamp) -> list[str]:
    """A warning when every airing of a plan comes after the window: most likely wrong dates."""
    if not len(plan) or (plan[S.START] < end).any():
        return []
    return [f"all {len(plan)} airing(s) of the plan come after the window's end "
            f"({end:%Y-%m-%d %H:%M}), so they add nothing to it: check their dates"]


def _quiet(stage: str, done: float) -> None:
    """The progress callback of a fit nobody watches."""
