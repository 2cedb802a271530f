import numpy as np
import pandas as pd
import pytest

from staffing.capacity import capacity_plan, compare_plans


def forecast(days=3, per_15=200.0):
    idx = pd.date_range("2009-04-20", periods=days * 96, freq="15min", tz="Europe/Rome")
    hours = idx.hour + idx.minute / 60
    mean = np.where((hours >= 8) & (hours < 18), per_15, 0.0)
    return pd.DataFrame({"mean": mean, "p10": mean * 0.9, "p50": mean, "p90": mean * 1.1},
                        index=idx)


def test_end_to_end_plan_meets_target_and_reports_cost():
    plan = capacity_plan(forecast(), 240, policy=None)
    s = plan.summary
    assert s["achieved_service_level"] >= 0.8
    assert s["temps_hired"] >= s["peak_scheduled"] > s["peak_agents"] > 0
    assert s["temp_cost"] == pytest.approx(s["temp_shift_hours"] * 25.0)
    assert {"staffed", "on_phones", "achieved_service_level", "binding"} <= set(plan.requirements)
    assert plan.shifts.shifts["temps"].sum() > 0


def test_compare_two_service_targets():
    strict = capacity_plan(forecast(days=1), 240, sl_target=0.9, target_s=15)
    loose = capacity_plan(forecast(days=1), 240, sl_target=0.7, target_s=60)
    table = compare_plans({"90/15": strict, "70/60": loose})
    assert table.loc["peak_agents", "70/60 - 90/15"] < 0
    assert table.loc["temp_cost", "70/60 - 90/15"] < 0
    assert table.loc["achieved_service_level", "90/15"] > table.loc["achieved_service_level", "70/60"]
