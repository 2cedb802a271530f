import numpy as np
import pandas as pd
import pytest

from staffing import staffing_plan
from staffing.capacity import capacity_plan
from staffing.compare import compare_table


def forecast(days=3, per_15=200.0):
    idx = pd.date_range("2009-04-20", periods=days * 96, freq="15min", tz="Europe/Rome")
    hours = idx.hour + idx.minute / 60
    mean = np.where((hours >= 8) & (hours < 18), per_15, 0.0)
    return pd.DataFrame({"mean": mean, "p10": mean * 0.9, "p50": mean, "p90": mean * 1.1},
                        index=idx)


def test_end_to_end_plan_meets_target_and_reports_cost():
    plan = capacity_plan(forecast(), 240, policy=None)
    s = plan.summary
    assert s["service_level"] >= 0.8
    assert s["temps_hired"] >= s["peak_scheduled"] > s["peak_agents"] > 0
    assert s["temp_cost"] == pytest.approx(s["temp_shift_hours"] * 25.0)
    assert {"staffed", "on_phones", "service_level", "binding"} <= set(plan.requirements)
    assert plan.shifts.shifts["temps"].sum() > 0


def test_compare_two_service_targets():
    strict = capacity_plan(forecast(days=1), 240, sl_target=0.9, target_s=15)
    loose = capacity_plan(forecast(days=1), 240, sl_target=0.7, target_s=60)
    table = compare_table({"90/15": strict, "70/60": loose})
    assert table.loc["Peak agents required", "70/60 vs 90/15"] < 0
    assert table.loc["Cost of temps", "70/60 vs 90/15"] < 0
    assert table.loc["Service level", "90/15"] > table.loc["Service level", "70/60"]


def spiky(days=3):
    """Five-minute forecast: a working-day curve with one TV-spot spike a day."""
    idx = pd.date_range("2009-04-20", periods=days * 288, freq="5min", tz="Europe/Rome")
    hours = idx.hour + idx.minute / 60
    base = np.where((hours >= 8) & (hours < 18), 60 + 30 * np.sin((hours - 8) / 10 * np.pi), 0.0)
    spike = np.where((hours >= 11) & (hours < 11.25), 250.0, 0.0)
    mean = base + spike
    return pd.DataFrame({"mean": mean, "p10": mean * 0.9, "p90": mean * 1.1}, index=idx)


def independent(plan, fc, runs=12):
    from staffing.simulate import simulate

    on_phones = plan.requirements["on_phones"].reindex(fc.index, method="ffill").to_numpy()
    num = den = ab = 0
    days = fc.index.normalize()
    per_day = []
    for seed in range(runs):
        run = simulate(fc["mean"].to_numpy(), 300, on_phones, aht_s=240, patience_s=120,
                       rng=np.random.default_rng(777 + seed))
        num, den, ab = num + run.answered_in_target.sum(), den + run.offered.sum(), \
            ab + run.abandoned.sum()
        per_day.append(pd.DataFrame({"n": run.answered_in_target, "d": run.offered},
                                    index=days).groupby(level=0).sum())
    day = sum(per_day)
    return num / den, ab / den, day["n"] / day["d"]


def test_every_service_figure_agrees_with_an_independent_simulation():
    fc = spiky()
    plan = capacity_plan(fc, 240, patience_s=120, templates=None)
    sl, ab, by_day = independent(plan, fc)
    s = plan.summary
    assert abs(sl - s["service_level"]) < 0.02 and abs(ab - s["abandon_rate"]) < 0.01
    assert (by_day - plan.daily.loc[by_day.index, "service_level"]).abs().max() < 0.03
    # One source: the summary is the daily table's weighted total.
    daily = plan.daily
    assert (daily["service_level"] * daily["attempts"]).sum() / daily["attempts"].sum() \
        == pytest.approx(s["service_level"])
    assert {"calls", "service_level", "abandon_rate", "asa_s", "agents_on_phones_hours",
            "temps", "cost"} <= set(daily)


@pytest.mark.slow
def test_day_goal_meets_every_day_for_less():
    fc = spiky()
    interval = capacity_plan(fc, 240, patience_s=120)
    day = capacity_plan(fc, 240, patience_s=120, service_goal="day")
    assert day.summary["temp_cost"] < interval.summary["temp_cost"]
    busy = day.daily["calls"] > 0
    assert (day.daily.loc[busy, "service_level"] >= 0.8).all()
    _, _, by_day = independent(day, fc)
    assert (by_day[by_day.index.isin(day.daily.index[busy])] >= 0.78).all()
    floored = capacity_plan(fc, 240, patience_s=120, service_goal="day", sl_floor=0.6)
    floor = staffing_plan(fc, 240, period="15min", method="mol", model="erlang_a",
                          patience_s=120, sl_target=0.6, shrinkage=0.3)["scheduled"]
    cover = floored.shifts.coverage
    assert (cover["required"] >= floor).all()
    assert cover["under"].sum() <= 0.01 * cover["required"].sum()  # a spike may cost more


def test_permanent_team_works_its_own_shifts_and_is_paid():
    from staffing.permanent import PermanentTeam

    fc = spiky(days=2)
    none = capacity_plan(fc, 240, patience_s=120)
    team = PermanentTeam.simple(20, "09:00", "17:00", hourly_cost=20)
    with_team = capacity_plan(fc, 240, patience_s=120, permanent=team)
    perm = with_team.shifts.coverage["permanent"]
    assert perm.max() == 20 and perm[perm.index.hour < 9].max() == 0
    assert with_team.summary["permanent_cost"] == pytest.approx(2 * 20 * 8 * 20)
    assert with_team.summary["total_cost"] == pytest.approx(
        with_team.summary["permanent_cost"] + with_team.summary["temp_cost"])
    assert with_team.summary["temp_cost"] < none.summary["temp_cost"]
    assert with_team.summary["service_level"] >= none.summary["service_level"] - 0.005


def test_redials_and_busy_signals_in_the_plan():
    fc = spiky(days=1)
    plan = capacity_plan(fc, 240, patience_s=60, redial_prob=0.5, trunk_limit=60,
                         sl_target=0.8)
    s = plan.summary
    assert s["attempts"] > s["unique_callers"] and s["blocked_rate"] > 0


@pytest.mark.parametrize("kwargs, message", [
    (dict(service_goal="week"), "service_goal must be one of"),
    (dict(service_goal="day", sl_floor=0.9), "sl_floor must be between 0 and sl_target"),
    (dict(permanent=2.5), "permanent must be a whole number"),
])
def test_bad_plan_settings_are_named(kwargs, message):
    with pytest.raises(ValueError, match=message):
        capacity_plan(forecast(days=1), 240, **kwargs)


def test_a_day_without_midnight_is_planned_like_any_other():
    """São Paulo's clock jumped from 00:00 to 01:00 on Sunday 4 November 2018."""
    from io import BytesIO

    from staffing.export import write_plan_workbook
    from staffing.shifts import TempPolicy
    from tabular.days import day_start

    tz = "America/Sao_Paulo"
    idx = pd.date_range(day_start("2018-11-03", tz), day_start("2018-11-06", tz), freq="15min",
                        inclusive="left", name="interval_start")
    hours = idx.hour + idx.minute / 60
    mean = np.where((hours >= 8) & (hours < 18), 50.0, 0.0)
    frame = pd.DataFrame({"mean": mean, "p10": mean * 0.9, "p50": mean, "p90": mean * 1.1},
                         index=idx)
    plan = capacity_plan(frame, 240, policy=TempPolicy(working_days=range(7)))
    assert [str(d) for d in plan.daily.index] == [
        "2018-11-03 00:00:00-03:00", "2018-11-04 01:00:00-02:00", "2018-11-05 00:00:00-02:00"]
    assert plan.daily["calls"].tolist() == pytest.approx([2000.0] * 3)
    assert (plan.daily["service_level"] > 0.75).all()
    book = BytesIO()
    write_plan_workbook(book, plan)
    assert book.getbuffer().nbytes > 0
