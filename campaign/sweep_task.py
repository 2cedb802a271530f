"""What a sweep's workers run: a schedule's forecast, and one scenario's capacity plan.

Pure functions of picklable inputs, so that any dask worker (or a plain loop) can run
them: `forecast_schedule` once per schedule, `evaluate_scenario` once per scenario with
that forecast.
"""

from __future__ import annotations

import time
import warnings

import numpy as np
import pandas as pd

from forecast import CallForecaster
from staffing.capacity import capacity_plan
from staffing.shifts import TempPolicy, standard_templates
from tabular.days import days_of

#: Columns a scenario adds to its inputs in a sweep's results.
OUTPUTS = ("calls", "peak_agents", "temps", "temp_cost", "total_cost", "service_level",
           "abandon_rate", "seconds", "error")
_Z90 = 1.2815515655446004  # standard normal 90 % quantile: p10-p90 spans 2 z90 sd
_QUANTILES = (0.1, 0.5, 0.9)


def forecast_schedule(model: CallForecaster, spots: pd.DataFrame, start: pd.Timestamp,
                      end: pd.Timestamp, freq: str, quantiles=()) -> pd.DataFrame:
    """``model``'s forecast of ``spots`` over ``[start, end)``: ``mean``, p10, p50, p90 and ``quantiles``.

    The forecaster's warnings stay in ``attrs["notes"]`` (`forecast_notes`) instead of
    being printed by a worker, where nobody reads them.
    """
    index = pd.date_range(start, end, freq=freq, inclusive="left", name="interval_start")
    qs = tuple(sorted(set(_QUANTILES) | {float(q) for q in quantiles}))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return model.predict(index, spots, quantiles=qs)


def forecast_notes(forecast: pd.DataFrame) -> list[str]:
    """What the forecaster noted about a schedule (unknown channels, GRP out of range ...)."""
    return list(forecast.attrs.get("notes", []))


def sample_path(forecast: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """One path of calls drawn from the forecast, as a frame with a ``mean`` column.

    Each day draws one standard normal ``z`` and every interval of the day gets
    ``p50 + z · (p90 − p10) / 2.563`` calls (at least 0): the day's level error dominates
    a forecast's error a day or more ahead (docs/design.md), so a whole day runs high or
    low together; interval noise on top is left to the simulation.

    Examples
    --------
    >>> idx = pd.date_range("2009-04-20 08:00", periods=4, freq="1h", tz="Europe/Rome")
    >>> fc = pd.DataFrame({"mean": 10.0, "p10": 8.0, "p50": 10.0, "p90": 12.0}, index=idx)
    >>> path = sample_path(fc, np.random.default_rng(0))
    >>> path["mean"].nunique(), list(path.columns)
    (1, ['mean'])
    """
    day = days_of(forecast.index)
    codes, days = pd.factorize(day)
    z = rng.standard_normal(len(days))[codes]
    sd = (forecast["p90"].to_numpy(float) - forecast["p10"].to_numpy(float)) / (2 * _Z90)
    calls = np.maximum(forecast["p50"].to_numpy(float) + z * sd, 0.0)
    return pd.DataFrame({"mean": calls}, index=forecast.index)


def plan_settings(scenario: dict) -> dict:
    """`staffing.capacity.capacity_plan` keywords of a scenario row."""
    lengths = tuple(float(h) for h in str(scenario["shifts"]).split(","))
    quantile = scenario.get("quantile", "mean")
    return dict(
        aht_s=float(scenario["aht_s"]), sl_target=float(scenario["sl_target"]),
        target_s=float(scenario["target_s"]), patience_s=float(scenario["patience_s"]),
        shrinkage=float(scenario["shrinkage"]), service_goal=scenario["service_goal"],
        model=scenario["model"], period=scenario["period"],
        templates=standard_templates(lengths, scenario["open"], scenario["close"]),
        permanent=int(scenario["permanent"]),
        policy=TempPolicy(hourly_cost=float(scenario["hourly_cost"])),
        replications=int(scenario["replications"]),
        quantile=None if quantile in (None, "mean") else float(str(quantile)[1:]) / 100)


def evaluate_scenario(scenario: dict, forecast: pd.DataFrame, seed: int = 0) -> dict:
    """One scenario's capacity plan, summed up: the row of a sweep's results.

    Parameters
    ----------
    scenario : dict
        A row of `campaign.sweep_grid.scenario_table`.
    forecast : DataFrame
        The forecast of the scenario's schedule (`forecast_schedule`).
    seed : int
        Seed of the sweep: path ``k`` is drawn with ``default_rng([seed, k])``.

    Returns
    -------
    dict
        The scenario's inputs and `OUTPUTS`: calls, peak agents required, temps hired,
        temp cost, total cost, service level and abandon rate (simulated), seconds, and
        ``error`` (empty, or why this scenario has no plan).
    """
    clock = time.perf_counter()
    out = dict(scenario)
    try:
        volume = forecast
        share = scenario.get("share")
        if share is not None and not pd.isna(share):
            volume = forecast * float(share)  # a queue's share of every column, quantiles too
        path = scenario.get("path")
        if path is not None and not pd.isna(path):
            volume = sample_path(volume, np.random.default_rng([seed, int(path)]))
        plan = capacity_plan(volume, **plan_settings(scenario))
        s = plan.summary
        out.update(calls=float(s["calls"]), peak_agents=int(s["peak_agents"]),
                   temps=int(s.get("temps_hired", 0)), temp_cost=float(s.get("temp_cost", 0.0)),
                   total_cost=float(s.get("total_cost", 0.0)),
                   service_level=float(s["service_level"]), abandon_rate=float(s["abandon_rate"]),
                   error="")
    except ValueError as exc:  # one scenario's impossible settings must not end the sweep
        out.update({k: np.nan for k in OUTPUTS}, error=" ".join(str(exc).split()))
    out["seconds"] = time.perf_counter() - clock
    return out
