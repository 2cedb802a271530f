"""The whole capacity plan: forecast frame -> requirements -> shifts -> summary, and comparisons."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import schema as S
from .plan import _measures, staffing_plan
from .shifts import ShiftPlan, ShiftTemplate, TempPolicy, plan_shifts, standard_templates

DEFAULT_PATIENCE_S = 120.0  # used with Erlang A when no patience is given (documented)


@dataclass
class CapacityPlan:
    """Requirements per period, the shift plan that covers them, and the figures to decide on."""

    requirements: pd.DataFrame
    shifts: ShiftPlan
    summary: dict = field(default_factory=dict)
    settings: dict = field(default_factory=dict)


def capacity_plan(volume: pd.DataFrame, aht_s=None, *, period: str = "15min",
                  method: str = "mol", model: str = "erlang_a", patience_s: float | None = None,
                  sl_target: float = 0.8, target_s: float = 20.0, shrinkage: float = 0.3,
                  staff_to: str = "mean", quantile: float | None = None,
                  max_occupancy: float | None = None, max_abandon: float | None = None,
                  templates: list[ShiftTemplate] | None = None,
                  permanent: pd.Series | float = 0.0, policy: TempPolicy | None = None,
                  time_limit_s: float = 60.0) -> CapacityPlan:
    """Plan a campaign's staffing end to end.

    Defaults suit a TV campaign: time-varying staffing (MOL) with Erlang A (callers hang up;
    mean patience 120 s unless ``patience_s`` is given), 80 % of calls answered within 20 s,
    30 % shrinkage, shifts of 4, 6 or 8 hours between 08:00 and 18:00.

    Parameters
    ----------
    volume : DataFrame
        A forecast (``mean`` and ``pNN``) or history (``calls``) frame at 1-15 minutes.
    aht_s, period, method, model, patience_s, sl_target, target_s, shrinkage, staff_to,
    quantile, max_occupancy, max_abandon
        As in `staffing_plan`.
    templates : list of ShiftTemplate, optional
        Shift patterns (default `standard_templates`).
    permanent : Series or float
        Agents of the permanent team already rostered per planning period.
    policy : TempPolicy, optional
        Cost and terms of temporary staff.

    Returns
    -------
    CapacityPlan
        ``requirements`` per period (with ``staffed`` and the ``achieved_*`` service of the
        roster), ``shifts`` and ``summary``.
    """
    if model == "erlang_a" and patience_s is None:
        patience_s = DEFAULT_PATIENCE_S
    req = staffing_plan(volume, aht_s, period=period, method=method, model=model,
                        sl_target=sl_target, target_s=target_s, patience_s=patience_s,
                        shrinkage=shrinkage, staff_to=staff_to, quantile=quantile,
                        max_occupancy=max_occupancy, max_abandon=max_abandon)
    templates = templates or standard_templates()
    shifts = plan_shifts(req[S.SCHEDULED].astype(float), templates, permanent=permanent,
                         policy=policy, time_limit_s=time_limit_s)
    staffed = shifts.coverage["staffed"].to_numpy()
    on_phones = np.floor(staffed * (1.0 - shrinkage) + 1e-9)
    load = req[S.STAFFING_LOAD_ERL].to_numpy()
    achieved = _measures(model, load, req[S.AHT_S].to_numpy(), patience_s, on_phones, target_s,
                         "offered")
    req = req.copy()
    req["staffed"] = staffed
    req["on_phones"] = on_phones
    req["achieved_service_level"] = np.where(req[S.CALLS] > 0, achieved[S.SERVICE_LEVEL], 1.0)
    if S.ABANDON_RATE in achieved:
        req["achieved_abandon_rate"] = np.where(req[S.CALLS] > 0, achieved[S.ABANDON_RATE], 0.0)
    summary = _summary(req, shifts, sl_target)
    settings = dict(period=period, method=method, model=model, patience_s=patience_s,
                    sl_target=sl_target, target_s=target_s, shrinkage=shrinkage,
                    staff_to=staff_to, quantile=quantile)
    return CapacityPlan(requirements=req, shifts=shifts, summary=summary, settings=settings)


def _summary(req: pd.DataFrame, shifts: ShiftPlan, sl_target: float) -> dict:
    calls = req[S.CALLS].to_numpy()
    total = calls.sum()

    def weighted(col):
        return float((req[col] * calls).sum() / total) if total > 0 else 1.0

    out = {
        "calls": float(total),
        "peak_agents": int(req[S.AGENTS].max()),
        "peak_scheduled": int(req[S.SCHEDULED].max()),
        "required_agent_hours": float(req[S.SCHEDULED].sum() * _period_h(req)),
        "planned_service_level": weighted(S.SERVICE_LEVEL),
        "achieved_service_level": weighted("achieved_service_level"),
        "periods_below_target": int(((req["achieved_service_level"] < sl_target)
                                     & (req[S.CALLS] > 0)).sum()),
    }
    if "achieved_abandon_rate" in req:
        out["achieved_abandon_rate"] = weighted("achieved_abandon_rate")
        out["abandoned_calls"] = float((req["achieved_abandon_rate"] * calls).sum())
    if S.P_MEET in req:
        out["mean_p_meet_target"] = weighted(S.P_MEET)
    out.update(shifts.summary)
    return out


def _period_h(req: pd.DataFrame) -> float:
    idx = pd.DatetimeIndex(req.index)
    return (idx[1] - idx[0]).total_seconds() / 3600 if len(idx) > 1 else 1.0


COMPARE_ROWS = ("calls", "peak_agents", "peak_scheduled", "temps_hired", "first_day", "last_day",
                "temp_shift_hours", "temp_cost", "planned_service_level", "achieved_service_level",
                "achieved_abandon_rate", "abandoned_calls", "uncovered_agent_hours")


def compare_plans(plans: dict[str, CapacityPlan]) -> pd.DataFrame:
    """Scenarios side by side, with each one's difference from the first.

    Examples
    --------
    >>> compare_plans({})
    Empty DataFrame
    Columns: []
    Index: []
    """
    if not plans:
        return pd.DataFrame()
    table = pd.DataFrame({name: {k: p.summary.get(k) for k in COMPARE_ROWS}
                          for name, p in plans.items()})
    names = list(plans)
    for name in names[1:]:
        diff = []
        for row in table.index:
            a, b = table.loc[row, names[0]], table.loc[row, name]
            numeric = isinstance(a, (int, float, np.number)) and isinstance(b, (int, float, np.number))
            diff.append(b - a if numeric else None)
        table[f"{name} - {names[0]}"] = diff
    return table
