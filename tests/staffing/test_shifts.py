import pandas as pd
import pytest

from staffing.shifts import ShiftTemplate, TempPolicy, plan_shifts, standard_templates

TZ = "Europe/Rome"


def day_requirement(blocks, day="2009-04-20"):
    idx = pd.date_range(f"{day} 08:00", f"{day} 18:00", freq="15min", tz=TZ, inclusive="left")
    req = pd.Series(0.0, index=idx)
    for start, end, n in blocks:
        req[(idx >= pd.Timestamp(f"{day} {start}", tz=TZ)) & (idx < pd.Timestamp(f"{day} {end}", tz=TZ))] = n
    return req


def test_known_optimum_two_eight_hour_shifts():
    req = day_requirement([("08:00", "16:00", 2)])
    plan = plan_shifts(req, [ShiftTemplate("8h", 8, ("08:00", "09:00"))],
                       policy=TempPolicy(hourly_cost=20))
    assert plan.summary["temp_cost"] == 2 * 8 * 20
    assert plan.summary["uncovered_agent_hours"] == 0 and plan.summary["over_agent_hours"] == 0
    assert plan.shifts["temps"].sum() == 2


def test_known_optimum_mixed_lengths():
    # 1 agent 08-12 and 3 agents 12-16: 16 paid hours is the least any roster can pay.
    req = day_requirement([("08:00", "12:00", 1), ("12:00", "16:00", 3)])
    tpl = [ShiftTemplate("4h", 4, ("08:00", "12:00", "14:00")), ShiftTemplate("8h", 8, ("08:00",))]
    plan = plan_shifts(req, tpl, policy=TempPolicy(hourly_cost=10))
    assert plan.summary["temp_shift_hours"] == 16
    assert plan.summary["temp_cost"] == 160


def test_breaks_are_not_coverage():
    req = day_requirement([("08:00", "16:00", 1)])
    tpl = [ShiftTemplate("8h", 8, ("08:00",), breaks=((4.0, 30),)),
           ShiftTemplate("4h", 4, ("08:00", "12:00"))]
    plan = plan_shifts(req, tpl, policy=TempPolicy(hourly_cost=10, under_penalty_per_hour=1000))
    # an 8h shift leaves its break uncovered, so two 4h shifts (8 paid hours) win
    assert plan.summary["temp_shift_hours"] == 8
    assert set(plan.shifts["shift"]) == {"4h"}


def test_permanent_team_and_penalty_instead_of_infeasibility():
    req = day_requirement([("08:00", "18:00", 5)])
    plan = plan_shifts(req, standard_templates((8,)), permanent=5.0)
    assert plan.summary["temps_hired"] == 0 and plan.summary["temp_cost"] == 0
    capped = plan_shifts(req, standard_templates((8,)), policy=TempPolicy(max_temps=2))
    assert capped.summary["temps_hired"] <= 2 and capped.summary["uncovered_agent_hours"] > 0


def test_lead_time_and_training_days():
    req = pd.concat([day_requirement([("08:00", "16:00", 3)], d)
                     for d in ("2009-04-14", "2009-04-15", "2009-04-16", "2009-04-17")])
    policy = TempPolicy(hourly_cost=20, training_days=1, lead_time_days=1,
                        under_penalty_per_hour=1000)
    plan = plan_shifts(req, [ShiftTemplate("8h", 8, ("08:00",))], policy=policy)
    s = plan.summary
    assert s["first_day"] == "2009-04-16"  # one day of lead time, one of training
    assert s["temps_hired"] == 3 and s["temp_training_hours"] == 3 * 8
    assert s["temp_cost"] == (3 * 8 * 2 + 3 * 8) * 20
    assert s["uncovered_agent_hours"] == 2 * 3 * 8  # the first two days cannot be covered


@pytest.mark.parametrize("make, message", [
    (lambda: ShiftTemplate("x", 0, ("08:00",)), "length_h must be > 0"),
    (lambda: ShiftTemplate("x", 4, ("8 o'clock",)), "must be a time such as"),
    (lambda: TempPolicy(hourly_cost=-5), "hourly_cost must be a number >= 0"),
    (lambda: standard_templates((12,)), "does not fit between"),
    (lambda: plan_shifts(day_requirement([("08:00", "10:00", 1)]), []), "at least one shift"),
    (lambda: plan_shifts(day_requirement([("08:00", "10:00", 1)]),
                         [ShiftTemplate("n", 4, ("22:00",))]), "no shift template can be placed"),
])
def test_bad_input_is_named(make, message):
    with pytest.raises(ValueError, match=message):
        make()
