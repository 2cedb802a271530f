import datetime as dt

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

from staffing.permanent import PermanentTeam
from staffing.shifts import ExtraBlock, ShiftTemplate, TempPolicy, plan_shifts, standard_templates

TZ = "Europe/Rome"
EIGHT = [ShiftTemplate("8h", 8, ("08:00",))]


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
                        under_penalty_per_hour=1000, order_from="2009-04-14")
    plan = plan_shifts(req, [ShiftTemplate("8h", 8, ("08:00",))], policy=policy)
    s = plan.summary
    assert s["first_day"] == "2009-04-16"  # one day of lead time, one of training
    assert s["temps_hired"] == 3 and s["temp_training_hours"] == 3 * 8
    assert s["temp_cost"] == (3 * 8 * 2 + 3 * 8) * 20
    assert s["uncovered_agent_hours"] == 2 * 3 * 8  # the first two days cannot be covered


def days_requirement(days, blocks):
    """``blocks[day]`` (or ``blocks["*"]`` for any day): (start, end, agents) 08:00-18:00."""
    return pd.concat([day_requirement(blocks.get(d, blocks.get("*", [])), d) for d in days])


def april(*days):
    return [f"2009-04-{d:02d}" for d in days]


def test_lead_time_and_training_skip_sunday_and_holiday():
    # From Fri 10 April 2009: one working day of lead time (Fri 10), two of training
    # (Sat 11, then Tue 14: Sunday and Easter Monday do not count), first shift Wed 15.
    req = days_requirement(april(*range(10, 18)), {"*": [("08:00", "16:00", 2)]})
    terms = dict(hourly_cost=20, lead_time_days=1, training_days=2, order_from="2009-04-10")
    plan = plan_shifts(req, EIGHT, policy=TempPolicy(**terms, holidays=(dt.date(2009, 4, 13),)))
    s = plan.summary
    assert s["first_day"] == "2009-04-15" and s["last_day"] == "2009-04-17"
    assert s["temps_hired"] == 2 and s["temp_shift_hours"] == 2 * 3 * 8
    assert s["temp_training_hours"] == 2 * 2 * 8 and s["temp_cost"] == (48 + 32) * 20
    assert s["uncovered_agent_hours"] == 5 * 16  # Fri 10 to Tue 14
    assert ("the agency needs 1 working day from Fri 10 Apr 2009 and training takes 2 working "
            "days more; Sun 12 Apr 2009 and Mon 13 Apr 2009 (holiday) do not count") in s["notes"][0]
    assert s["notes"][1].startswith("Both temps start on Wed 15 Apr 2009, the first day")
    # Counting calendar days instead, the first shift would be on Mon 13.
    every_day = plan_shifts(req, EIGHT, policy=TempPolicy(**terms, working_days=range(7)))
    assert every_day.summary["first_day"] == "2009-04-13"


def test_by_default_the_order_list_says_how_early_to_call():
    # Temps needed from Wed 15 April 2009 with one working day of lead time and two of
    # training: call the agency on Fri 10 (train Sat 11 and Tue 14; Sunday and Easter
    # Monday do not count).
    req = days_requirement(april(15, 16), {"*": [("08:00", "16:00", 2)]})
    policy = TempPolicy(hourly_cost=20, lead_time_days=1, training_days=2,
                        holidays=(dt.date(2009, 4, 13),))
    plan = plan_shifts(req, EIGHT, policy=policy)
    assert plan.summary["uncovered_agent_hours"] == 0
    (order,) = plan.orders.to_dict("records")
    assert order["order_by"] == dt.date(2009, 4, 10)
    assert order["training_start"] == dt.date(2009, 4, 11)
    assert order["first_work_day"] == dt.date(2009, 4, 15)


def test_temps_work_only_on_working_days():
    # Fri 17 to Mon 20 April 2009 on a Monday-to-Friday line with Monday 20 a holiday.
    req = days_requirement(april(17, 18, 19, 20), {"*": [("08:00", "16:00", 1)]})
    policy = TempPolicy(hourly_cost=20, working_days=(0, 1, 2, 3, 4), holidays=["2009-04-20"])
    plan = plan_shifts(req, EIGHT, policy=policy)
    assert plan.shifts["date"].tolist() == [dt.date(2009, 4, 17)]
    assert plan.summary["uncovered_agent_hours"] == 3 * 8
    assert plan.summary["notes"][0] == (
        "24 agent-hours fall on days temps do not work (Sat 18 Apr 2009, Sun 19 Apr 2009 and "
        "Mon 20 Apr 2009 (holiday)) and are left uncovered.")


def test_order_list_dates():
    # The agency can be called from Wed 15 April 2009 and needs two working days, then one
    # of training (Saturdays count, Sundays do not). One temp is needed from Mon 20, two
    # more on Wed 22 and Thu 23.
    one, three = [("08:00", "16:00", 1)], [("08:00", "16:00", 3)]
    req = days_requirement(april(20, 21, 22, 23, 24), {"2009-04-22": three, "2009-04-23": three,
                                                      "*": one})
    policy = TempPolicy(hourly_cost=20, lead_time_days=2, training_days=1,
                        order_from=dt.date(2009, 4, 15))
    plan = plan_shifts(req, EIGHT, policy=policy)
    assert plan.orders.to_dict("records") == [
        {"temps": 1, "order_by": dt.date(2009, 4, 16), "training_start": dt.date(2009, 4, 18),
         "training_days": 1, "first_work_day": dt.date(2009, 4, 20),
         "last_work_day": dt.date(2009, 4, 24)},
        {"temps": 2, "order_by": dt.date(2009, 4, 18), "training_start": dt.date(2009, 4, 21),
         "training_days": 1, "first_work_day": dt.date(2009, 4, 22),
         "last_work_day": dt.date(2009, 4, 23)}]
    assert plan.hires["new_temps"].tolist() == [1, 0, 2, 0, 0]
    assert plan.summary["temp_cost"] == (9 * 8 + 3 * 8) * 20
    assert plan.summary["uncovered_agent_hours"] == 0
    # Called only from Tue 21, with no lead time or training, temps start that day.
    late = plan_shifts(req, EIGHT, policy=TempPolicy(hourly_cost=20, order_from="2009-04-21"))
    assert late.summary["first_day"] == "2009-04-21" and late.orders["order_by"].iloc[0] == \
        dt.date(2009, 4, 21)


def test_min_contract_raises_cost_and_idle_hours():
    # 2 agents 08-12 on Monday, 1 on Tuesday: 3 shifts of 4 h for 2 temps, 12 paid hours;
    # a 10-hour minimum contract pays 8 more.
    req = days_requirement(april(20, 21), {"2009-04-20": [("08:00", "12:00", 2)],
                                           "2009-04-21": [("08:00", "12:00", 1)]})
    four = [ShiftTemplate("4h", 4, ("08:00",))]
    free = plan_shifts(req, four, policy=TempPolicy(hourly_cost=20)).summary
    bound = plan_shifts(req, four, policy=TempPolicy(hourly_cost=20, min_contract_hours=10)).summary
    assert free["temp_cost"] == 240 and free["idle_paid_hours"] == 0
    assert bound["temps_hired"] == 2 and bound["temp_shift_hours"] == 12
    assert bound["idle_paid_hours"] == 8 and bound["temp_idle_cost"] == 160
    assert bound["temp_cost"] == bound["temp_shift_cost"] + bound["temp_idle_cost"] == 400
    assert bound["notes"][-1] == (
        "The minimum contract of 10 paid hours per temp adds 8 paid hours nobody works (160 EUR): "
        "the 2 temps have 12 hours of shifts and training between them, 6 each on average.")


def test_min_contract_can_make_a_temp_not_worth_hiring():
    # 4 agent-hours at a penalty of 40 = 160: a 4-hour shift (80) is worth it, a temp paid
    # at least 10 hours (200) is not.
    req = day_requirement([("08:00", "12:00", 1)])
    four = [ShiftTemplate("4h", 4, ("08:00",))]
    terms = dict(hourly_cost=20, under_penalty_per_hour=40)
    assert plan_shifts(req, four, policy=TempPolicy(**terms)).summary["temps_hired"] == 1
    s = plan_shifts(req, four, policy=TempPolicy(**terms, min_contract_hours=10)).summary
    assert s["temps_hired"] == 0 and s["uncovered_agent_hours"] == 4
    assert s["notes"] == [
        "4 agent-hours are left uncovered: covering them would need shifts whose paid hours cost "
        "more than the penalty of 40 EUR per uncovered hour. The best extra shift (4h from 08:00 "
        "on Mon 20 Apr 2009) would fill 4 uncovered agent-hours (160 EUR of penalty) for 200 EUR "
        "more pay (it needs one more temp)."]


def test_permanent_team_covers_its_days_and_hours_and_costs():
    # Fri 17 and Sat 18 April 2009 need 2 agents 08-16; one permanent agent works weekdays
    # 08-16 (off 11:45-12:15) at 18 an hour. Temps cover the rest except that half hour
    # (a second 8-hour shift, 160, costs more than its 0.5 h of penalty, 125).
    req = days_requirement(april(17, 18), {"*": [("08:00", "16:00", 2)]})
    team = PermanentTeam.simple(1, "08:00", "16:00", hourly_cost=18.0)
    plan = plan_shifts(req, EIGHT, permanent=team, policy=TempPolicy(hourly_cost=20))
    perm = plan.coverage["permanent"]
    assert perm["2009-04-17 08:00":"2009-04-17 11:30"].eq(1).all()
    assert perm["2009-04-17 11:45":"2009-04-17 12:00"].eq(0).all()
    assert perm["2009-04-17 12:15":"2009-04-17 15:45"].eq(1).all()
    assert perm["2009-04-17 16:00":].eq(0).all()  # evening and Saturday
    s = plan.summary
    assert s["permanent_hours"] == 8 and s["permanent_cost"] == 144
    assert s["temp_shift_hours"] == 8 + 16 and s["temp_cost"] == 480
    assert s["total_cost"] == 144 + 480 and s["uncovered_agent_hours"] == 0.5
    assert "The best extra shift (8h from 08:00 on Fri 17 Apr 2009) would fill 0.5 uncovered " \
           "agent-hours (125 EUR of penalty) for 160 EUR more pay." in s["notes"][0]


def test_a_number_or_series_of_permanent_agents_still_works():
    req = day_requirement([("08:00", "16:00", 3)])
    by_number = plan_shifts(req, EIGHT, permanent=1.0, policy=TempPolicy(hourly_cost=20))
    by_series = plan_shifts(req, EIGHT, permanent=pd.Series(1.0, index=req.index),
                            policy=TempPolicy(hourly_cost=20))
    for plan in (by_number, by_series):
        s = plan.summary
        assert s["temps_hired"] == 2 and s["permanent_hours"] == 10  # 08:00-18:00
        assert s["permanent_cost"] == 0 and s["total_cost"] == s["temp_cost"] == 320
        assert s["notes"][-1] == ("The permanent team alone is on duty 2 agent-hours beyond the "
                                  "requirement; no temp plan can reduce that.")


def random_requirement(seed):
    rng = np.random.default_rng(seed)
    return pd.concat([pd.Series(rng.integers(0, 9, 40).astype(float),
                                index=pd.date_range(f"{d} 08:00", periods=40, freq="15min", tz=TZ))
                      for d in april(20, 21, 22, 23)])


@pytest.mark.parametrize("seed", [3, 7, 15])
def test_more_permanent_agents_never_raise_the_temps_cost(seed):
    # Where temps cover the whole requirement, a bigger team leaves them less to do.
    req = random_requirement(seed)
    policy = TempPolicy(hourly_cost=25, under_penalty_per_hour=5000)
    plans = [plan_shifts(req, standard_templates((4, 6, 8)), policy=policy,
                         permanent=PermanentTeam.simple(n, "09:00", "17:00")).summary
             for n in range(0, 9, 2)]
    costs = [s["temp_cost"] for s in plans]
    assert all(s["uncovered_agent_hours"] == 0 for s in plans)
    assert costs == sorted(costs, reverse=True) and costs[-1] < costs[0]


@pytest.mark.parametrize("seed", [3, 7, 15])
def test_more_permanent_agents_never_raise_temps_cost_plus_penalty(seed):
    # Where some hours stay uncovered it is the temps' cost plus the penalty that cannot
    # rise: a bigger team can make a gap worth covering, so the temps alone may cost more
    # (seed 15: 5,850 with four agents, 5,950 with six, and 0.75 fewer uncovered hours).
    req = random_requirement(seed)
    policy = TempPolicy(hourly_cost=25)
    plans = [plan_shifts(req, standard_templates((4, 6, 8)), policy=policy,
                         permanent=PermanentTeam.simple(n, "09:00", "17:00")).summary
             for n in range(0, 9, 2)]
    total = [s["temp_cost"] + 250 * s["uncovered_agent_hours"] for s in plans]
    assert total == sorted(total, reverse=True) and total[-1] < total[0]


def test_notes_on_the_ratio_of_hourly_cost_to_penalty():
    # One agent 08-16 and a second one 12:00-12:30. A 4-hour shift from 12:00 fills that
    # half hour (125 of penalty): worth it at 25 an hour (100), not at 40 (160).
    req = day_requirement([("08:00", "16:00", 1), ("12:00", "12:30", 2)])
    tpl = [ShiftTemplate("8h", 8, ("08:00",)), ShiftTemplate("4h", 4, ("12:00",))]
    cheap = plan_shifts(req, tpl, policy=TempPolicy(hourly_cost=25)).summary
    dear = plan_shifts(req, tpl, policy=TempPolicy(hourly_cost=40)).summary
    assert cheap["temps_hired"] == 2 and cheap["over_coverage_hours"] == 3.5
    assert cheap["over_agent_hours"] == 3.5 and cheap["uncovered_agent_hours"] == 0
    assert cheap["notes"][0] == (
        "Temps are on duty 3.5 paid agent-hours beyond the requirement: shifts are bought whole, "
        "so a shift is worth adding when the uncovered hours it fills are worth more at the "
        "penalty of 250 EUR each than its paid hours at 25 EUR each. With the hourly cost at 10% "
        "of the penalty, a 4 h shift pays for itself once it fills 0.4 uncovered agent-hours "
        "(training aside): the number of temps (2) follows that ratio, not only the peak "
        "requirement.")
    assert dear["temps_hired"] == 1 and dear["uncovered_agent_hours"] == 0.5
    assert dear["notes"] == [
        "0.5 agent-hours are left uncovered: covering them would need shifts whose paid hours "
        "cost more than the penalty of 250 EUR per uncovered hour. The best extra shift (4h from "
        "12:00 on Mon 20 Apr 2009) would fill 0.5 uncovered agent-hours (125 EUR of penalty) for "
        "160 EUR more pay (it needs one more temp)."]


def test_summary_costs_add_up_and_name_the_currency():
    req = days_requirement(april(20, 21), {"*": [("08:00", "16:00", 2)]})
    team = PermanentTeam.simple(1, hourly_cost=15.0)
    s = plan_shifts(req, standard_templates((4, 8)), permanent=team,
                    policy=TempPolicy(hourly_cost=22, training_days=1, min_contract_hours=30,
                                      currency="CHF")).summary
    assert s["currency"] == "CHF"
    assert s["temp_cost"] == s["temp_shift_cost"] + s["temp_training_cost"] + s["temp_idle_cost"]
    assert s["temp_shift_cost"] == 22 * s["temp_shift_hours"]
    assert s["temp_training_cost"] == 22 * s["temp_training_hours"]
    assert s["total_cost"] == s["permanent_cost"] + s["temp_cost"]
    assert s["permanent_cost"] == 2 * 8 * 15


def test_goal_variables_stay_last_with_a_team_and_a_contract():
    # A goal that asks for at least three shifts in all, through one extra variable.
    req = day_requirement([("08:00", "12:00", 1)])
    team = PermanentTeam.simple(1, "14:00", "18:00")
    seen = {}

    def goal(cover, permanent):
        seen["cover"], seen["permanent"] = cover.shape, permanent.copy()
        return ExtraBlock(cost=np.zeros(1), upper=np.ones(1),
                          rows_x=sparse.csr_matrix(np.ones((1, cover.shape[1]))),
                          rows_e=sparse.csr_matrix(np.zeros((1, 1))), lb=np.array([3.0]),
                          ub=np.array([np.inf]))

    four = [ShiftTemplate("4h", 4, ("08:00", "10:00", "12:00"))]
    plan = plan_shifts(req, four, permanent=team, goal=goal,
                       policy=TempPolicy(hourly_cost=20, min_contract_hours=6))
    assert seen["cover"] == (len(req), 3)
    assert seen["permanent"].sum() == 16  # 14:00-18:00 in quarter hours
    assert plan.shifts["temps"].sum() == 3 and plan.summary["temps_hired"] == 3
    assert plan.summary["idle_paid_hours"] == 3 * 2


@pytest.mark.parametrize("make, message", [
    (lambda: ShiftTemplate("x", 0, ("08:00",)), "length_h must be > 0"),
    (lambda: ShiftTemplate("x", 4, ("8 o'clock",)), "must be a time such as"),
    (lambda: TempPolicy(hourly_cost=-5), "hourly_cost must be a number >= 0"),
    (lambda: standard_templates((12,)), "does not fit between"),
    (lambda: plan_shifts(day_requirement([("08:00", "10:00", 1)]), []), "at least one shift"),
    (lambda: plan_shifts(day_requirement([("08:00", "10:00", 1)]),
                         [ShiftTemplate("n", 4, ("22:00",))]), "no shift template can be placed"),
    (lambda: TempPolicy(working_days=(0, 7)), r"working_days must hold weekdays 0..6"),
    (lambda: TempPolicy(working_days=()), "working_days must list at least one weekday"),
    (lambda: TempPolicy(holidays=["Easter Monday"]), "holidays must be a date such as"),
    (lambda: TempPolicy(order_from="next week"), "order_from must be a date such as"),
    (lambda: TempPolicy(min_contract_hours=-1), "min_contract_hours must be a number >= 0"),
    (lambda: TempPolicy(currency=""), "currency must be a name such as 'EUR'"),
    (lambda: plan_shifts(day_requirement([("08:00", "10:00", 1)]), EIGHT,
                         policy=TempPolicy(order_from="2009-05-01")), "no shift template can be placed"),
])
def test_bad_input_is_named(make, message):
    with pytest.raises(ValueError, match=message):
        make()


@pytest.mark.parametrize("day", ["2009-03-29", "2009-10-25"])
def test_shifts_start_on_the_wall_clock_on_the_day_the_clocks_change(day):
    """An 08:00 shift starts at 08:00 that day too, not midnight plus eight hours."""
    need = day_requirement([("08:00", "12:00", 2)], day=day)
    plan = plan_shifts(need, [ShiftTemplate("4h", 4, ("08:00",))],
                       policy=TempPolicy(hourly_cost=20.0, working_days=tuple(range(7))))
    assert plan.shifts["start"].dt.strftime("%H:%M").tolist() == ["08:00"]
    assert plan.summary["uncovered_agent_hours"] == 0.0
    assert plan.summary["over_coverage_hours"] == 0.0
