import dataclasses
import datetime as dt
import io

import numpy as np
import openpyxl
import pandas as pd
import pytest

from staffing.capacity import capacity_plan
from staffing.export import csv_text, write_csv, write_plan_workbook, write_workbook
from staffing.io import read_volume
from staffing.permanent import PermanentTeam
from staffing.shifts import TempPolicy, standard_templates

TZ = "Europe/Rome"
SHEETS = ["Summary", "Assumptions", "Daily", "Orders", "Spots", "Intervals", "Shifts",
          "Forecast"]


def forecast(days=2, per_15=120.0):
    idx = pd.date_range("2009-04-20", periods=days * 96, freq="15min", tz=TZ,
                        name="interval_start")
    hours = idx.hour + idx.minute / 60
    mean = np.where((hours >= 8) & (hours < 18), per_15, 0.0)
    return pd.DataFrame({"mean": mean, "p10": mean * 0.9, "p90": mean * 1.1}, index=idx)


SPOTS = pd.DataFrame({"start": pd.DatetimeIndex(["2009-04-20 20:30", "2009-04-21 13:00"],
                                                tz=TZ),
                      "channel": ["Rai 1", "Canale 5"], "grp": [12.0, 8.5]})
TEMPLATES = standard_templates((4, 8))
POLICY = TempPolicy(hourly_cost=25.0, working_days=(0, 1, 2, 3, 4), holidays=("2009-04-25",))
TEAM = PermanentTeam.simple(5, "08:00", "16:00", hourly_cost=22.0)


@pytest.fixture(scope="module")
def plan():
    return capacity_plan(forecast(), 240, templates=TEMPLATES, policy=POLICY, permanent=TEAM)


@pytest.fixture(scope="module")
def book(plan):
    buffer = io.BytesIO()
    write_plan_workbook(buffer, plan, forecast=forecast(), spots=SPOTS, assumptions={
        "Forecast model": "flat test forecast", "Planning window from": dt.date(2009, 4, 20),
        "Planning window to": dt.date(2009, 4, 21), "templates": TEMPLATES, "policy": POLICY,
        "permanent": TEAM, "replications": 4})
    return openpyxl.load_workbook(buffer)


def table(ws) -> pd.DataFrame:
    rows = list(ws.iter_rows(values_only=True))
    return pd.DataFrame(rows[1:], columns=rows[0])


def items(ws) -> dict:
    """Label -> value of a Summary or Assumptions sheet (the rows above the notes)."""
    out = {}
    for row in ws.iter_rows(min_row=2, values_only=True):
        if row[0] is None:
            break
        out[row[0]] = row[1]
    return out


def column_formats(ws, header) -> set:
    j = [c.value for c in ws[1]].index(header) + 1
    return {ws.cell(row=r, column=j).number_format for r in range(2, ws.max_row + 1)}


def test_sheets_in_order_each_with_frozen_header_and_filter(book):
    assert book.sheetnames == SHEETS
    for ws in book:
        assert ws.freeze_panes == "A2", ws.title
        assert ws.auto_filter.ref.startswith("A1:"), ws.title
        assert all(c.font.bold for c in ws[1]), ws.title


def test_optional_sheets_only_when_given_and_the_plans_own_settings(plan):
    buffer = io.BytesIO()
    write_plan_workbook(buffer, plan)
    wb = openpyxl.load_workbook(buffer)
    assert wb.sheetnames == ["Summary", "Assumptions", "Daily", "Orders", "Intervals", "Shifts"]
    a = items(wb["Assumptions"])
    # The plan keeps its templates and terms, so they are described in full.
    assert a["Shift template 4h"] == "4 h paid" and a["Shift template 8h"] == "8 h paid"
    assert a["Temp cost per hour"] == 25
    assert a["Currency"] == "EUR" and a["Service level target"] == 0.8
    assert a["Simulation runs behind the service figures"] == 4


def test_human_headers_and_number_formats(book):
    ws = book["Intervals"]
    headers = [c.value for c in ws[1]]
    assert headers[0] == "Start"
    assert {"Calls", "Agents required", "Agents on the phones", "Service level",
            "Abandoned", "Average speed of answer (s)"} <= set(headers)
    assert not any("_" in h for h in headers)
    assert column_formats(ws, "Service level") == {"0.0%"}
    assert column_formats(ws, "Start") == {"dd/mm/yyyy hh:mm"}
    assert column_formats(ws, "Agents required") == {"#,##0"}
    daily = book["Daily"]
    assert column_formats(daily, "Day") == {"dd/mm/yyyy"}
    assert column_formats(daily, "Cost (EUR)") == {"#,##0.00"}
    assert column_formats(book["Orders"], "Call the agency by") == {"dd/mm/yyyy"}
    assert [c.value for c in book["Forecast"][1]] == [
        "Start", "Expected calls", "Calls, 10th percentile", "Calls, 90th percentile"]


def test_columns_fitted_to_content(book):
    ws = book["Intervals"]
    assert 16 <= ws.column_dimensions["A"].width <= 20  # dd/mm/yyyy hh:mm
    for letter, dim in ws.column_dimensions.items():
        assert 6 <= dim.width <= 50, letter
    labels = items(book["Summary"])
    assert book["Summary"].column_dimensions["A"].width >= max(len(k) for k in labels)


def test_times_are_local_wall_clock_without_offsets(book, plan):
    first = book["Intervals"]["A2"].value
    assert first == dt.datetime(2009, 4, 20, 0, 0) and first.tzinfo is None
    spots = table(book["Spots"])
    assert spots["Airing"].tolist() == [dt.datetime(2009, 4, 20, 20, 30),
                                        dt.datetime(2009, 4, 21, 13, 0)]
    shifts = table(book["Shifts"])
    local = plan.shifts.shifts["start"].dt.tz_localize(None)
    assert shifts["Start"].tolist() == [t.to_pydatetime() for t in local]
    for ws in book:
        for row in ws.iter_rows(values_only=True):
            for v in row:
                assert not (isinstance(v, str) and "+02:00" in v), (ws.title, v)
                assert not (isinstance(v, dt.datetime) and v.tzinfo is not None)


def test_a_forecast_in_another_time_zone_is_written_in_the_plans(plan):
    utc = forecast().tz_convert("UTC")
    buffer = io.BytesIO()
    write_plan_workbook(buffer, plan, forecast=utc)
    ws = openpyxl.load_workbook(buffer)["Forecast"]
    assert ws["A2"].value == dt.datetime(2009, 4, 20, 0, 0)


def test_no_tiny_float_junk_and_no_internal_keys(plan):
    noisy = dataclasses.replace(plan, summary={**plan.summary, "blocked_rate": 1.97e-129,
                                               "asa_s": plan.summary["asa_s"] + 3e-17})
    req = plan.requirements.copy()
    req["abandon_rate"] = req["abandon_rate"] + 1e-130
    noisy.requirements = req
    buffer = io.BytesIO()
    write_plan_workbook(buffer, noisy)
    wb = openpyxl.load_workbook(buffer)
    for ws in wb:
        for row in ws.iter_rows(values_only=True):
            for v in row:
                if isinstance(v, float):
                    assert v == 0 or abs(v) >= 1e-9, (ws.title, v)
    summary = items(wb["Summary"])
    assert summary["Busy signals"] == 0
    assert not any("_" in k or k.lower() in ("solver", "optimal") for k in summary)
    assert not any(isinstance(v, str) and "HiGHS" in v for v in summary.values())


def test_summary_figures_and_notes(book, plan):
    s = plan.summary
    summary = items(book["Summary"])
    assert summary["Service level"] == pytest.approx(s["service_level"], abs=1e-9)
    assert summary["Temps to hire"] == s["temps_hired"]
    assert summary["Total cost"] == pytest.approx(s["total_cost"])
    assert summary["First day temps work"] == dt.datetime.fromisoformat(s["first_day"])
    ws = book["Summary"]
    formats = {r[0].value: r[1].number_format for r in ws.iter_rows(min_row=2) if r[0].value}
    assert formats["Service level"] == "0.0%"
    assert formats["Total cost"] == '#,##0.00 "EUR"'
    assert formats["Plan from"] == "dd/mm/yyyy"
    lines = [r[0] for r in ws.iter_rows(values_only=True)]
    notes = lines[lines.index("Notes") + 1:]
    assert notes == s["notes"]


def test_daily_sheet_totals_equal_the_plans_days(book, plan):
    daily = table(book["Daily"])
    assert len(daily) == len(plan.daily)
    for header, col in [("Calls", "calls"), ("Cost (EUR)", "cost"), ("Temps working", "temps"),
                        ("Abandoned calls", "abandoned_calls"),
                        ("Agent-hours on the phones", "agents_on_phones_hours")]:
        assert daily[header].sum() == pytest.approx(plan.daily[col].sum(), rel=1e-9), header
    assert daily["Service level"].tolist() == pytest.approx(plan.daily["service_level"].tolist())
    assert daily["Weekday"].tolist() == ["Mon", "Tue"]
    peak = plan.requirements["agents"].groupby(plan.requirements.index.normalize()).max()
    assert daily["Peak agents required"].tolist() == peak.tolist()
    assert daily["Temps starting"].sum() == plan.summary["temps_hired"]


def test_orders_and_shifts_match_the_plan(book, plan):
    orders = table(book["Orders"])
    assert orders.columns.tolist() == ["Temps", "Call the agency by", "Training from",
                                       "Training days", "First working day", "Last working day"]
    assert orders["Temps"].sum() == plan.shifts.orders["temps"].sum()
    shifts = table(book["Shifts"])
    assert shifts["Temps"].sum() == plan.shifts.shifts["temps"].sum()
    assert shifts["Paid hours"].sum() == pytest.approx(plan.summary["temp_shift_hours"])


def test_assumptions_list_every_input(book):
    a = items(book["Assumptions"])
    assert a["Forecast model"] == "flat test forecast"
    assert a["Planning window from"] == dt.datetime(2009, 4, 20)
    assert a["Queue model"] == "Erlang A" and a["Mean caller patience (s)"] == 120
    assert a["Service level target"] == 0.8 and a["Answered within (s)"] == 20
    assert a["Shrinkage"] == 0.3 and a["Service goal"] == "every planning period"
    assert a["Shift template 4h"] == "4 h paid" and a["Shift template 8h"] == "8 h paid"
    assert a["Temp cost per hour"] == 25 and a["Working days of the line"] == "Mon-Fri"
    assert a["Holidays"] == "25/04/2009"
    assert a["Permanent team (agents)"] == 5 and a["Permanent cost per hour"] == 22
    assert a["Simulation runs behind the service figures"] == 4
    assert a["Time zone"] == TZ
    assert "Shift lengths (h)" not in a  # the templates say more
    assert list(a).count("Currency") == 1
    details = {r[0]: r[2] for r in book["Assumptions"].iter_rows(min_row=2, values_only=True)}
    assert "breaks" in details["Shrinkage"] and "not counted again" in details["Shrinkage"]
    assert "30-minute break" in details["Shift template 8h"]


def test_bad_arguments_and_unwritable_files_raise_value_errors(plan, tmp_path):
    with pytest.raises(ValueError, match="plan must be a CapacityPlan"):
        write_plan_workbook(io.BytesIO(), plan.requirements)
    with pytest.raises(ValueError, match=r"must end in \.xlsx, got '.*plan\.csv'"):
        write_plan_workbook(tmp_path / "plan.csv", plan)
    missing = tmp_path / "no such folder" / "plan.xlsx"
    with pytest.raises(ValueError, match="cannot write the workbook .*no such folder"):
        write_plan_workbook(missing, plan)
    with pytest.raises(ValueError, match=r"assumptions\['Window'\] must be a number, text"):
        write_plan_workbook(io.BytesIO(), plan, assumptions={"Window": {"a": 1}})
    with pytest.raises(ValueError, match=r"assumptions\['policy'\] must be a TempPolicy"):
        write_plan_workbook(io.BytesIO(), plan, assumptions={"policy": 25.0})
    with pytest.raises(ValueError, match="forecast must be indexed by interval start times"):
        write_plan_workbook(io.BytesIO(), plan, forecast=forecast().reset_index())
    with pytest.raises(ValueError, match="sheet names must be 1-31 characters"):
        write_workbook(io.BytesIO(), {}, {"a/b": plan.requirements})
    with pytest.raises(ValueError, match="cannot write .*no such folder"):
        write_csv(missing.with_suffix(".csv"), plan.daily)


def test_write_workbook_formats_a_staffing_plan_alone(plan, tmp_path):
    path = tmp_path / "plan.xlsx"
    write_workbook(path, {"periods": 192, "calls": 2400.0, "solver": "x"},
                   {"Intervals": plan.requirements})
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Summary", "Intervals"]
    assert items(wb["Summary"]) == {"Planning periods": 192, "Calls forecast": 2400}
    assert wb["Intervals"]["A2"].value == dt.datetime(2009, 4, 20)


def test_csv_text_has_local_times_and_reads_back(plan, tmp_path):
    fc = forecast()
    text = csv_text(fc)
    assert "+0" not in text and text.splitlines()[1].startswith("2009-04-20 00:00,0.0,")
    path = tmp_path / "forecast.csv"
    write_csv(path, fc)
    back = read_volume(path, tz=TZ)
    assert back.index.equals(fc.index.rename("interval_start"))
    np.testing.assert_allclose(back["p90"], fc["p90"], atol=1e-6)
    daily = csv_text(plan.daily).splitlines()
    assert daily[0].startswith("day,calls") and daily[1].startswith("2009-04-20,")
    orders = csv_text(plan.shifts.orders).splitlines()
    assert orders[0].startswith("temps,order_by")  # no row-number column
    assert "e-" not in csv_text(pd.DataFrame({"x": [1.97e-129, 0.5]}))
    with pytest.raises(ValueError, match="frame must be a DataFrame, got Series"):
        csv_text(fc["mean"])


def test_csv_text_across_the_autumn_clock_change_reads_back(tmp_path):
    idx = pd.date_range("2009-10-25 01:00", periods=12, freq="15min", tz=TZ,
                        name="interval_start")
    frame = pd.DataFrame({"calls": np.arange(12.0)}, idx)
    lines = csv_text(frame).splitlines()[1:]
    assert lines[4].startswith("2009-10-25 02:00,4.0") and lines[8].startswith("2009-10-25 02:00,8.0")
    path = tmp_path / "calls.csv"
    write_csv(path, frame)
    assert read_volume(path, tz=TZ).index.equals(idx)
