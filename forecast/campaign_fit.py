"""The campaign step of `CallForecaster.fit`: fit the response, keep it only if it forecasts.

1. The response is fitted against the baseline of the days outside the campaign's reach
   (each airing and the 28 days after it), with day levels and selection (see
   `forecast.effects`).
2. If only a fast response survives, nothing can have moved the level: the baseline is
   refitted on all days, with the spikes taken off. Without two weeks free of the campaign
   (spots every day), baseline and response are backfitted instead: the baseline on the
   calls less the response, the response again, the baseline again.
3. A rolling-origin check (`forecast.holdout`) keeps the response only if it beats the
   spot-blind model out of sample, by more than chance; if nothing is kept, the baseline
   is the spot-blind one.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy import stats

from tabular.days import local_dates

from . import schema as S
from .baseline import fit_baseline
from .components import components
from .grid import interval_ends, unix_s
from .holdout import KEEP_LEVEL, campaign_check
from .notes import silenced
from .response_fit import fit_response

if TYPE_CHECKING:
    from .model import CallForecaster


BACKFIT_ROUNDS = 2  # baseline, response, baseline again
CAMPAIGN_TAIL_DAYS = 28  # the baseline is fitted away from each airing and this long after it
# A carry-over still above a tenth of itself when the baseline resumes learning would leak
# into the level: its half-life is bounded by what the days left out can identify.
SLOW_MAX_DAYS = CAMPAIGN_TAIL_DAYS / np.log2(10.0)


def campaign_reach(index: pd.DatetimeIndex, starts: pd.Series,
                   tail_days: float = CAMPAIGN_TAIL_DAYS) -> np.ndarray:
    """Intervals from an airing to ``tail_days`` after it, for any airing: the campaign's reach.

    Gaps between bursts longer than the tail are free of the campaign, so the baseline
    can follow the level through them.

    Examples
    --------
    >>> idx = pd.date_range("2024-01-01", periods=10, freq="D")
    >>> starts = pd.Series(pd.to_datetime(["2024-01-02 10:00", "2024-01-08 09:00"]))
    >>> campaign_reach(idx, starts, 2).astype(int).tolist()
    [0, 1, 1, 1, 0, 0, 0, 1, 1, 1]
    """
    t = np.sort(unix_s(pd.DatetimeIndex(starts)))
    ends, begins = unix_s(interval_ends(index)), unix_s(index)
    tail = tail_days * 86400.0
    # The latest airing before each interval's end reaches it if within the tail.
    last = np.searchsorted(t, ends, side="left") - 1
    ok = last >= 0
    out = np.zeros(len(index), bool)
    out[ok] = t[last[ok]] + tail >= begins[ok]
    return out


def _slow_kept(response) -> bool:
    return any(k[1] for k in response.kept.values()) and any(
        v > 0 for v in response.lift_per_grp.values())


def _refit_baseline_without(model: CallForecaster, series: pd.Series, spots: pd.DataFrame,
                            hol: frozenset, *, slow: bool) -> None:
    """Refit ``model.baseline_`` on the calls less the fitted spikes (and carry-over)."""
    comp = components(model, pd.DatetimeIndex(series.index), spots, in_sample=True)
    campaign = comp.fast.sum(axis=0) + (comp.slow.sum(axis=0) if slow else 0.0)
    campaign = np.where(np.isfinite(series.to_numpy()), campaign, 0.0)
    model.baseline_ = fit_baseline((series - campaign).clip(lower=0.0), hol,
                                   config=model.baseline_config, taken_off=campaign)


def fit_campaign(model: CallForecaster, series: pd.Series, spots: pd.DataFrame, hol: frozenset,
                 base: np.ndarray, open_: np.ndarray, weight: np.ndarray) -> None:
    """Fit ``model``'s response; keep it only where the data, in and out of sample, show it.

    Sets ``model.response`` and, when the campaign days turn out to be ordinary days,
    refits ``model.baseline_`` on all days; records the evidence in ``model.diagnostics_``.

    Parameters
    ----------
    model : CallForecaster
        With its baseline fitted on ``series``.
    series : Series
        Calls per interval of the history (NaN where there is no record).
    spots : DataFrame
        The history's airings (spot contract), at least one.
    hol : frozenset
        Dates of the holiday day type over the history.
    base, open_ : ndarray
        The baseline's expected calls per interval, and 1 where it is open, else 0.
    weight : ndarray
        The baseline fit's weight of each interval (0 on days the campaign may affect).
    """
    assert model.baseline_ is not None
    index = pd.DatetimeIndex(series.index)
    interval_s = float((index[1] - index[0]).total_seconds())
    model.response = None  # channel names are matched against the fitted ones only
    arrays = model._spot_arrays(spots, ())
    dates = local_dates(index)
    day = (dates - dates[0]).days.to_numpy()
    span_days = (index[-1] - spots[S.START].min()).total_seconds() / 86400.0
    y = series.to_numpy()
    start_s = float(unix_s(index[:1])[0])

    def fit(base, shapes=None, warm=None):
        return fit_response(y, base, model._flat(index, base, hol), open_,
                            start_s, interval_s, arrays, day,
                            fit_saturation=model.fit_saturation,
                            slow_max_days=min(span_days / 2, SLOW_MAX_DAYS),
                            shapes=shapes, day_sd=float(model.baseline_.level_rel_sd),
                            warm=warm)

    blind_baseline = model.baseline_ if not (weight < 1).any() else None
    result = fit(base, shapes=model._shapes)
    model.response = result.response
    if (weight < 1).any():
        if model.response.measurable and not _slow_kept(model.response):
            # No carry-over to attribute a level change to: the days of the campaign are
            # ordinary days once their spikes are taken off, and the baseline should be
            # as recent as a spot-blind one's.
            _refit_baseline_without(model, series, spots, hol, slow=False)
    else:
        # Spots throughout the history (a direct-response advertiser airs every day):
        # the baseline fitted on the raw calls holds the average response already, and
        # adding the response on top counts it twice. Backfit: the baseline on the calls
        # less the response, then the response against that baseline.
        for round_ in range(BACKFIT_ROUNDS):
            if not model.response.measurable:
                break
            _refit_baseline_without(model, series, spots, hol,
                                    slow=_slow_kept(model.response))
            if round_ == BACKFIT_ROUNDS - 1:
                break
            base = model._expected(index, hol, in_sample=True)
            result = fit(base, shapes=model._shapes, warm=model.response)
            model.response = result.response
    lr = 2.0 * (result.nll_no_campaign - result.nll)
    model.diagnostics_.update(
        campaign_likelihood_ratio=lr,
        campaign_p_value=float(stats.chi2.sf(max(lr, 0.0), 2 * len(arrays.names))),
        n_obs=result.n_obs)
    if model._shapes is not None:
        return
    if model.response.measurable:
        with silenced():
            check = campaign_check(
                series, spots, end=model.history_end_,
                aware=lambda h, s: model._sibling(shapes=model.response).fit(h, s),
                blind=lambda h: model._sibling().fit(h))
        model.diagnostics_["campaign_check"] = check
        worse = check["wape_with_spots"] >= check["wape_without_spots"]
        by_chance = check["p_value"] > KEEP_LEVEL  # NaN (too few days to test): WAPEs decide
        if not (worse or by_chance):
            model.response = replace(model.response, day_rel_sd=check["day_rel_sd"])
        if worse or by_chance:
            why = ("did not improve the forecast" if worse else
                   f"improved the forecast by no more than chance (p = {check['p_value']:.2f})")
            model.response = replace(
                model.response, note=(
                    "no measurable response: out of sample (origins "
                    f"{', '.join(check['origins'])}, {check['horizon_days']} day(s) ahead) "
                    f"the spots {why} (WAPE {check['wape_with_spots']:.3f} with them, "
                    f"{check['wape_without_spots']:.3f} without)"))
    if not model.response.measurable or model.response.note.startswith("no measurable"):
        model.response = replace(
            model.response, calls_per_grp=dict.fromkeys(model.response.calls_per_grp, 0.0),
            lift_per_grp=dict.fromkeys(model.response.lift_per_grp, 0.0), covariance=None,
            shape_covariance=None, shape_names=[])
        # The spot-blind baseline: no days left out, nothing taken off.
        model.baseline_ = blind_baseline or fit_baseline(series, hol,
                                                          config=model.baseline_config)
    model.diagnostics_["campaign_response"] = model.response.note or "measurable response"
