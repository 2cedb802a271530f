import re
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from staffing.capacity import CapacityPlan, capacity_plan
from staffing.compare import (
    ROWS,
    compare_table,
    daily_difference,
    difference_column,
    format_compare,
    scenario_inputs,
)

SNAKE = re.compile(r"\b[a-z0-9]+_[a-z0-9_]+\b")


def spiky(start, days):
    """Five-minute forecast: a working-day curve with one TV-spot spike a day."""
    idx = pd.date_range(start, periods=days * 288, freq="5min", tz="Europe/Rome")
    hours = idx.hour + idx.minute / 60
    base = np.where((hours >= 8) & (hours < 18), 60 + 30 * np.sin((hours - 8) / 10 * np.pi), 0.0)
    mean = base + np.where((hours >= 11) & (hours < 11.25), 250.0, 0.0)
    return pd.DataFrame({"mean": mean, "p10": mean * 0.9, "p90": mean * 1.1}, index=idx)


@pytest.fixture(scope="module")
def plans():
    monday = spiky("2009-04-20", 3)
    return {"80 %": capacity_plan(monday, 240, permanent=3),
            "90 %, day goal": capacity_plan(monday, 240, permanent=3, sl_target=0.9,
                                            service_goal="day"),
            # A day later: temps start a day later and only two days overlap.
            "Tuesday on": capacity_plan(spiky("2009-04-21", 3), 240, permanent=3)}


def stub(**summary):
    return CapacityPlan(pd.DataFrame(), None, summary={"currency": "EUR", **summary})


def test_values_are_the_summaries_with_units(plans):
    table = compare_table(plans)
    assert list(table.columns) == ["unit", "80 %", "90 %, day goal", "Tuesday on",
                                   "90 %, day goal vs 80 %", "Tuesday on vs 80 %"]
    assert list(table.index) == [label for label, _, _ in ROWS]
    for name, plan in plans.items():
        for label, key, _ in ROWS:
            got, want = table.loc[label, name], plan.summary[key]
            if key in ("first_day", "last_day"):
                assert got == pd.Timestamp(want)
            else:
                assert got == want, (name, label)
    assert table.loc["Total cost", "unit"] == "EUR"
    assert table.loc["Service level", "unit"] == "share"
    assert table.loc["Average speed of answer", "unit"] == "s"
    assert table.loc["Temps hired", "unit"] == "temps"
    assert table.loc["Cost of the permanent team", "80 %"] > 0


def test_differences_are_each_scenario_minus_the_first(plans):
    table = compare_table(plans)
    first = plans["80 %"].summary
    for name in ("90 %, day goal", "Tuesday on"):
        other, column = plans[name].summary, difference_column(name, "80 %")
        for label, key, unit in ROWS:
            got = table.loc[label, column]
            if key == "service_level_ci":
                assert np.isnan(got)
            elif unit == "date":
                assert got == (pd.Timestamp(other[key]) - pd.Timestamp(first[key])).days
            else:
                assert got == pytest.approx(other[key] - first[key]), (name, label)
    assert table.loc["Temps' first working day", "Tuesday on vs 80 %"] == 1
    assert table.loc["Peak agents required", "90 %, day goal vs 80 %"] > 0


def test_formatted_numbers_signs_and_units(plans):
    table = compare_table(plans)
    text = format_compare(table)
    assert list(text.columns) == list(table.columns[1:])
    assert text.map(lambda x: isinstance(x, str)).all().all()
    column = "90 %, day goal vs 80 %"
    cost = table.loc["Total cost", column]
    assert text.loc["Total cost", column] == f"{cost:+,.0f} EUR"
    assert text.loc["Total cost", "80 %"] == f"{table.loc['Total cost', '80 %']:,.0f} EUR"
    sl = table.loc["Service level", column]
    assert text.loc["Service level", column] == f"{100 * sl:+.1f} pts"
    assert text.loc["Service level", "80 %"] == f"{table.loc['Service level', '80 %']:.1%}"
    assert re.fullmatch(r"\d+\.\d s", text.loc["Average speed of answer", "80 %"])
    assert text.loc["Temps' first working day", "80 %"] == "Mon 20/04/2009"
    assert text.loc["Temps' first working day", "Tuesday on vs 80 %"] == "+1 day"
    assert text.loc["Calls offered", column] == "0 calls"  # same forecast: no sign
    assert text.loc["Service level ± (95 %)", column] == "-"
    cells = list(text.index) + list(text.columns) + list(text.to_numpy().ravel())
    assert not [c for c in cells if "None" in c or "nan" in c.lower().split()]
    assert not [c for c in cells if SNAKE.search(c)]


def test_missing_values_show_a_dash():
    text = format_compare(compare_table({
        "A": stub(total_cost=1000.0, first_day="2009-04-20", asa_s=None),
        "B": stub(total_cost=1500.0, first_day=None, asa_s=2.0, service_level=np.nan)}))
    assert text.loc["Total cost", "B vs A"] == "+500 EUR"
    for label in ("Temps' first working day", "Average speed of answer", "Service level",
                  "Abandoned calls"):
        assert text.loc[label, "B vs A"] == "-"
    assert text.loc["Temps' first working day", "B"] == "-"
    assert text.loc["Average speed of answer", "A"] == "-"
    assert text.loc["Average speed of answer", "B"] == "2.0 s"
    assert text.loc["Abandoned calls", "A"] == "-"


def test_small_numbers_read_well():
    text = format_compare(compare_table({
        "A": stub(temps_hired=1, days_below_target=2, total_cost=12_300.4, service_level=0.8),
        "B": stub(temps_hired=2, days_below_target=1, total_cost=12_300.2,
                  service_level=0.7999)}))
    assert text.loc["Temps hired", "A"] == "1 temp"
    assert text.loc["Temps hired", "B vs A"] == "+1 temp"
    assert text.loc["Days below target", "B vs A"] == "-1 day"
    assert text.loc["Total cost", "A"] == "12,300 EUR"
    assert text.loc["Total cost", "B vs A"] == "0 EUR"  # rounds to nothing: no "-0"
    assert text.loc["Service level", "B vs A"] == "0.0 pts"


def test_one_scenario_has_no_differences(plans):
    table = compare_table({"only": plans["80 %"]})
    assert list(table.columns) == ["unit", "only"]
    assert list(format_compare(table).columns) == ["only"]
    frame = daily_difference({"only": plans["80 %"]})
    assert frame.empty and list(frame.columns) == ["day", "scenario", "measure", "difference"]


def test_daily_difference_on_common_days(plans):
    frame = daily_difference(plans)
    assert list(frame.columns) == ["day", "scenario", "measure", "difference"]
    assert set(frame["measure"]) == {"Cost (EUR)", "Service level (pts)"}
    a, b = plans["80 %"].daily, plans["90 %, day goal"].daily
    cost = frame[(frame["scenario"] == "90 %, day goal") & (frame["measure"] == "Cost (EUR)")]
    assert list(cost["day"]) == list(a.index)
    np.testing.assert_allclose(cost["difference"], (b["cost"] - a["cost"]).to_numpy())
    sl = frame[(frame["scenario"] == "90 %, day goal")
               & (frame["measure"] == "Service level (pts)")]
    busy = a.index[(a["calls"] > 0) & (b["calls"] > 0)]
    assert list(sl["day"]) == list(busy)
    np.testing.assert_allclose(sl["difference"],
                               100 * (b.loc[busy, "service_level"] - a.loc[busy, "service_level"]))
    later = frame[frame["scenario"] == "Tuesday on"]
    assert set(later["day"]) == set(a.index.intersection(plans["Tuesday on"].daily.index))
    assert len(set(later["day"])) == 2


def test_scenario_inputs_in_words():
    settings = dict(period="15min", method="sipp", model="erlang_c", patience_s=None,
                    sl_target=0.855, target_s=15.0, shrinkage=0.3, staff_to="expected_sl",
                    max_occupancy=0.85, max_abandon=None, service_goal="interval",
                    sl_floor=None)
    shifts = dict(lengths=(6, 8), open="09:00", close="21:00", permanent=12,
                  permanent_start="08:00", permanent_end="16:00", permanent_cost=22.0,
                  working_days=(0, 2, 4), currency="CHF", min_contract_hours=40.0,
                  temp_cost=25.0, training_days=0, lead_time_days=3, under_penalty=250.0)
    table = scenario_inputs(settings, shifts, 212, aht_s=240.0,
                            window=(pd.Timestamp("2009-04-12").date(), "2009-04-30"),
                            forecast_model="2009 bonus elettrico (fitted)")
    assert list(table.columns) == ["value"]
    v = table["value"]
    assert v["Planning window"] == "Sun 12/04/2009 to Thu 30/04/2009"
    assert v["Forecast model"] == "2009 bonus elettrico (fitted)"
    assert v["TV airings"] == "212"
    assert v["Service level target"] == "85.5% of calls answered within 15 s"
    assert v["Service goal"] == "every quarter-hour"
    assert v["Queue model"] == "Erlang C (nobody hangs up)"
    assert v["Time-varying load"] == "SIPP (period average)"
    assert v["Staff to"] == "the target over the forecast range"
    assert v["Average handling time"] == "240 s"
    assert v["Shrinkage"] == "30%"
    assert v["Maximum occupancy"] == "85%"
    assert v["Maximum abandonment"] == "no target"
    assert v["Service level floor per period"] == "none"
    assert v["Shifts"] == "6 or 8 hours between 09:00 and 21:00"
    assert v["Working days"] == "Mon, Wed, Fri"
    assert v["Temp cost"] == "25.00 CHF per hour"
    assert v["Temp training (paid)"] == "none"
    assert v["Hiring lead time"] == "3 working days"
    assert v["Minimum paid hours per temp"] == "40 hours"
    assert v["Penalty per uncovered hour"] == "250 CHF"
    assert v["Permanent team"] == "12 agents, 08:00 to 16:00, 22.00 CHF per hour"
    cells = list(table.index) + list(v)
    assert not [c for c in cells if "None" in c or SNAKE.search(c)]


def test_scenario_inputs_of_a_real_plan_and_missing_parts(plans):
    v = scenario_inputs(plans["90 %, day goal"].settings)["value"]
    assert v["Service level target"] == "90% of calls answered within 20 s"
    assert v["Service goal"] == "each day"
    assert v["Queue model"] == "Erlang A (mean patience 120 s)"
    for label in ("Shifts", "Permanent team", "TV airings", "Average handling time",
                  "Planning window"):
        assert v[label] == "-"
    assert (scenario_inputs({})["value"] == "-").all()


@pytest.mark.parametrize("settings, shifts, message", [
    ({"method": "weekly"}, None, "settings['method'] must be one of 'mol', 'sipp', got 'weekly'"),
    ({"service_goal": "hour"}, None, "settings['service_goal'] must be one of"),
    ({"sl_target": "high"}, None, "sl_target must be a number, got 'high'"),
    ({"period": "often", "service_goal": "day"}, None, "settings['period'] must be a duration"),
    ({}, {"working_days": (0, 7)}, "working_days must be weekday numbers from 0 (Monday) to 6"),
    ({}, {"permanent": 2.5}, "permanent must be a whole number, got 2.5"),
])
def test_scenario_inputs_refuse_unknown_values(settings, shifts, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        scenario_inputs(settings, shifts)


def test_bad_plans_are_refused(plans):
    a = plans["80 %"]
    with pytest.raises(ValueError, match="plans must be a non-empty mapping"):
        compare_table({})
    with pytest.raises(ValueError, match="scenario named 'unit'"):
        compare_table({"A": a, "unit": a})
    with pytest.raises(ValueError, match="scenario named 'B vs A'"):
        compare_table({"A": a, "B": a, "B vs A": a})
    with pytest.raises(ValueError, match="non-empty text, got the name ' '"):
        compare_table({" ": a})
    with pytest.raises(ValueError, match=r"plans\['B'\] must be a CapacityPlan.*got dict"):
        compare_table({"A": a, "B": {"total_cost": 1.0}})
    with pytest.raises(ValueError, match="currency must be the same in every plan.*'CHF'"):
        compare_table({"A": a, "B": stub(currency="CHF")})
    with pytest.raises(ValueError, match=r"summary\['temps_hired'\] must be a number, got 'many'"):
        compare_table({"A": stub(temps_hired="many")})
    with pytest.raises(ValueError, match=r"summary\['first_day'\] must be a date, got 'soon'"):
        compare_table({"A": stub(first_day="soon")})
    with pytest.raises(ValueError, match=r"plans\['B'\] must have a daily frame with columns"):
        daily_difference({"A": a, "B": replace(a, daily=a.daily.drop(columns="cost"))})
    with pytest.raises(ValueError, match="must come from compare_table"):
        format_compare(pd.DataFrame({"A": [1.0]}))


def test_plans_without_a_currency_show_bare_amounts():
    plain = {"A": CapacityPlan(pd.DataFrame(), None, summary={"total_cost": 1000.0}),
             "B": CapacityPlan(pd.DataFrame(), None, summary={"total_cost": 1200.0})}
    table = compare_table(plain)
    assert table.loc["Total cost", "unit"] == ""
    assert format_compare(table).loc["Total cost"].to_list() == ["1,000", "1,200", "+200"]
