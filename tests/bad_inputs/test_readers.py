"""Planners' files as they come: read right, or refused naming the row; outputs whole or none.

Each class of file (separators, decimal commas, encodings, Italian headers, day- or month-first
dates, logs of opening hours only, blank AHT where no calls came) is read by the library and
by the command line; each mistake (unreadable dates, folders, missing files, outputs that
cannot be written) is refused in one line. Hypothesis feeds the readers random text: they
return a valid frame or raise a ValueError, nothing else.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tabular
from forecast.cli import main as forecast_main
from forecast.io import read_history
from forecast.spots import read_spots
from staffing.cli import main as staffing_main
from staffing.export import write_csv, write_plan_workbook
from staffing.io import read_volume
from staffing.plan import staffing_plan

from .conftest import CliRun, assert_cli_refused, assert_refused, run_cli

ROOT_USER = hasattr(os, "geteuid") and os.geteuid() == 0
FAST = settings(max_examples=min(40, settings.default.max_examples), deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def run_main(main, argv, capsys) -> CliRun:
    """A command run in this process (fast), checked like a subprocess run."""
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return CliRun(code, captured.out, captured.err)


# ---- one day and a morning, as many tools write them --------------------------------------

#: 4 May 2009 (a day with 4 < 12: read month first it would be 5 April), 15-minute calls.
CALLS = [12.0, 0.0, 1234.0, 7.0]
AHT = [240.5, np.nan, 200.0, 180.0]
TIMES = ["2009-05-04 08:00", "2009-05-04 08:15", "2009-05-04 08:30", "2009-05-04 08:45"]

FORMATS = {
    "comma, UTF-8, ISO": ("interval_start,calls,aht_s\n2009-05-04 08:00,12,240.5\n"
                          "2009-05-04 08:15,0,\n2009-05-04 08:30,1234,200\n"
                          "2009-05-04 08:45,7,180\n", "utf-8"),
    "semicolon, cp1252, Italian, decimal comma": (
        "Data;Ora;Chiamate;TMA;Note\r\n04/05/2009;08:00;12;240,5;città\r\n"
        "04/05/2009;08.15;0;;\r\n04/05/2009;08:30;1.234;200;perché\r\n"
        "04/05/2009;08:45;7;180;\r\n;;;;\r\n", "cp1252"),
    "tab, UTF-8 with BOM, English date + time": (
        "\ufeffdate\ttime\tcalls\taht\n04/05/2009\t08:00\t12\t240.5\n04/05/2009\t08:15\t0\t\n"
        "04/05/2009\t08:30\t1234\t200\n04/05/2009\t08:45\t7\t180\n", "utf-8"),
    "semicolon, UTF-8 with BOM, one date-time column": (
        "\ufeffData e ora;Chiamate;TMA (s)\n04/05/2009 08:00;12;240,5\n04/05/2009 08:15;0;0\n"
        "04/05/2009 08:30;1234;200\n04.05.2009 08:45;7;180\n", "utf-8"),
    "comma, quoted decimal commas": (
        'data,ora,chiamate,aht\n04/05/2009,08:00,12,"240,5"\n04/05/2009,08:15,0,\n'
        '04/05/2009,08:30,"1.234",200\n04/05/2009,08:45,7,180\n', "utf-8"),
    "comma, English thousands": (
        'interval_start,calls,aht_s\n2009-05-04 08:00,12,240.5\n2009-05-04 08:15,0,\n'
        '2009-05-04 08:30,"1,234",200\n2009-05-04 08:45,7,180\n', "utf-8"),
    "Excel's sep= line": ("sep=;\nData;Ora;Chiamate;TMA\n04/05/2009;08:00;12;240,5\n"
                          "04/05/2009;08:15;0;\n04/05/2009;08:30;1234;200\n"
                          "04/05/2009;08:45;7;180\n", "cp1252"),
    "pipe, two-digit years, 12-hour clock": (
        "interval_start|calls|aht_s\n4/5/09 8:00 AM|12|240.5\n4/5/09 8:15 AM|0|\n"
        "4/5/09 8:30 AM|1234|200\n4/5/09 8:45 AM|7|180\n", "utf-8"),
}


@pytest.fixture(params=sorted(FORMATS))
def calls_file(request, tmp_path) -> Path:
    text, encoding = FORMATS[request.param]
    return write(tmp_path / "calls.csv", text, encoding)


def xlsx_file(tmp_path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Data", "Ora", "Chiamate", "TMA"])
    for t, calls, aht in zip(TIMES, CALLS, AHT, strict=True):
        stamp = pd.Timestamp(t)
        ws.append([stamp.to_pydatetime().replace(hour=0, minute=0), stamp.time(), calls,
                   None if np.isnan(aht) else aht])
    path = tmp_path / "chiamate.csv"  # told by content, not by name
    wb.save(path)
    return path


def test_every_format_reads_as_the_same_volume(calls_file):
    volume = read_volume(calls_file)
    assert [t.strftime("%Y-%m-%d %H:%M") for t in volume.index] == TIMES
    assert str(volume.index.tz) == "Europe/Rome"
    assert volume["calls"].tolist() == CALLS
    # Blank (or 0) AHT where no calls came: a number that changes no answer.
    aht = volume["aht_s"].to_numpy()
    np.testing.assert_allclose(aht[[0, 2, 3]], [240.5, 200.0, 180.0])
    assert np.isfinite(aht[1]) and aht[1] > 0


def test_every_format_reads_as_the_same_history(calls_file):
    history = read_history(calls_file)
    assert [t.strftime("%Y-%m-%d %H:%M") for t in history.index] == TIMES
    assert history["calls"].tolist() == CALLS


def test_excel_cells_read_as_the_same_volume_and_history(tmp_path):
    path = xlsx_file(tmp_path)
    assert read_volume(path)["calls"].tolist() == CALLS
    assert [t.strftime("%Y-%m-%d %H:%M") for t in read_history(path).index] == TIMES


def test_the_staffing_command_reads_them_too(calls_file, capsys):
    run = run_main(staffing_main, ["plan", calls_file, "--aht-s", "200"], capsys)
    assert run.code == 0, run.err
    lines = run.out.splitlines()
    assert lines[1].startswith("2009-05-04 08:00,12.0,") and lines[3].startswith("2009-05-04 08:30,1234.0,")


def test_an_italian_file_through_the_command_in_a_subprocess(tmp_path):
    text, encoding = FORMATS["semicolon, cp1252, Italian, decimal comma"]
    path = write(tmp_path / "volumi.csv", text, encoding)
    run = run_cli("staffing", "plan", path, "--aht-s", "200", "--json")
    assert run.code == 0 and run.err == "", run.err
    assert '"calls": 1253.0' in run.out


# ---- dates: day first unless the calendar's country writes month first -------------------

def dated(tmp_path: Path, *stamps: str, header: str = "interval_start") -> Path:
    body = "".join(f"{s},{i}\n" for i, s in enumerate(stamps, start=1))
    return write(tmp_path / "dates.csv", f"{header},calls\n{body}")


@pytest.mark.parametrize("stamps, kwargs, expected", [
    (("04/05/2009 08:00", "04/05/2009 08:15"), {}, "2009-05-04"),  # Rome: day first
    (("04/05/2009 08:00", "04/05/2009 08:15"), {"dayfirst": True, "tz": "America/New_York"},
     "2009-05-04"),
    (("05/04/2009 08:00", "05/04/2009 08:15"), {"dayfirst": False}, "2009-05-04"),
    (("05/04/2009 08:00", "05/04/2009 08:15"), {"tz": "America/Chicago"}, "2009-05-04"),  # US
    (("04/05/2009 08:00", "04/05/2009 08:15"), {"tz": "America/Toronto"}, "2009-05-04"),
    (("04.05.09 08:00", "04.05.09 08:15"), {}, "2009-05-04"),
    (("2009-05-04 08:00", "2009-05-04 08:15"), {"dayfirst": False}, "2009-05-04"),  # ISO is ISO
    (("2009/05/04 08:00", "2009/05/04 08:15"), {}, "2009-05-04"),
    (("Mon 04/05/2009 08:00", "Mon 04/05/2009 08:15"), {}, "2009-05-04"),
    (("4 May 2009 08:00", "4 May 2009 08:15"), {"dayfirst": False}, "2009-05-04"),
])
def test_dates_follow_the_calendars_convention_or_the_option(tmp_path, stamps, kwargs, expected):
    path = dated(tmp_path, *stamps)
    for reader in (read_volume, read_history):
        index = reader(path, **kwargs).index
        assert {t.strftime("%Y-%m-%d") for t in index} == {expected}, reader.__name__


@pytest.mark.parametrize("stamps, kwargs, needles", [
    (("13/13/2009 08:00",), {}, ["row 2", "13/13/2009", "day first"]),
    (("04/05/2009 08:00", "31/02/2009 08:15"), {}, ["row 3", "31/02/2009"]),
    (("13/04/2009 08:00", "04/13/2009 08:15"), {}, ["row 3", "04/13/2009", "row 2", "mixes"]),
    (("04/13/2009 08:00", "04/14/2009 08:15"), {}, ["row 2", "04/13/2009", "--monthfirst"]),
    (("13/04/2009 08:00",), {"dayfirst": False}, ["row 2", "13/04/2009", "--dayfirst"]),
    (("13/04/2009 08:00",), {"tz": "America/New_York"}, ["row 2", "13/04/2009", "--dayfirst"]),
    (("04/05 08:00",), {}, ["row 2", "04/05 08:00"]),  # no year: never this year silently
    (("20090405 25:00",), {}, ["row 2", "20090405 25:00"]),
    (("2009-05-04 08:00", "yesterday"), {}, ["row 3", "yesterday"]),
])
def test_dates_that_fit_no_convention_are_refused_naming_the_row(tmp_path, stamps, kwargs,
                                                                  needles):
    path = dated(tmp_path, *stamps)
    assert_refused(lambda: read_volume(path, **kwargs), "interval_start", *needles)
    assert_refused(lambda: read_history(path, **kwargs), *needles)


def test_split_date_and_time_columns_name_both(tmp_path):
    path = write(tmp_path / "v.csv", "Data;Ora;Chiamate\n04/05/2009;08:00;1\n32/05/2009;08:15;2\n")
    assert_refused(lambda: read_volume(path), "row 3", "Data + Ora", "32/05/2009")


def test_spot_files_follow_the_same_rule(tmp_path):
    path = write(tmp_path / "s.csv", "data;ora;canale;grp\n05/04/2009;20:30;Rai 1;2,5\n")
    assert read_spots(path)["start"].iloc[0].strftime("%d %b") == "05 Apr"
    assert read_spots(path, dayfirst=False)["start"].iloc[0].strftime("%d %b") == "04 May"
    us = read_spots(path, tz="America/New_York")["start"].iloc[0]
    assert us.strftime("%d %b %H:%M") == "04 May 20:30"
    bad = write(tmp_path / "b.csv", "data;ora;canale;grp\n04/13/2009;20:30;Rai 1;2,5\n")
    assert_refused(lambda: read_spots(bad), "row 2", "04/13/2009", "--monthfirst")


@given(day=st.dates(dt.date(1990, 1, 1), dt.date(2060, 12, 31)),
       minute=st.integers(0, 24 * 4 - 1), sep=st.sampled_from("/.-"),
       dayfirst=st.booleans(), two_digit_year=st.booleans())
@FAST
def test_a_numeric_date_is_never_read_the_other_way(day, minute, sep, dayfirst, two_digit_year):
    year = f"{day.year % 100:02d}" if two_digit_year and 1970 <= day.year <= 2069 else f"{day.year}"
    first, second = (day.day, day.month) if dayfirst else (day.month, day.day)
    clock = f"{minute // 4:02d}:{minute % 4 * 15:02d}"
    text = pd.Series([f"{first:02d}{sep}{second:02d}{sep}{year} {clock}"])
    got = tabular.parse_times(text, "UTC", dayfirst).iloc[0]
    assert got == pd.Timestamp(f"{day.isoformat()} {clock}")


def test_date_options_are_read_like_file_dates():
    assert tabular.parse_time_option("04/05/2009", "--start", dayfirst=True) == pd.Timestamp("2009-05-04")
    assert tabular.parse_time_option("04/05/2009", "--start", dayfirst=False) == pd.Timestamp("2009-04-05")
    assert_refused(lambda: tabular.parse_time_option("13/13/2009", "--end", dayfirst=True),
                   "--end", "13/13/2009")
    assert_refused(lambda: tabular.parse_time_option("04/13/2009", "--start", dayfirst=True),
                   "--start", "--monthfirst")


# ---- lines that log opening hours only; AHT where no calls came -------------------------

def test_a_log_of_opening_hours_is_planned_with_the_nights_closed(tmp_path):
    rows = [f"{d}/05/2009;{h};{c};{a}" for d in ("04", "05") for h, c, a in
            (("08:00", 10, "200"), ("08:30", 0, ""), ("09:00", 14, "180,5"))]
    path = write(tmp_path / "aperto.csv", "data;ora;chiamate;tma\n" + "\n".join(rows) + "\n")
    volume = read_volume(path)
    assert len(volume) == 51 and volume.attrs["closed_intervals"] == 45
    night = volume.loc["2009-05-04 12:00":"2009-05-05 07:30"]
    assert (night["calls"] == 0).all() and np.isfinite(night["aht_s"]).all()
    plan = staffing_plan(volume)
    assert plan["agents"].max() > 0 and (plan.loc[night.index, "agents"] == 0).all()
    assert len(read_history(path)) == 6  # the forecaster keeps missing hours missing


@pytest.mark.parametrize("body, needles", [
    ("04/05/2009;08:00;12;\n", ["row 2", "TMA", "blank", "12 calls"]),
    ("04/05/2009;08:00;0;\n04/05/2009;08:15;3;0\n", ["row 3", "TMA", "0", "3 calls"]),
    ("04/05/2009;08:00;12;-5\n", ["row 2", "TMA", "-5"]),
    ("04/05/2009;08:00;;200\n", ["row 2", "Chiamate", "blank"]),
    ("04/05/2009;08:00;molte;200\n", ["row 2", "Chiamate", "molte"]),
    ("04/05/2009;08:00;1;200\n04/05/2009;08:00;2;200\n", ["row 3", "row 2", "one row per interval"]),
])
def test_bad_volume_rows_are_refused_naming_row_and_column(tmp_path, body, needles):
    path = write(tmp_path / "v.csv", "Data;Ora;Chiamate;TMA\n" + body, "cp1252")
    assert_refused(lambda: read_volume(path), *needles)


def test_a_time_the_spring_clock_change_skips_is_refused_by_row(tmp_path):
    path = dated(tmp_path, "29/03/2009 01:30", "29/03/2009 02:30")
    assert_refused(lambda: read_volume(path), "row 3", "02:30", "Europe/Rome")


# ---- input paths ------------------------------------------------------------------------

@pytest.mark.parametrize("case, needles", [
    ("folder", ["is a folder"]),
    ("missing", ["does not exist"]),
    ("empty", ["is empty"]),
    ("binary", ["file", "not a readable table"]),
    ("broken workbook", ["not a readable workbook"]),
])
def test_input_paths_that_are_no_table_are_refused(tmp_path, case, needles):
    path = {"folder": tmp_path, "missing": tmp_path / "nope.csv",
            "empty": write(tmp_path / "e.csv", ""),
            "binary": tmp_path / "b.csv",
            "broken workbook": tmp_path / "w.xlsx"}[case]
    if case == "binary":
        path.write_bytes(bytes(range(256)) * 4)
    if case == "broken workbook":
        path.write_bytes(b"PK\x03\x04" + b"\x00" * 64)
    assert_refused(lambda: read_volume(path), *needles)
    assert_refused(lambda: read_history(path), *needles)


def test_an_unreadable_file_is_refused(tmp_path, monkeypatch):
    path = write(tmp_path / "v.csv", "interval_start,calls\n")

    def denied(self):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", denied)
    assert_refused(lambda: read_volume(path), "volume file", "cannot be read", "permission denied")


@pytest.mark.skipif(ROOT_USER, reason="root reads files whatever their permissions")
def test_an_unreadable_file_is_refused_by_the_command(tmp_path):
    path = write(tmp_path / "v.csv", "interval_start,calls\n2009-05-04 08:00,1\n")
    path.chmod(0)
    assert_cli_refused(run_cli("staffing", "plan", path, "--aht-s", "180"), "cannot be read")


@pytest.mark.parametrize("module, argv, needles", [
    ("staffing", ["plan", "{tmp}", "--aht-s", "180"], ["volume file", "is a folder"]),
    ("staffing", ["plan", "{tmp}/none.csv", "--aht-s", "180"], ["does not exist"]),
    ("forecast", ["fit", "{tmp}", "--save", "{tmp}/m.json"], ["history file", "is a folder"]),
    ("forecast", ["backtest", "{tmp}/none.csv"], ["history file", "does not exist"]),
])
def test_commands_refuse_input_paths_in_one_line(tmp_path, capsys, module, argv, needles):
    main = {"staffing": staffing_main, "forecast": forecast_main}[module]
    assert_cli_refused(run_main(main, [a.format(tmp=tmp_path) for a in argv], capsys), *needles)


def test_a_folder_as_input_is_refused_by_a_subprocess_in_one_line(tmp_path):
    assert_cli_refused(run_cli("forecast", "backtest", tmp_path), "history file", "is a folder")


# ---- commands: dates, options and refusals ----------------------------------------------

def test_the_commands_take_dayfirst_and_monthfirst(tmp_path, capsys):
    path = dated(tmp_path, "05/04/2009 08:00", "05/04/2009 08:15", "05/04/2009 08:30")
    run = run_main(staffing_main, ["plan", path, "--aht-s", "180", "--monthfirst"], capsys)
    assert run.code == 0 and run.out.splitlines()[1].startswith("2009-05-04 08:00")
    run = run_main(staffing_main, ["plan", path, "--aht-s", "180", "--dayfirst"], capsys)
    assert run.code == 0 and run.out.splitlines()[1].startswith("2009-04-05 08:00")
    run = run_main(staffing_main, ["plan", path, "--aht-s", "180", "--tz", "America/Chicago"], capsys)
    assert run.code == 0 and run.out.splitlines()[1].startswith("2009-05-04 08:00")
    both = run_main(staffing_main, ["plan", path, "--dayfirst", "--monthfirst"], capsys)
    assert_cli_refused(both, "not allowed with argument")


@pytest.mark.parametrize("stamps, options, needles", [
    (("13/13/2009 08:00",), [], ["row 2", "13/13/2009"]),
    (("13/04/2009 08:00", "04/13/2009 08:15"), [], ["row 3", "mixes"]),
    (("04/13/2009 08:00",), [], ["row 2", "--monthfirst"]),
    (("13/04/2009 08:00",), ["--monthfirst"], ["row 2", "--dayfirst"]),
])
def test_commands_refuse_unreadable_dates_naming_the_row(tmp_path, capsys, stamps, options, needles):
    path = dated(tmp_path, *stamps)
    assert_cli_refused(run_main(staffing_main, ["plan", path, "--aht-s", "180", *options], capsys),
                       *needles)
    assert_cli_refused(run_main(forecast_main, ["fit", path, "--save", tmp_path / "m.json",
                                                *options], capsys), *needles)
    assert not (tmp_path / "m.json").exists()


def test_date_options_of_the_staffing_command_are_day_first(tmp_path, capsys):
    path = dated(tmp_path, *(f"{d:02d}/05/2009 {h}" for d in (4, 5) for h in ("08:00", "08:30")))
    argv = ["plan", path, "--aht-s", "180", "--period", "30min", "--shifts", "4", "--open", "08:00",
            "--close", "12:00", "--json"]
    run = run_main(staffing_main, [*argv, "--holidays", "04/05/2009"], capsys)
    assert run.code == 0, run.err
    assert '"first_day": "2009-05-05"' in run.out  # 4 May is the holiday, not 5 April
    assert_cli_refused(run_main(staffing_main, [*argv, "--holidays", "05/13/2009"], capsys),
                       "--holidays", "05/13/2009", "--monthfirst")
    assert_cli_refused(run_main(staffing_main, [*argv, "--order-from", "32/04/2009"], capsys),
                       "--order-from", "32/04/2009")


# ---- outputs: refused before the work, whole or not at all ------------------------------

@pytest.fixture
def volume_csv(tmp_path) -> Path:
    return dated(tmp_path, "04/05/2009 08:00", "04/05/2009 08:15", "04/05/2009 08:30")


@pytest.mark.parametrize("option", ["-o", "--xlsx"])
@pytest.mark.parametrize("target, needles", [
    ("{tmp}/no/such/plan.{ext}", ["does not exist"]),
    ("{tmp}", ["is a folder"]),
])
def test_staffing_outputs_that_cannot_be_written_are_refused(tmp_path, capsys, volume_csv, option,
                                                             target, needles):
    ext = "xlsx" if option == "--xlsx" else "csv"
    where = target.format(tmp=tmp_path, ext=ext)
    run = run_main(staffing_main, ["plan", volume_csv, "--aht-s", "180", option, where], capsys)
    assert_cli_refused(run, "cannot write", *needles)
    assert not (tmp_path / "no").exists()


@pytest.mark.parametrize("argv, needles", [
    (["fit", "{csv}", "--save", "{tmp}/no/m.json"], ["--save", "does not exist"]),
    (["fit", "{csv}", "--save", "{tmp}"], ["--save", "is a folder"]),
    (["backtest", "{csv}", "--table", "{tmp}"], ["--table", "is a folder"]),
    (["scenario", "bonus_elettrico_2009", "--out", "{csv}"], ["--out", "is a file, not a folder"]),
    (["scenario", "bonus_elettrico_2009", "--out", "{tmp}/no/data"], ["--out", "does not exist"]),
])
def test_forecast_outputs_that_cannot_be_written_are_refused_before_the_work(tmp_path, capsys,
                                                                            volume_csv, argv, needles):
    run = run_main(forecast_main, [a.format(tmp=tmp_path, csv=volume_csv) for a in argv], capsys)
    assert_cli_refused(run, *needles)


@pytest.mark.skipif(ROOT_USER, reason="root writes whatever the permissions")
def test_a_read_only_folder_is_refused(tmp_path, capsys, volume_csv):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    run = run_main(staffing_main, ["plan", volume_csv, "--aht-s", "180", "-o", folder / "p.csv"], capsys)
    assert_cli_refused(run, "not writable")


def test_a_failed_command_keeps_the_previous_output_and_leaves_no_temporary_file(tmp_path, capsys):
    out = write(tmp_path / "plan.csv", "the previous plan\n")
    bad = dated(tmp_path, "04/05/2009 08:00", "31/02/2009 08:15")
    assert_cli_refused(run_main(staffing_main, ["plan", bad, "--aht-s", "180", "-o", out], capsys),
                       "row 3")
    assert out.read_text() == "the previous plan\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dates.csv", "plan.csv"]


def test_a_write_that_fails_half_way_leaves_nothing_behind(tmp_path, monkeypatch):
    target = write(tmp_path / "plan.xlsx", "the previous workbook")

    def half_then_disk_full(self, filename):
        Path(filename).write_bytes(b"PK\x03\x04 half a workbook")
        raise OSError(28, "No space left on device")

    from staffing.capacity import capacity_plan
    from staffing.shifts import standard_templates
    idx = pd.date_range("2009-05-04 08:00", periods=8, freq="30min", tz="Europe/Rome")
    cap = capacity_plan(pd.DataFrame({"calls": 20.0}, idx), 180, period="30min",
                        templates=standard_templates((4,), "08:00", "12:00", 30), replications=1)
    monkeypatch.setattr(openpyxl.Workbook, "save", half_then_disk_full)
    assert_refused(lambda: write_plan_workbook(target, cap), "cannot write the workbook",
                   "no space left")
    assert target.read_text() == "the previous workbook"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.xlsx"]


def test_atomic_writes_replace_whole_files_and_keep_their_permissions(tmp_path):
    target = write(tmp_path / "plan.csv", "old\n")
    target.chmod(0o640)
    write_csv(target, pd.DataFrame({"calls": [1.0]}))
    assert target.read_text() == "calls\n1.0\n" and target.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["plan.csv"]
    assert_refused(lambda: tabular.write_text_atomic(tmp_path / "no" / "x.csv", ""),
                   "cannot write", "does not exist")
    assert_refused(lambda: tabular.write_text_atomic(tmp_path, ""), "is a folder")


def test_a_temporary_file_that_cannot_be_created_is_refused(tmp_path, monkeypatch):
    real_open = os.open

    def denied(path, flags, mode=0o777, *args, **kwargs):
        if ".tmp" in str(path):
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, mode, *args, **kwargs)

    monkeypatch.setattr(os, "open", denied)
    assert_refused(lambda: tabular.write_text_atomic(tmp_path / "p.csv", "x"), "cannot write",
                   "permission denied")
    assert list(tmp_path.iterdir()) == []


# ---- fuzzing: random text in, a valid frame or a ValueError out -------------------------

CELL = st.text(alphabet="0123456789/.:-, ;\t\"'aAèé€Z+T\u00a0", max_size=12)
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "cp1252"])


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz") / "file.csv"


def _valid_volume(frame: pd.DataFrame) -> None:
    assert isinstance(frame.index, pd.DatetimeIndex) and frame.index.is_monotonic_increasing
    assert frame.index.is_unique and not frame.index.isna().any()
    for col in ("calls", "aht_s"):
        if col in frame:
            values = frame[col].to_numpy(dtype=float)
            assert ((values >= 0) | np.isnan(values)).all()


@given(text=st.text(alphabet=st.characters(codec="cp1252"), max_size=200), encoding=ENCODINGS)
@FAST
def test_random_text_is_read_or_refused(scratch, text, encoding):
    scratch.write_bytes(text.encode(encoding))
    for reader in (read_volume, read_history, read_spots):
        try:
            frame = reader(scratch)
        except ValueError:
            continue
        assert isinstance(frame, pd.DataFrame)


@given(header=st.sampled_from(["interval_start;calls;aht_s", "data;ora;chiamate;tma",
                               "date,time,calls,aht", "Data e ora\tChiamate\tTMA"]),
       rows=st.lists(st.tuples(CELL, CELL, CELL), min_size=1, max_size=6), encoding=ENCODINGS,
       dayfirst=st.sampled_from([None, True, False]))
@FAST
def test_random_rows_under_real_headers_are_read_or_refused(scratch, header, rows, encoding,
                                                            dayfirst):
    sep = ";" if ";" in header else "\t" if "\t" in header else ","
    fields = header.count(sep) + 1
    body = "\n".join(sep.join(row[:fields] + ("",) * (fields - 3)) for row in rows)
    scratch.write_bytes(f"{header}\n{body}\n".encode(encoding, errors="replace"))
    for reader in (read_volume, read_history):
        try:
            frame = reader(scratch, dayfirst=dayfirst)
        except ValueError:
            continue
        _valid_volume(frame)


@given(days=st.lists(st.dates(dt.date(2000, 1, 1), dt.date(2040, 12, 31)), min_size=1,
                     max_size=5, unique=True),
       style=st.sampled_from(["iso", "day first", "month first", "dotted"]),
       sep=st.sampled_from([",", ";", "\t"]), encoding=ENCODINGS,
       calls=st.lists(st.floats(0, 1e6, allow_nan=False), min_size=5, max_size=5))
@FAST
def test_written_dates_and_numbers_come_back_as_written(scratch, days, style, sep, encoding, calls):
    days = sorted(days)
    fmt = {"iso": "%Y-%m-%d", "day first": "%d/%m/%Y", "month first": "%m/%d/%Y",
           "dotted": "%d.%m.%Y"}[style]

    def number(x: float) -> str:
        text = f"{x:.2f}"
        return text.replace(".", ",") if sep == ";" else text

    lines = [f"date{sep}time{sep}calls"] + [f"{d.strftime(fmt)}{sep}12:00{sep}{number(c)}"
                                             for d, c in zip(days, calls, strict=False)]
    scratch.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    history = read_history(scratch, dayfirst=style != "month first")
    assert [t.date() for t in history.index] == days
    np.testing.assert_allclose(history["calls"], [round(c, 2) for c in calls[:len(days)]])


# ---- the forecast commands on an Italian history -----------------------------------------

def test_forecast_commands_read_italian_files_and_day_first_options(tmp_path, capsys):
    hours = pd.date_range("2009-04-01", periods=24 * 21, freq="h")
    calls = 20 + 10 * np.sin(np.arange(len(hours)) / 24 * 2 * np.pi)
    rows = [f"{t:%d/%m/%Y};{t:%H:%M};{c:.1f}".replace(".", ",")
            for t, c in zip(hours, calls, strict=True)]
    history = write(tmp_path / "storico.csv", "Data;Ora;Chiamate\n" + "\n".join(rows) + "\n",
                    "cp1252")
    model = tmp_path / "modello.json"
    fit = run_main(forecast_main, ["fit", history, "--save", model, "--country", "none"], capsys)
    assert fit.code == 0, fit.err
    for options in (["--start", "22/04/2009", "--end", "23/04/2009"],
                    ["--start", "04/22/2009", "--end", "04/23/2009", "--monthfirst"]):
        run = run_main(forecast_main, ["predict", model, "--freq", "1h", *options], capsys)
        assert run.code == 0, run.err
        assert run.out.splitlines()[1].startswith("2009-04-22 00:00:00+02:00")
    refused = run_main(forecast_main, ["predict", model, "--freq", "1h", "--start", "04/22/2009",
                                       "--end", "23/04/2009"], capsys)
    assert_cli_refused(refused, "--start", "04/22/2009", "--monthfirst")
