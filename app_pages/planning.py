"""The app's capacity plan from its settings, run in the planning process (no Streamlit)."""

from __future__ import annotations

import pandas as pd

from staffing.capacity import capacity_plan
from staffing.permanent import PermanentTeam
from staffing.shifts import TempPolicy, standard_templates


def capacity(volume: pd.DataFrame, aht_s: float, settings: dict, shifts: dict):
    """The capacity plan for these inputs (``volume`` None: nothing, to start the process)."""
    if volume is None:
        return None
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
    return capacity_plan(volume, aht_s, templates=templates, permanent=team, policy=policy,
                         **settings)
