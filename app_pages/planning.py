"""The app's capacity plans and schedule proposals from its settings (no Streamlit).

Run in worker processes: `capacity` in the planning process, `optimise` in the
optimiser's.
"""

from __future__ import annotations

import pandas as pd

from campaign import optimise_schedule
from forecast import CallForecaster
from staffing.capacity import capacity_plan
from staffing.permanent import PermanentTeam
from staffing.shifts import TempPolicy, standard_templates


def shift_plan_settings(shifts: dict) -> dict:
    """``templates``, ``permanent`` and ``policy`` of `capacity_plan` from the shift settings."""
    if not shifts["lengths"]:
        raise ValueError("choose at least one shift length")
    templates = standard_templates(shifts["lengths"], shifts["open"], shifts["close"])
    if not shifts["working_days"]:
        raise ValueError("choose at least one working day")
    policy = TempPolicy(hourly_cost=shifts["temp_cost"], training_days=shifts["training_days"],
                        lead_time_days=shifts["lead_time_days"],
                        under_penalty_per_hour=shifts["under_penalty"],
                        working_days=shifts["working_days"], currency=shifts["currency"],
                        min_contract_hours=shifts["min_contract_hours"])
    team = PermanentTeam.simple(shifts["permanent"], shifts["permanent_start"],
                                shifts["permanent_end"], days=shifts["working_days"],
                                hourly_cost=shifts["permanent_cost"]) \
        if shifts["permanent"] else 0
    return dict(templates=templates, permanent=team, policy=policy)


def capacity(volume: pd.DataFrame, aht_s: float, settings: dict, shifts: dict):
    """The capacity plan for these inputs (``volume`` None: nothing, to start the process)."""
    if volume is None:
        return None
    return capacity_plan(volume, aht_s, **shift_plan_settings(shifts), **settings)


def optimise(model: dict | None, spots: pd.DataFrame, candidates: pd.DataFrame, start, end,
             aht_s: float, settings: dict, shifts: dict, constraints: dict):
    """`campaign.optimise_schedule` with the app's plan settings (``model``: its ``to_dict``).

    ``model`` None does nothing (it starts the process).
    """
    if model is None:
        return None
    forecaster = CallForecaster.from_dict(model)
    return optimise_schedule(forecaster, spots, candidates, start=start, end=end,
                             aht_s=aht_s, **constraints, **settings,
                             **shift_plan_settings(shifts))
