"""`optimise_schedule`: move a campaign's airings so that the call centre needs fewer staff.

The forecast of any set of breaks is the forecast without them plus their per-break call
curves (`campaign.curves`), so choosing the breaks is a 0/1 programme (`campaign.program`):
minimise a linear stand-in for the staff cost (the peaks of the offered load) or, with
the staff fixed, for the lost calls, keeping each channel's GRP per ISO week and the
campaign-driven calls near the original schedule's. The proposal is then checked the way
a planner would: full capacity plans of the original and the proposed schedule, side by
side. docs/design.md says why this proxy and how it compares with the alternatives.
Given a dask client, the plan of the original schedule and the bound on the peak run on
its cluster while the programme is solved here.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import pandas as pd

from forecast import CallForecaster, validate_spots
from staffing.capacity import capacity_plan
from staffing.compare import compare_table
from tabular.days import days_of

from . import checks
from .candidates import break_table, channel_key
from .curves import break_curves, linearity_error
from .feasibility import check_groups, reach_range
from .load import mol_at_boundaries
from .moves import schedule_moves
from .program import OBJECTIVES, Programme, proxy_value, solve
from .result import Bound, ScheduleResult
from .roster import same_roster

#: Blocks whose peaks the ``"cost"`` proxy adds up, and the weight of the window's peak.
PEAK_BLOCK = "1D"
PEAK_WEIGHT = 0.7
LINEARITY_TOLERANCE = 1e-6


def optimise_schedule(model: CallForecaster, /, spots: pd.DataFrame, candidates: pd.DataFrame, *,
                      start, end, objective: str = "cost", grp_tolerance: float = 0.05,
                      reach_tolerance: float = 0.05, max_per_day_channel: int | None = None,
                      fixed: pd.DataFrame | None = None, blackout=None,
                      time_limit_s: float = 60.0, freq: str = "5min",
                      peak_block: str = PEAK_BLOCK, peak_weight: float = PEAK_WEIGHT,
                      client=None, **plan_settings: Any) -> ScheduleResult:
    """Propose a spot schedule that needs fewer staff (or loses fewer calls).

    Parameters
    ----------
    model : CallForecaster
        A fitted forecaster.
    spots : DataFrame
        The original schedule (spot contract: ``start``, ``channel``, ``grp``). Never
        modified; its airings outside ``[start, end)`` stay as they are.
    candidates : DataFrame
        Airings that may be booked (``start``, ``channel``, ``grp``, optional ``cost``).
        The original airings are always candidates; a candidate in the same channel and
        minute as an original airing is that airing.
    start, end : date or time
        The window planned (end exclusive); naive times are read in the model's zone.
    objective : {"cost", "lost_calls"}
        ``"cost"``: lowest staff cost at the service goal of ``plan_settings``;
        ``"lost_calls"``: fewest abandoned calls for the original plan's roster.
    grp_tolerance : float
        Each channel's GRP per ISO week stays within this share of the original's (unrated
        airings, GRP 0 or blank, count 0 there; their calls count in the reach).
    reach_tolerance : float
        The campaign-driven calls over the window (the response's contribution, not the
        baseline) stay within this share of the original schedule's.
    max_per_day_channel : int, optional
        Most airings a channel may carry on one day.
    fixed : DataFrame, optional
        Airings of the schedule (``start``, ``channel``) that must stay where they are.
    blackout : sequence of (from, to) or DataFrame, optional
        Times no airing may be booked in, ``[from, to)``; a frame with ``from``, ``to`` and
        an optional ``channel`` column limits a row to one channel.
    time_limit_s : float
        Time for the programme's solver; the best schedule found by then is returned with
        its distance from the bound.
    freq : str
        Interval of the forecasts (5 minutes shows the spikes a spot makes).
    peak_block, peak_weight : str, float
        The ``"cost"`` proxy: the mean over blocks (of this length within a day; ``"1D"``:
        days) of each block's peak staffing load, plus ``peak_weight`` times the window's
        peak (docs/design.md compares the choices).
    client : distributed.Client, optional
        A dask client: the original schedule's capacity plan and the LP bound on the peak
        are computed on its cluster while the programme is solved in this process (with
        ``"cost"``; ``"lost_calls"`` needs the original plan first, so only the bound
        moves). The proposal's plan needs the solution, so it runs last either way. The
        solver then keeps a tenth of ``time_limit_s`` for that plan instead of timing the
        original's.
    **plan_settings
        Passed to `staffing.capacity.capacity_plan` for both plans; ``aht_s`` is required.
        ``model`` here is the plan's queueing model (``"erlang_a"``): the forecaster is
        positional only.

    Returns
    -------
    ScheduleResult

    Raises
    ------
    ValueError
        For bad settings, and when the constraints cannot be met together, naming the one
        to blame (e.g. ``Rai 1 needs 114-126 GRP in week 2009-W16 (grp_tolerance) but the
        candidate slots offer 84``).

    Examples
    --------
    A heavy Monday on a synthetic line: the same GRP spread over the week needs fewer agents.

    >>> from forecast.synthetic import make_campaign
    >>> from campaign import break_slots
    >>> truth = make_campaign(days=21, campaign_from_day=7, seed=11)
    >>> model = CallForecaster(response=truth.truth).fit(truth.history)
    >>> plan = pd.DataFrame({"start": ["2024-01-29 10:30", "2024-01-29 11:00", "2024-01-29 11:30"],
    ...                      "channel": ["Rai 1"] * 3, "grp": [6.0, 6.0, 6.0]})
    >>> slots = break_slots(plan, pd.date_range("2024-01-29", periods=5))
    >>> r = optimise_schedule(model, plan, slots, start="2024-01-29", end="2024-02-03",
    ...                       max_per_day_channel=1, reach_tolerance=0.2, aht_s=240)
    >>> r.schedule["grp"].sum(), r.schedule["start"].dt.normalize().nunique()
    (np.float64(18.0), 3)
    >>> r.after.summary["peak_agents"] < r.before.summary["peak_agents"]
    True
    """
    clock = time.perf_counter()
    objective = checks.choice("objective", objective, OBJECTIVES)
    grp_tol = checks.tolerance("grp_tolerance", grp_tolerance)
    reach_tol = checks.tolerance("reach_tolerance", reach_tolerance)
    cap = checks.cap("max_per_day_channel", max_per_day_channel)
    limit_s = checks.seconds("time_limit_s", time_limit_s)
    if not isinstance(model, CallForecaster) or model.baseline_ is None:
        raise ValueError("model must be a fitted CallForecaster (fit it, or load a saved one)")
    aht_s = _aht(plan_settings.get("aht_s"))
    t0, t1 = checks.time("start", start, model.tz), checks.time("end", end, model.tz)
    if not t1 > t0:
        raise ValueError(f"end must be after start, got start {t0} and end {t1}")
    index = pd.date_range(t0, t1, freq=freq, inclusive="left", name="interval_start")
    breaks, outside = break_table(spots, candidates, start=t0, end=t1, tz=model.tz,
                                  fixed=fixed, blackout=blackout)
    if not len(breaks):
        raise ValueError(f"no airing of the schedule or the candidates falls between start "
                         f"{t0} and end {t1}")
    label = _labels(breaks)
    breaks["channel_group"] = breaks["channel"].map(channel_key).map(label)
    breaks["grp"] = breaks["grp"].fillna(0.0)
    low, high, target = _grp_ranges(breaks, grp_tol)
    check_groups(breaks.assign(channel=breaks["channel_group"]), low, high, cap)

    curves = break_curves(model, index, breaks, outside)
    original = breaks["original"].to_numpy()
    forecast_before = model.predict(index, spots)
    linear = linearity_error(forecast_before["mean"].to_numpy(), curves, original)
    calls = curves.calls.sum(axis=1)
    reach = float(calls[original].sum())
    reach_low, reach_high = reach * (1 - reach_tol), reach * (1 + reach_tol)
    groups = pd.MultiIndex.from_frame(breaks[["channel_group", "week"]])
    member = low.index.get_indexer(groups)
    fixed_mask, allowed = breaks["fixed"].to_numpy(), breaks["allowed"].to_numpy()
    day_group = pd.MultiIndex.from_frame(breaks[["channel_group", "day"]]).factorize()[0]
    least, most = reach_range(calls, breaks["grp"].to_numpy(), member, low.to_numpy(),
                              high.to_numpy(), fixed_mask, allowed, day_group, cap)
    if np.isnan(least) or np.isnan(most):
        parts = ["the GRP ranges per channel and week (grp_tolerance)"]
        parts += ["the cap per day (max_per_day_channel)"] if np.isfinite(cap) else []
        parts += ["the fixed airings"] if fixed_mask.any() else []
        parts += ["the blackouts"] if not allowed.all() else []
        raise ValueError(f"{', '.join(parts[:-1])} and {parts[-1]} cannot all be met together"
                         if len(parts) > 1 else f"{parts[0]} cannot be met")
    if most < reach_low or least > reach_high:
        raise ValueError(f"campaign-driven calls must stay within {reach_low:,.0f}-"
                         f"{reach_high:,.0f} (the original's {reach:,.0f} ± {reach_tol:.0%}, "
                         f"reach_tolerance) but schedules within the GRP ranges give "
                         f"{least:,.0f}-{most:,.0f}")

    interval_s = (index[1] - index[0]).total_seconds()
    erl = aht_s / interval_s  # calls per interval to offered load (Erlangs)
    plan_kw = dict(plan_settings)
    planned = time.perf_counter()
    if client is not None:
        before_job = client.submit(capacity_plan, forecast_before, **plan_kw, pure=False)
        before = before_job.result() if objective == "lost_calls" else None
        reserve_s = 0.1 * limit_s  # the original's plan is not timed here
    else:
        before = capacity_plan(forecast_before, **plan_kw)
        reserve_s = 1.5 * (time.perf_counter() - planned)
    open_ = (curves.reference + curves.calls.sum(axis=0)) > 0
    # The staffing load: the MOL's peak over each open interval, exactly (campaign.load).
    points, block, weights = _mol_points(index, open_, peak_block)
    staffing = dict(curves=mol_at_boundaries(curves.calls, interval_s, aht_s)[:, points],
                    reference=mol_at_boundaries(curves.reference, interval_s, aht_s)[points],
                    block=block, block_weight=weights, peak_weight=float(peak_weight))
    constraints = dict(grp=breaks["grp"].to_numpy(float), grp_group=member,
                       grp_low=low.to_numpy(), grp_high=high.to_numpy(), cap_group=day_group,
                       cap=cap, calls=calls, calls_low=reach_low, calls_high=reach_high,
                       fixed=fixed_mask, allowed=allowed, original=original)
    if objective == "lost_calls":
        # Load above the agents on the phones, interval by interval (average offered load).
        rows = np.flatnonzero(open_)
        assert before is not None  # planned first for this objective
        on_phones = before.requirements["on_phones"].reindex(index, method="ffill").fillna(0.0)
        rows_block, rows_weights = _blocks(index[rows], peak_block)
        programme = Programme(curves=curves.calls[:, rows] * erl,
                              reference=curves.reference[rows] * erl, block=rows_block,
                              block_weight=rows_weights, peak_weight=0.0,
                              capacity=on_phones.to_numpy(float)[rows], **constraints)
    else:
        programme = Programme(**staffing, **constraints)
    # What is left of the time, less the second plan's (about as long as the first).
    left_s = limit_s - (time.perf_counter() - clock) - reserve_s - 1.0
    peak_only = Programme(**{**staffing, "block_weight": np.zeros_like(weights), "peak_weight": 1.0},
                          **constraints)
    peak_kw: dict[str, Any] = dict(time_limit_s=max(limit_s / 10, 1.0), relax=True)
    peak_job = client.submit(solve, peak_only, "cost", **peak_kw, pure=False) if client is not None else None
    solution = solve(programme, objective, time_limit_s=max(left_s, 1.0))
    peak_lower = (peak_job.result() if peak_job is not None
                  else solve(peak_only, "cost", **peak_kw)).lower_bound
    if before is None:
        before = before_job.result()

    booked = solution.booked
    schedule = _schedule(spots, breaks, booked, model.tz)
    forecast_after = model.predict(index, schedule)
    linear = max(linear, linearity_error(forecast_after["mean"].to_numpy(), curves, booked))
    after = (same_roster(before, forecast_after, aht_s) if objective == "lost_calls"
             else capacity_plan(forecast_after, **plan_kw))
    notes = []
    if outside.attrs.get("candidates_outside"):
        notes.append(f"{outside.attrs['candidates_outside']} candidate airing(s) outside the "
                     f"window ({t0:%d/%m/%Y} to {t1:%d/%m/%Y}) were left out")
    if linear > LINEARITY_TOLERANCE:
        notes.append(f"the per-break curves miss the forecast by up to {linear:.2g} of the "
                     "largest campaign-driven calls of an interval")
    notes += _unconfirmed(objective, before.summary, after.summary)
    if not solution.optimal:
        notes.append(f"the solver stopped at its time limit ({limit_s:g} s) before proving "
                     "the schedule optimal: see the bound")
    load_before = mol_at_boundaries(curves.forecast(original), interval_s, aht_s)
    load_after = mol_at_boundaries(curves.forecast(booked), interval_s, aht_s)
    proxy_original = proxy_value(programme, original, objective)
    bound = Bound(objective=objective, original=proxy_original, result=solution.proxy,
                  lower=solution.lower_bound,
                  gap=(solution.proxy - solution.lower_bound) / solution.proxy
                  if solution.proxy > 0 else 0.0,
                  optimal=solution.optimal, peak_load_original=float(load_before.max()),
                  peak_load_result=float(load_after.max()), peak_load_lower=peak_lower)
    proposed_grp = breaks.assign(grp=breaks["grp"] * booked).groupby(
        ["channel_group", "week"])["grp"].sum()
    result_checks = {
        "grp": pd.DataFrame({"original": target, "proposed": proposed_grp.reindex(target.index),
                             "low": low, "high": high}),
        "campaign_calls": {"original": reach, "proposed": float(calls[booked].sum()),
                           "low": reach_low, "high": reach_high},
        "linearity_error": linear}
    if "cost" in breaks:
        cost = breaks["cost"].to_numpy(float)
        result_checks["media_cost"] = {"original": float(cost[original].sum()),
                                       "proposed": float(cost[booked].sum())}
    return ScheduleResult(
        schedule=schedule, before=before, after=after,
        moves=schedule_moves(breaks[original], breaks[booked]), bound=bound,
        comparison=compare_table({"original": before, "optimised": after}),
        forecast_before=forecast_before, forecast_after=forecast_after, checks=result_checks,
        seconds=time.perf_counter() - clock, notes=notes)


def _unconfirmed(objective: str, before: dict, after: dict) -> list[str]:
    """A note when the full plans do not confirm the programme's gain."""
    key, what = (("abandoned_calls", "abandoned calls") if objective == "lost_calls"
                 else ("total_cost", "total cost"))
    old, new = before.get(key), after.get(key)
    if old is None or new is None or new <= old:
        return []
    return [f"the full plans do not confirm the gain: {what} {old:,.0f} -> {new:,.0f}; the "
            "proposal is shown for comparison, the original schedule may be the better one"]


def _aht(value) -> float:
    """The handling time of the plan settings: one number of seconds > 0."""
    try:
        aht = float(value)
    except (TypeError, ValueError):
        aht = np.nan
    if not (np.isfinite(aht) and aht > 0):
        raise ValueError(f"plan settings need aht_s, the average handling time: one number of "
                         f"seconds > 0, got {value!r}")
    return aht


def _labels(breaks: pd.DataFrame) -> dict:
    """One display name per channel key: the original schedule's spelling first."""
    out: dict = {}
    for _, row in breaks.sort_values("original", ascending=False, kind="stable").iterrows():
        out.setdefault(channel_key(row["channel"]), row["channel"])
    return out


def _grp_ranges(breaks: pd.DataFrame, tol: float) -> tuple[pd.Series, pd.Series, pd.Series]:
    """GRP allowed per (channel, ISO week): the original's ± ``tol``; 0 where it had none."""
    keys = pd.MultiIndex.from_frame(breaks[["channel_group", "week"]]).unique()
    target = breaks[breaks["original"]].groupby(["channel_group", "week"])["grp"].sum()
    target = target.reindex(keys, fill_value=0.0)
    slack = 1e-9 * max(float(target.abs().max()) if len(target) else 0.0, 1.0)  # sums in another order
    return target * (1 - tol) - slack, target * (1 + tol) + slack, target


def _blocks(index: pd.DatetimeIndex, block: str) -> tuple[np.ndarray, np.ndarray]:
    """Block number of each interval (blocks of ``block`` within each day) and their weights.

    The weights average the blocks' peaks, so that ``peak_weight`` means the same for a
    week as for a month.
    """
    width = pd.Timedelta(block)
    if not pd.Timedelta(0) < width <= pd.Timedelta(days=1):
        raise ValueError(f"peak_block must be a duration from a minute to 1D such as '1h', "
                         f"got {block!r}")
    day = days_of(index)
    part = ((index - day) // width).to_numpy() if width < pd.Timedelta(days=1) else 0
    codes, _ = pd.MultiIndex.from_arrays([day, np.broadcast_to(part, len(index))]).factorize()
    blocks = int(codes.max(initial=-1)) + 1
    return codes, np.full(blocks, 1.0 / max(blocks, 1))


def _mol_points(index: pd.DatetimeIndex, open_: np.ndarray, block: str):
    """MOL boundaries that bound each open interval's peak, with the block of the interval.

    Interval ``j`` peaks at ``max(S[j], S[j+1])``: both boundaries are points of its block.
    """
    rows = np.flatnonzero(open_)
    codes, weights = _blocks(index[rows], block)
    pairs = np.unique(np.c_[np.r_[rows, rows + 1], np.r_[codes, codes]], axis=0)
    return pairs[:, 0], pairs[:, 1], weights


def _schedule(spots: pd.DataFrame, breaks: pd.DataFrame, booked: np.ndarray, tz: str) -> pd.DataFrame:
    """The proposed schedule: the original rows of kept breaks and outside the window, and the new."""
    original = validate_spots(spots, tz=tz)
    keep_rows = sorted(r for rows in breaks.loc[booked & breaks["original"].to_numpy(), "rows"]
                       for r in rows)
    inside = set(r for rows in breaks.loc[breaks["original"], "rows"] for r in rows)
    outside_rows = [r for r in range(len(original)) if r not in inside]
    columns = ["start", "channel", "grp"] + (["cost"] if "cost" in breaks else [])
    kept = original.iloc[sorted(keep_rows + outside_rows)]
    kept = kept[[c for c in columns if c in kept]]
    new = breaks.loc[booked & ~breaks["original"].to_numpy(), columns]
    out = pd.concat([kept, new], ignore_index=True)
    return out.sort_values(["start", "channel"], kind="stable").reset_index(drop=True)
