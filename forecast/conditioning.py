"""A forecast conditioned on the calls already observed (the shell of `forecast.update`).

The intervals of a day after its last observed one are re-forecast from the day's
calls so far: its level and, on campaign days, the strength of its airings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from tabular.days import local_date, local_dates

from .components import Components, without
from .grid import interval_ends
from .notes import warn
from .update import CAMPAIGN_DAY_REL_SD, actuals_by_day, update_day

if TYPE_CHECKING:
    from .model import CallForecaster
    from .update import DayUpdate


def condition(model: CallForecaster, comp: Components, mean: np.ndarray, var: np.ndarray,
              actuals: pd.DataFrame, spots: pd.DataFrame | None) -> tuple:
    """Mean and variance of ``comp``'s intervals given the calls observed so far.

    A day of actuals with no interval of ``comp`` after it changes nothing and is
    warned about (`forecast.notes.ForecastWarning`).

    Raises
    ------
    ValueError
        If the actuals end inside a forecast interval.
    """
    ends = interval_ends(comp.index)
    level = comp.baseline + comp.slow.sum(axis=0)  # what moves with the day's level
    fast = comp.fast.sum(axis=0)
    mean, var, updates = mean.copy(), var.copy(), []
    width, days = actuals_by_day(actuals, model.tz, ends[0] - comp.index[0])
    for day in days:
        times = pd.DatetimeIndex(day.index)
        now = times[-1] + width
        same_day = local_dates(comp.index) == local_date(times[0])
        rest = same_day & (comp.index >= now)
        cut = same_day & (comp.index < now) & (ends > now)
        if cut.any():
            raise ValueError(f"actuals end at {now}, inside the forecast interval starting "
                             f"{comp.index[cut][0]}; forecast at a step with a boundary there")
        if rest.any():
            updates.append((rest, model._day_update(day, width, now, spots)))
        else:  # most likely a wrong date: say so rather than return the plain forecast
            warn(f"the actuals of {times[0]:%Y-%m-%d} (up to {now:%H:%M}) update nothing: the "
                 "window has no interval of that day after them")
    if not updates:
        return mean, var
    for rest, u in updates:
        mean[rest] = u.base * level[rest] + u.campaign * fast[rest]
    # The other variance terms of the plain forecast, at the new means: by difference,
    # so that the variance has one formula.
    other = model._variance(without(comp), mean)
    no_campaign = model._variance(without(comp, campaign=True), mean)
    for rest, u in updates:
        var[rest] = u.base_var * level[rest] ** 2 + (
            no_campaign[rest] + u.campaign_var * fast[rest] ** 2 if u.campaign_updated
            else other[rest])
    return mean, var


def day_update(model: CallForecaster, day: pd.Series, width: pd.Timedelta, now: pd.Timestamp,
               spots: pd.DataFrame | None) -> DayUpdate:
    """The update of one day from its observed calls ``day`` (intervals of ``width``) at ``now``."""
    # One interval more than observed: the components need two to know the step.
    obs = model._components(pd.date_range(day.index[0], periods=len(day) + 1, freq=width),
                            spots)
    n, k = len(day), len(obs.channels)
    level = (obs.baseline + obs.slow.sum(axis=0))[:n]
    fast = obs.fast.sum(axis=0)[:n]
    mu = obs.baseline + obs.fast.sum(axis=0) + obs.slow.sum(axis=0)
    full = model._variance(obs, mu)[:n]
    no_level = model._variance(without(obs), mu)[:n]
    noise = model._variance(without(obs, campaign=True), mu)[:n]
    # The prior of the day's level is the level error the plain forecast carries.
    rel = (full - no_level)[level > 0] / level[level > 0] ** 2
    base_prior = float(np.median(rel)) if rel.size else 0.0
    cov = model._design_covariance(obs.channels)
    d = obs.design[:n, :k].sum(axis=0)
    fisher = float(d @ cov[:k, :k] @ d) / fast.sum() ** 2 if cov is not None and \
        fast.sum() > 0 else 0.0
    age_min = (now - (pd.DatetimeIndex(day.index) + width)).total_seconds().to_numpy() / 60.0
    return update_day(day.to_numpy(), level, fast, noise, age_min,
                      base_prior_var=base_prior,
                      campaign_prior_var=fisher + CAMPAIGN_DAY_REL_SD ** 2)
