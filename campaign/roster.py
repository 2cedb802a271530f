"""A capacity plan's roster kept as it is, against another forecast.

The ``"lost_calls"`` objective holds the staff (the original plan's shifts, hence its
cost) and moves the airings: the proposed schedule is judged by the same roster's
simulated service against its forecast. The plan returned is the original one with the
requirement and every service figure recomputed for the new calls; shifts, temps and
costs are unchanged.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from staffing.capacity import CapacityPlan
from staffing.evaluate import evaluate_roster
from staffing.plan import staffing_plan

_PLAN_KEYS = ("period", "method", "model", "patience_s", "shrinkage", "staff_to", "quantile",
              "max_occupancy", "max_abandon", "target_s", "sl_target")


def same_roster(plan: CapacityPlan, forecast: pd.DataFrame, aht_s: float) -> CapacityPlan:
    """``plan``'s roster evaluated against ``forecast`` (same intervals as the plan's).

    Parameters
    ----------
    plan : CapacityPlan
        The original plan (its ``settings`` say how it was made).
    forecast : DataFrame
        The new forecast frame, on the same intervals as the one ``plan`` was made from.
    aht_s : float
        Average handling time, seconds.

    Returns
    -------
    CapacityPlan
        Requirements, ``daily`` and ``summary`` for the new calls; shifts and costs as in
        ``plan``.
    """
    s = plan.settings
    given: dict[str, Any] = {k: s.get(k) for k in _PLAN_KEYS}
    req = staffing_plan(forecast, aht_s, **given)
    index = pd.DatetimeIndex(forecast.index)
    on_phones = plan.requirements["on_phones"].reindex(index, method="ffill").fillna(0.0)
    service = evaluate_roster(forecast["mean"].to_numpy(float), index, on_phones.to_numpy(),
                              aht_s=aht_s, patience_s=s.get("patience_s"),
                              target_s=s.get("target_s", 20.0),
                              replications=s.get("replications", 4), seed=s.get("seed", 2009),
                              redial_prob=s.get("redial_prob", 0.0),
                              redial_delay_s=s.get("redial_delay_s", 300.0),
                              trunk_limit=s.get("trunk_limit"))
    requirements = plan.requirements.copy()
    for column in req.columns.intersection(
            ["calls", "traffic_erl", "staffing_load_erl", "agents", "scheduled", "binding"]):
        requirements[column] = req[column].reindex(requirements.index).to_numpy()
    keys = requirements.index.get_indexer(index, method="ffill")
    got = service.by(keys)
    for column in ("service_level", "abandon_rate", "asa_s"):
        if column in requirements:
            requirements[column] = got[column].reindex(np.arange(len(requirements))).fillna(
                1.0 if column == "service_level" else 0.0).to_numpy()
    daily = plan.daily.copy()
    fresh = service.daily()
    for column in fresh.columns:
        daily[column] = fresh[column].reindex(daily.index)
    totals = service.totals()
    busy = fresh["calls"] > 0
    sl_target = s.get("sl_target", 0.8)
    summary = {**plan.summary, **{k: totals[k] for k in (
        "calls", "service_level", "service_level_ci", "abandon_rate", "abandon_rate_ci",
        "abandoned_calls", "blocked_rate", "asa_s", "attempts", "unique_callers")}}
    summary.update(peak_agents=int(requirements["agents"].max()),
                   peak_scheduled=int(requirements["scheduled"].max()),
                   days_below_target=int((fresh.loc[busy, "service_level"] < sl_target).sum()),
                   worst_day_service_level=float(fresh.loc[busy, "service_level"].min())
                   if busy.any() else 1.0)
    return replace(plan, requirements=requirements, daily=daily, summary=summary, service=service)
