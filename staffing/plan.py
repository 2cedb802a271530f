"""Staffing plan: from a volume frame (history or forecast) to agents per planning period."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from . import _validate as v
from . import schema as S
from .erlang import _asa, _erlang_c, _occupancy, _service_level
from .erlang_a import SL_DEFINITIONS, erlang_a_core
from .frames import check_quantiles, interval_seconds, spread_columns, volume_column
from .load import modified_offered_load
from .periods import check_alignment, period_keys, period_seconds, period_spans
from .required import MODELS, required_agents
from .shrinkage import scheduled_agents
from .uncertainty import agents_for_expected_sl, plan_risk, volume_scenarios

METHODS = ("sipp", "mol")
STAFF_TO = ("mean", "quantile", "expected_sl")


def _measures(model, load_erl, aht, patience, agents, target_s, sl_definition):
    """Stationary measures at each (load, agents) pair; the model decides the formulas."""
    if model == "erlang_a":
        m = erlang_a_core(load_erl / aht, aht, patience, agents, target_s)
        return {S.SERVICE_LEVEL: m[f"sl_{sl_definition}"], S.ASA_S: m["asa_s"],
                S.OCCUPANCY: m["occupancy"], S.P_WAIT: m["p_wait"],
                S.ABANDON_RATE: m["p_abandon"]}
    c = _erlang_c(load_erl, agents)
    return {S.SERVICE_LEVEL: _service_level(load_erl, agents, aht, target_s, c),
            S.ASA_S: _asa(load_erl, agents, aht, c), S.OCCUPANCY: _occupancy(load_erl, agents),
            S.P_WAIT: c}


def staffing_plan(volume: pd.DataFrame, aht_s=None, *, period=None, method: str = "sipp",
                  model: str = "erlang_c", sl_target: float | None = 0.8, target_s: float = 20.0,
                  patience_s: float | None = None, shrinkage: float = 0.0,
                  quantile: float | None = None, max_occupancy: float | None = None,
                  asa_target_s: float | None = None, max_abandon: float | None = None,
                  sl_definition: str = "offered", fractional: bool = False,
                  staff_to: str = "mean") -> pd.DataFrame:
    """Agents needed per planning period for a history or forecast frame.

    Each planning period is staffed with `required_agents` for its load: the average
    load of the period (``method="sipp"``) or the highest modified offered load
    inside it (``method="mol"``, Green, Kolesar and Whitt 2007), which holds the
    target after a TV-spot spike when the volume is given at 1-5 minute resolution.

    The reported service level, ASA, occupancy and P(wait) are the expected values
    of the staffed period: the stationary model evaluated at the modified offered
    load of every volume interval inside it, weighted by calls (occupancy by time).
    So a SIPP plan shows where it falls short after a spike.

    Parameters
    ----------
    volume : DataFrame
        Calls per regular interval on a ``DatetimeIndex`` (the history or forecast
        contract): column ``calls``, or ``mean`` for a forecast, or the quantile column
        ``pNN`` when ``quantile`` is given; optional ``aht_s``.
    aht_s : float or array_like, optional
        Average handling time in seconds, one value or one per row; defaults to the
        frame's ``aht_s`` column.
    period : str, optional
        Planning period (``"15min"``, ``"30min"``, ``"1h"``, ``"2h"``, ``"1D"``): a whole
        number of volume intervals that divides one day. Defaults to the volume interval.
        Periods start on the local wall clock (days at local midnight, hours on the hour
        in every zone, see `staffing.periods`); a period cut short by a clock change or by
        the ends of the volume is staffed for the calls of the time it covers.
    method : {"sipp", "mol"}
        Stationary load per period, or modified offered load (time-varying).
    model : {"erlang_c", "erlang_a"}
        Queueing model; ``"erlang_a"`` needs ``patience_s``.
    sl_target, target_s, max_occupancy, asa_target_s, max_abandon, sl_definition, fractional
        Targets, as in `required_agents`.
    patience_s : float, optional
        Mean caller patience, seconds (Erlang A).
    shrinkage : float, default 0
        Share of paid time off the phones, in [0, 1): ``scheduled = ceil(agents / (1 - shrinkage))``.
    quantile : float, optional
        Staff to this forecast quantile (column ``pNN``) instead of the mean; implies
        ``staff_to="quantile"`` (with ``"expected_sl"`` it is refused).
    staff_to : {"mean", "quantile", "expected_sl"}
        What to staff to: the mean (or ``calls``), the ``quantile`` column, or the smallest
        headcount whose service level *expected over the forecast distribution* (read from
        the frame's lowest and highest quantile columns) meets ``sl_target``.

    Returns
    -------
    DataFrame
        One row per planning period, indexed by its start (``interval_start``), with columns
        ``calls``, ``aht_s``, ``traffic_erl`` (average offered load), ``staffing_load_erl``
        (the load staffed to), ``agents``, ``scheduled``, ``service_level``, ``asa_s``,
        ``occupancy``, ``p_wait``, ``binding`` (the target that sets the headcount) and, for
        Erlang A, ``abandon_rate``. When the frame has quantile columns, also
        ``expected_service_level``, ``p_meet_target`` and ``expected_abandoned`` over the
        forecast distribution.

    Raises
    ------
    ValueError
        On a frame without a regular ``DatetimeIndex`` or without the volume column,
        negative or missing calls, quantile columns that are not finite or cross, a period
        the volume's intervals do not fit, or any invalid target.

    Examples
    --------
    >>> import pandas as pd
    >>> idx = pd.date_range("2009-04-20 08:00", periods=2, freq="30min", tz="Europe/Rome",
    ...                     name="interval_start")
    >>> plan = staffing_plan(pd.DataFrame({"calls": [100, 200]}, index=idx), aht_s=180,
    ...                      shrinkage=0.3)
    >>> plan[["agents", "scheduled"]].to_numpy().tolist()
    [[14, 20], [24, 35]]
    """
    method = v.choice("method", method, METHODS)
    model = v.choice("model", model, MODELS)
    sl_definition = v.choice("sl_definition", sl_definition, SL_DEFINITIONS)
    staff_to = v.choice("staff_to", staff_to, STAFF_TO)
    if quantile is not None and staff_to == "expected_sl":
        raise ValueError(f"quantile={quantile} staffs to that forecast quantile and "
                         "staff_to='expected_sl' to the expected service level: give one of them")
    staff_to = "quantile" if quantile is not None else staff_to
    if staff_to == "quantile" and quantile is None:
        raise ValueError("staff_to='quantile' needs quantile=..., e.g. 0.9")
    spread = spread_columns(volume)
    if staff_to == "expected_sl" and (spread is None or S.MEAN not in volume.columns
                                      or sl_target is None):
        raise ValueError("staff_to='expected_sl' needs a forecast frame with 'mean' and two "
                         "quantile columns (e.g. p10, p90) and an sl_target")
    column = volume_column(volume, quantile)
    check_quantiles(volume)
    calls = v.nonnegative(column, volume[column].to_numpy(dtype=float, na_value=np.nan))
    if aht_s is None:
        if S.AHT_S not in volume.columns:
            raise ValueError("aht_s is missing: pass aht_s=... (seconds) or add an 'aht_s' column")
        aht_s = volume[S.AHT_S].to_numpy(dtype=float, na_value=np.nan)
    aht = np.broadcast_to(v.positive("aht_s", aht_s), calls.shape).astype(float)
    patience = None if patience_s is None else float(v.positive("patience_s", patience_s))
    interval_s = interval_seconds(volume.index)  # also checks it is a DatetimeIndex
    period_s = period_seconds(period, interval_s)
    index = pd.DatetimeIndex(volume.index)
    keys = period_keys(index, period_s)
    check_alignment(index, keys, period_s, interval_s)

    rate = calls / interval_s
    mol_mean, mol_peak = modified_offered_load(rate, aht, interval_s)
    fine = pd.DataFrame({"calls": calls, "work": calls * aht, "aht": aht,
                         "mol_peak": mol_peak}, index=keys)
    grouped = fine.groupby(level=0, sort=True)
    per = grouped.agg(calls=("calls", "sum"), work=("work", "sum"), aht_mean=("aht", "mean"),
                      mol_peak=("mol_peak", "max"))
    period_aht = np.where(per["calls"] > 0, per["work"] / np.maximum(per["calls"], 1e-300),
                          per["aht_mean"])
    # Real seconds per period: a period cut by the clock change or the volume's ends is shorter.
    span_s = period_spans(keys, per.index, interval_s)
    traffic = per["work"].to_numpy() / span_s
    # MOL: no staff for periods where nobody calls, whatever is still being served.
    load = traffic if method == "sipp" else np.where(per["calls"] > 0, per["mol_peak"], 0.0)

    agents = required_agents(
        load * span_s / period_aht, period_aht, span_s, sl_target=sl_target,
        target_s=target_s, max_occupancy=max_occupancy, asa_target_s=asa_target_s, model=model,
        patience_s=patience, max_abandon=max_abandon, sl_definition=sl_definition,
        fractional=fractional)
    agents = np.atleast_1d(agents)
    risk = None
    if spread is not None and sl_target is not None:
        points = _period_scenarios(volume, spread, keys, per.index)
        scale = np.divide(load, traffic, out=np.ones_like(load), where=traffic > 0)[:, None]
        kw: dict = dict(sl_target=sl_target, target_s=target_s,
                        patience_s=patience if model == "erlang_a" else None,
                        sl_definition=sl_definition)
        if staff_to == "expected_sl":
            low = required_agents(points[:, 0] * scale[:, 0], period_aht, span_s,
                                  sl_target=sl_target, target_s=target_s, model=model,
                                  patience_s=patience, sl_definition=sl_definition)
            agents = np.maximum(agents_for_expected_sl(points * scale, period_aht, span_s,
                                                       start=np.atleast_1d(low), **kw), 0)
            agents = agents.astype(np.int64)
        risk = plan_risk(points * scale, agents, period_aht, span_s, **kw)

    # Expected performance: every volume interval at its own (modified) load.
    pos = per.index.get_indexer(keys)
    m = _measures(model, mol_mean, aht, patience, agents[pos].astype(float), target_s,
                  sl_definition)
    out = pd.DataFrame(index=pd.DatetimeIndex(per.index, name=S.INDEX))
    out[S.CALLS] = per["calls"].to_numpy()
    out[S.AHT_S] = period_aht
    out[S.TRAFFIC_ERL] = traffic
    out[S.STAFFING_LOAD_ERL] = load
    out[S.AGENTS] = agents
    out[S.SCHEDULED] = scheduled_agents(agents, shrinkage, fractional=fractional)
    for name, values in m.items():
        w = np.ones_like(calls) if name == S.OCCUPANCY else calls
        has = w > 0  # an empty interval adds nothing, not 0 x inf
        num = np.bincount(pos[has], weights=values[has] * w[has], minlength=len(per))
        den = np.bincount(pos, weights=w, minlength=len(per))
        out[name] = np.divide(num, den, out=np.zeros(len(per)), where=den > 0)
    quiet = out[S.CALLS].to_numpy() == 0
    if quiet.any():  # nothing offered: the targets hold trivially
        out.loc[quiet, S.SERVICE_LEVEL] = 1.0
        out.loc[quiet, [S.ASA_S, S.P_WAIT]] = 0.0
    if risk is not None:
        for name, values in risk.items():
            out[name] = values
    out[S.BINDING] = _binding(model, load, period_aht, patience, agents, target_s,
                              sl_definition, sl_target, asa_target_s, max_occupancy, max_abandon,
                              staff_to)
    return out


def _period_scenarios(volume, spread, keys, periods) -> np.ndarray:
    """Volume scenarios per planning period from the interval means and spreads."""
    low_col, q_low, high_col, q_high = spread
    width = stats.norm.ppf(q_high) - stats.norm.ppf(q_low)
    mean = volume[S.MEAN].to_numpy(float)
    sd = np.maximum(volume[high_col].to_numpy(float) - volume[low_col].to_numpy(float), 0) / width
    pos = periods.get_indexer(keys)
    m = np.bincount(pos, weights=mean, minlength=len(periods))
    var = np.bincount(pos, weights=sd ** 2, minlength=len(periods))
    sd_p = np.sqrt(var)
    return volume_scenarios(m, m + stats.norm.ppf(q_low) * sd_p, m + stats.norm.ppf(q_high) * sd_p,
                            q_low, q_high)


def _binding(model, load, aht, patience, agents, target_s, sl_definition, sl_target,
             asa_target_s, max_occupancy, max_abandon, staff_to) -> list[str]:
    """Name the target(s) that one agent fewer would miss: why the headcount is what it is."""
    fewer = np.maximum(np.asarray(agents, float) - 1, 0)
    m = _measures(model, load, aht, patience, fewer, target_s, sl_definition)
    names = []
    for i, n in enumerate(np.asarray(agents, float)):
        if n == 0:
            names.append("no calls")
            continue
        why = []
        if sl_target is not None and m[S.SERVICE_LEVEL][i] < sl_target:
            why.append("service level")
        if asa_target_s is not None and m[S.ASA_S][i] > asa_target_s:
            why.append("ASA")
        if max_occupancy is not None and load[i] / max(fewer[i], 1e-9) > max_occupancy:
            why.append("occupancy cap")
        if max_abandon is not None and S.ABANDON_RATE in m and m[S.ABANDON_RATE][i] > max_abandon:
            why.append("abandonment")
        names.append(" + ".join(why) if why else
                     ("forecast risk" if staff_to == "expected_sl" else "service level"))
    return names
