"""The whole capacity plan: forecast frame -> requirements -> shifts -> summary, and comparisons."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import partial

import numpy as np
import pandas as pd

from tabular.days import days_of

from . import _validate as v
from . import schema as S
from .evaluate import RosterService, evaluate_roster
from .frames import interval_seconds, spread_columns, volume_column
from .goal import GOALS, goal_block, service_curves
from .load import modified_offered_load
from .periods import period_keys, period_spans
from .permanent import PermanentTeam
from .plan import _measures, _period_scenarios, staffing_plan
from .shifts import ShiftPlan, ShiftTemplate, TempPolicy, plan_shifts, standard_templates
from .uncertainty import plan_risk

DEFAULT_PATIENCE_S = 120.0  # used with Erlang A when no patience is given (documented)
_GOAL_MARGIN = 0.003  # added to a day's goal when the simulated roster falls short of it
# Each day must meet its goal in the evaluation by this much more, so that it holds
# against the evaluation's own sampling error (about one point per day, 95 %).
_SAFETY = 0.01
_GOAL_ROUNDS = 4  # solves of the programme at most, for service_goal "day" or "window"
_GAP = 1e-2  # relative MIP gap of the goal programme: 1 % of cost, well inside the forecast error
_REQUIREMENT_MEASURES = (S.SERVICE_LEVEL, S.ASA_S, S.OCCUPANCY, S.P_WAIT, S.ABANDON_RATE)


@dataclass
class CapacityPlan:
    """Requirements per period, the shift plan that covers them, and the figures to decide on.

    Every service figure (``requirements``' ``service_level``, ``abandon_rate``, ``asa_s``,
    ``daily`` and ``summary``) comes from one evaluation of the roster that will work,
    `staffing.evaluate.evaluate_roster`; ``service`` keeps it for further breakdowns.
    """

    requirements: pd.DataFrame
    shifts: ShiftPlan
    summary: dict = field(default_factory=dict)
    settings: dict = field(default_factory=dict)
    daily: pd.DataFrame = field(default_factory=pd.DataFrame)
    service: RosterService | None = None


def capacity_plan(volume: pd.DataFrame, aht_s=None, *, period: str = "15min",
                  method: str = "mol", model: str = "erlang_a", patience_s: float | None = None,
                  sl_target: float = 0.8, target_s: float = 20.0, shrinkage: float = 0.3,
                  staff_to: str = "mean", quantile: float | None = None,
                  max_occupancy: float | None = None, max_abandon: float | None = None,
                  templates: list[ShiftTemplate] | None = None,
                  permanent=0.0, policy: TempPolicy | None = None,
                  service_goal: str = "interval", sl_floor: float | None = None,
                  redial_prob: float = 0.0, redial_delay_s: float = 300.0,
                  trunk_limit: int | None = None, replications: int = 4, seed: int = 2009,
                  time_limit_s: float = 60.0) -> CapacityPlan:
    """Plan a campaign's staffing end to end.

    Defaults suit a TV campaign: time-varying staffing (MOL) with Erlang A (callers hang up;
    mean patience 120 s unless ``patience_s`` is given), 80 % of calls answered within 20 s,
    30 % shrinkage on top of the shift templates' breaks, shifts of 4, 6 or 8 hours between
    08:00 and 18:00.

    Parameters
    ----------
    volume : DataFrame
        A forecast (``mean`` and ``pNN``) or history (``calls``) frame at 1-15 minutes.
    aht_s, period, method, model, patience_s, sl_target, target_s, staff_to,
    quantile, max_occupancy, max_abandon
        As in `staffing_plan`.
    shrinkage : float
        Share of the time on duty spent off the phones *besides the breaks of the shift
        templates* (absence, meetings, coaching, after-call work not in the AHT). The
        templates already take their breaks off, so they are not counted twice.
    templates : list of ShiftTemplate, optional
        Shift patterns (default `standard_templates`).
    permanent : PermanentTeam, Series or float
        The permanent team: a `PermanentTeam` (their own shifts, days and cost), or
        agents on duty per planning period.
    policy : TempPolicy, optional
        Cost and terms of temporary staff.
    service_goal : {"interval", "day", "window"}
        ``"interval"``: every planning period staffed to the target at its own load (MOL:
        its worst minute). ``"day"``: the cheapest roster whose calls of each day meet
        ``sl_target`` over the day; ``"window"``: over the whole window. Both are checked
        by simulation and the goals raised where the roster falls short.
    sl_floor : float, optional
        With ``"day"`` or ``"window"``: no period is staffed below this service level
        (its own stationary requirement), e.g. 0.5.
    redial_prob, redial_delay_s, trunk_limit
        Callers who hang up or hear busy and call again, and the most callers the line
        holds; both are in the evaluation (see `staffing.simulate.simulate`).
    replications, seed
        Simulation runs of the evaluation and the seed of the first one.

    Returns
    -------
    CapacityPlan
        ``requirements`` per period (with ``staffed``, ``on_phones`` and the roster's
        ``service_level``, ``abandon_rate``, ``asa_s``), ``daily``, ``shifts`` and
        ``summary``.
    """
    service_goal = v.choice("service_goal", service_goal, GOALS)
    _check_shift_period(period)
    if sl_floor is not None and not 0 < sl_floor < sl_target:
        raise ValueError(f"sl_floor must be between 0 and sl_target ({sl_target}), got {sl_floor}")
    if model == "erlang_a" and patience_s is None:
        patience_s = DEFAULT_PATIENCE_S
    settings = dict(period=period, method=method, model=model, patience_s=patience_s,
                    sl_target=sl_target, target_s=target_s, shrinkage=shrinkage,
                    staff_to=staff_to, quantile=quantile, service_goal=service_goal,
                    sl_floor=sl_floor, redial_prob=redial_prob, trunk_limit=trunk_limit)
    common = dict(period=period, method=method, model=model, target_s=target_s,
                  patience_s=patience_s, shrinkage=shrinkage, staff_to=staff_to,
                  quantile=quantile, max_occupancy=max_occupancy, max_abandon=max_abandon)
    req = staffing_plan(volume, aht_s, sl_target=sl_target, **common)
    templates = templates or standard_templates()
    policy = _line_calendar(policy or TempPolicy(), volume, quantile)
    permanent = _permanent_team(permanent, templates, policy)
    settings.update(shift_lengths_h=tuple(sorted(t.length_h for t in templates)),
                    hourly_cost=policy.hourly_cost, currency=policy.currency,
                    templates=list(templates), policy=policy, permanent=permanent,
                    replications=replications, seed=seed, max_occupancy=max_occupancy,
                    max_abandon=max_abandon, redial_delay_s=redial_delay_s)
    column = volume_column(volume, quantile)
    calls = volume[column].to_numpy(float)
    aht = np.broadcast_to(volume[S.AHT_S].to_numpy(float) if aht_s is None else aht_s,
                          calls.shape).astype(float)
    keys = period_keys(pd.DatetimeIndex(volume.index), pd.Timedelta(period).total_seconds())
    pos = req.index.get_indexer(keys)
    evaluate = partial(_evaluate, calls, volume.index, pos, aht=aht, patience_s=patience_s,
                       target_s=target_s, shrinkage=shrinkage, redial_prob=redial_prob,
                       redial_delay_s=redial_delay_s, trunk_limit=trunk_limit,
                       replications=replications, seed=seed)
    if service_goal == "interval":
        shifts = plan_shifts(req[S.SCHEDULED].astype(float), templates, permanent=permanent,
                             policy=policy, time_limit_s=time_limit_s)
        service = evaluate(shifts)
    else:
        floor = (staffing_plan(volume, aht_s, sl_target=sl_floor, **common)[S.SCHEDULED]
                 if sl_floor is not None else req[S.SCHEDULED] * 0)
        shifts, service = _plan_to_goal(
            volume, calls, aht, pos, req, floor.astype(float), templates, permanent, policy,
            service_goal, sl_target, model, patience_s, target_s, shrinkage, evaluate,
            time_limit_s)
    req = _roster_columns(req, shifts, service, pos, shrinkage)
    req = _forecast_risk(req, volume, keys, sl_target, target_s,
                         patience_s if model == "erlang_a" else None)
    daily = _daily(service, shifts, req, policy, permanent)
    summary = _summary(req, shifts, service, sl_target)
    return CapacityPlan(requirements=req, shifts=shifts, summary=summary, settings=settings,
                        daily=daily, service=service)


def _check_shift_period(period) -> None:
    """Shift starts, lengths and breaks are counted in periods of at most an hour."""
    try:
        period_s = pd.Timedelta(period).total_seconds()
    except (TypeError, ValueError):
        raise ValueError(f"period must be a duration such as '15min' or '1h', "
                         f"got {period!r}") from None
    if not 0 < period_s <= 3600 or 3600 % period_s:
        raise ValueError(f"period of a capacity plan must divide one hour (e.g. 15min, 30min, "
                         f"1h): shift starts and breaks are placed on it, got {period!r}")


def _line_calendar(policy: TempPolicy, volume: pd.DataFrame, quantile) -> TempPolicy:
    """The line's calendar: days of the window without a forecast call are closed.

    Temps neither work nor count lead time or training on them.
    """
    calls = volume[volume_column(volume, quantile)]
    per_day = calls.groupby(days_of(volume.index)).sum()
    closed = tuple(d.date() for d, c in per_day.items()
                   if c <= 0 and d.weekday() in policy.working_days
                   and d.date() not in policy.holidays)
    return replace(policy, holidays=policy.holidays + closed) if closed else policy


def _permanent_team(permanent, templates: list[ShiftTemplate], policy: TempPolicy):
    """A headcount becomes a team on an 8-hour day shift from the first template start.

    Breaks as the templates have them, on the line's working days, paid like temps.
    """
    if isinstance(permanent, (PermanentTeam, pd.Series)):
        return permanent
    agents = float(permanent)
    if agents != int(agents) or agents < 0:
        raise ValueError(f"permanent must be a whole number of agents >= 0 or a PermanentTeam, "
                         f"got {permanent}")
    if agents == 0:
        return PermanentTeam()
    first = min(t.starts[0] for t in templates)
    start = pd.Timestamp(f"2000-01-01 {first}")
    end = (start + pd.Timedelta(hours=8)).strftime("%H:%M")
    team = PermanentTeam.simple(int(agents), first, end, days=policy.working_days,
                                hourly_cost=policy.hourly_cost)
    return replace(team, holidays=policy.holidays)


def _on_phones(shifts: ShiftPlan, shrinkage: float) -> np.ndarray:
    return np.floor(shifts.coverage["staffed"].to_numpy() * (1.0 - shrinkage) + 1e-9)


def _evaluate(calls, index, pos, shifts: ShiftPlan, *, aht, patience_s, target_s, shrinkage,
              redial_prob, redial_delay_s, trunk_limit, replications, seed) -> RosterService:
    """Simulate the roster of ``shifts`` against the volume at its own resolution."""
    on_phones = _on_phones(shifts, shrinkage)[pos]
    return evaluate_roster(calls, index, on_phones, aht_s=aht, patience_s=patience_s,
                           target_s=target_s, replications=replications, seed=seed,
                           redial_prob=redial_prob, redial_delay_s=redial_delay_s,
                           trunk_limit=trunk_limit)


def _plan_to_goal(volume, calls, aht, pos, req, floor, templates, permanent, policy, goal,
                  sl_target, model, patience_s, target_s, shrinkage, evaluate, time_limit_s):
    """Cheapest roster meeting the goal per day (or window), checked by simulation."""
    interval_s = interval_seconds(volume.index)
    mol_mean, _ = modified_offered_load(calls / interval_s, aht, interval_s)
    n_periods = len(req)
    high = np.maximum(req[S.AGENTS].to_numpy(float), 1.0)
    # No period is staffed below its offered load: below it the queue only stops growing
    # because callers give up, and there the answered-within-target curve is convex, so a
    # linear envelope would overstate it.
    load = np.bincount(pos, weights=mol_mean, minlength=n_periods) / np.maximum(
        np.bincount(pos, minlength=n_periods), 1)
    low = np.maximum(np.floor(floor.to_numpy(float) * (1.0 - shrinkage)), np.floor(load))
    low = np.minimum(low, high)
    floor = pd.Series(np.maximum(floor.to_numpy(float), np.ceil(low / (1.0 - shrinkage) - 1e-9)),
                      index=floor.index)

    def measure(load, aht_p, n):
        return _measures(model, load, aht_p, patience_s, n, target_s, "offered")[S.SERVICE_LEVEL]

    curves = service_curves(calls, mol_mean, aht, pos, n_periods, low, high, measure)
    days = days_of(req.index)
    if goal == "day":
        day_list, group_of = np.unique(days, return_inverse=True)
    else:
        day_list, group_of = np.array([days[0]]), np.zeros(n_periods, dtype=int)
    goals = np.full(len(day_list), sl_target)
    before = np.full(len(day_list), np.nan)
    hourly = (policy or TempPolicy()).hourly_cost
    # A call short of the goal costs as much as an hour of an agent per 20 calls: far above
    # what covering it costs wherever shifts can reach, so it is used only where they cannot.
    penalty = max(hourly, 1.0) * 100.0
    for _ in range(_GOAL_ROUNDS):
        shifts = plan_shifts(floor, templates, permanent=permanent, policy=policy,
                             time_limit_s=time_limit_s, mip_gap=_GAP, round_up=True,
                             goal=goal_block(curves, group_of, goals, shrinkage, penalty))
        service = evaluate(shifts)
        got = service.by(np.asarray(days[pos]) if goal == "day" else np.zeros(len(pos)))
        achieved = got["service_level"].reindex(day_list).to_numpy() if goal == "day" \
            else got["service_level"].to_numpy()
        # A day whose service did not move when its goal was raised cannot be helped by
        # more temps (no one can work then): stop raising it.
        stuck = np.abs(achieved - before) < 1e-9
        short = np.where(stuck, 0.0, np.nan_to_num(sl_target + _SAFETY - achieved))
        if (short <= 0).all():
            break
        before = achieved
        goals = np.minimum(goals + np.maximum(short, 0) + np.where(short > 0, _GOAL_MARGIN, 0),
                           0.999)
    return shifts, service


def _roster_columns(req: pd.DataFrame, shifts: ShiftPlan, service: RosterService, pos,
                    shrinkage: float) -> pd.DataFrame:
    """The roster's service per period replaces the requirement's own stationary figures."""
    out = req.drop(columns=[c for c in _REQUIREMENT_MEASURES if c in req])
    out["staffed"] = shifts.coverage["staffed"].to_numpy()
    out["on_phones"] = _on_phones(shifts, shrinkage)
    got = service.by(pos)
    for col in (S.SERVICE_LEVEL, S.ABANDON_RATE, S.ASA_S):
        out[col] = got[col].reindex(np.arange(len(out))).fillna(
            1.0 if col == S.SERVICE_LEVEL else 0.0).to_numpy()
    return out


_RISK = {S.EXPECTED_SL: "sl_over_forecast", S.P_MEET: "p_meet_target_over_forecast",
         S.EXPECTED_ABANDONED: "abandoned_over_forecast"}


def _forecast_risk(req: pd.DataFrame, volume: pd.DataFrame, keys, sl_target: float,
                   target_s: float, patience_s) -> pd.DataFrame:
    """The roster's service averaged over the forecast's range, in columns named so.

    ``staffing_plan`` computes these for the requirement; here they describe the agents
    the shifts put on the phones (stationary model per period, volume scenarios from the
    forecast's quantile columns), apart from the simulated figures at the forecast mean.
    """
    out = req.drop(columns=[c for c in _RISK if c in req])
    spread = spread_columns(volume)
    if spread is None or S.MEAN not in volume.columns:
        return out
    periods = pd.DatetimeIndex(req.index)
    span_s = period_spans(keys, periods, interval_seconds(volume.index))
    points = _period_scenarios(volume, spread, keys, periods)
    risk = plan_risk(points, out["on_phones"].to_numpy(), out[S.AHT_S].to_numpy(), span_s,
                     sl_target=sl_target, target_s=target_s, patience_s=patience_s)
    for name, values in risk.items():
        out[_RISK[name]] = values
    return out


def _daily(service: RosterService, shifts: ShiftPlan, req: pd.DataFrame,
           policy: TempPolicy, permanent) -> pd.DataFrame:
    """Per day: calls, the roster's service, agent-hours on the phones, temps, cost.

    The cost is that of the shifts worked that day (temps' and the permanent team's);
    training and contract top-ups are in the summary, as they belong to no single day.
    """
    daily = service.daily()
    days = days_of(req.index)
    period_h = _period_h(req)
    on_h = pd.Series(req["on_phones"].to_numpy() * period_h, index=days).groupby(level=0).sum()
    daily["agents_on_phones_hours"] = on_h.reindex(daily.index).fillna(0.0)
    working = shifts.hires["temps_working"]
    daily["temps"] = [int(working.get(d.date(), 0)) for d in daily.index]
    hours = (shifts.shifts.assign(h=(shifts.shifts["end"] - shifts.shifts["start"])
                                  .dt.total_seconds() / 3600 * shifts.shifts["temps"])
             .groupby("date")["h"].sum())
    daily["temp_shift_cost"] = [float(hours.get(d.date(), 0.0)) * policy.hourly_cost
                                for d in daily.index]
    if isinstance(permanent, PermanentTeam):
        idx = pd.DatetimeIndex(req.index)
        daily["permanent_cost"] = [permanent.cost(idx[days == d]) if (days == d).any() else 0.0
                                   for d in daily.index]
    else:
        daily["permanent_cost"] = 0.0
    daily["cost"] = daily["temp_shift_cost"] + daily["permanent_cost"]
    return daily


def _summary(req: pd.DataFrame, shifts: ShiftPlan, service: RosterService,
             sl_target: float) -> dict:
    t = service.totals()
    daily_sl = service.daily()
    busy = daily_sl["calls"] > 0
    out = {
        "calls": t["calls"],
        "peak_agents": int(req[S.AGENTS].max()),
        "peak_scheduled": int(req[S.SCHEDULED].max()),
        "peak_on_phones": int(req["on_phones"].max()),
        "required_agent_hours": float(req[S.SCHEDULED].sum() * _period_h(req)),
        "service_level": t["service_level"],
        "service_level_ci": t["service_level_ci"],
        "abandon_rate": t["abandon_rate"],
        "abandon_rate_ci": t["abandon_rate_ci"],
        "abandoned_calls": t["abandoned_calls"],
        "blocked_rate": t["blocked_rate"],
        "asa_s": t["asa_s"],
        "attempts": t["attempts"],
        "unique_callers": t["unique_callers"],
        "days_below_target": int((daily_sl.loc[busy, "service_level"] < sl_target).sum()),
        "worst_day_service_level": float(daily_sl.loc[busy, "service_level"].min())
        if busy.any() else 1.0,
        "periods_below_target": int(((req[S.SERVICE_LEVEL] < sl_target)
                                     & (req[S.CALLS] > 0)).sum()),
        "simulation_replications": t["replications"],
    }
    if "p_meet_target_over_forecast" in req:
        out["p_meet_target_over_forecast"] = float(
            (req["p_meet_target_over_forecast"] * req[S.CALLS]).sum()
            / max(req[S.CALLS].sum(), 1e-300))
    out.update(shifts.summary)
    return out


def _period_h(req: pd.DataFrame) -> float:
    idx = pd.DatetimeIndex(req.index)
    return (idx[1] - idx[0]).total_seconds() / 3600 if len(idx) > 1 else 1.0
