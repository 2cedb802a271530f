import json
import subprocess
import sys

import pytest

from staffing.cli import main


def run(*argv):
    return subprocess.run([sys.executable, "-m", "staffing", *argv], capture_output=True,
                          text=True, timeout=60)


def test_agents_json(capsys):
    assert main(["agents", "--calls", "100", "--aht-s", "180", "--interval-min", "30",
                 "--shrinkage", "0.3", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["agents"], out["scheduled"]) == (14, 20)
    assert out["service_level"] == pytest.approx(0.88835, abs=1e-5)


def test_sl_for_a_headcount_with_abandonment(capsys):
    assert main(["sl", "--calls", "1000", "--aht-s", "240", "--agents", "120",
                 "--patience-s", "60", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["model"] == "erlang_a" and out["service_level"] == pytest.approx(0.8116, abs=1e-4)


@pytest.mark.parametrize("argv, needle", [
    (["agents", "--calls", "100", "--aht-s", "180", "--sl", "80"], "did you mean 0.8"),
    (["agents", "--calls", "-3", "--aht-s", "180"], "calls must be >= 0, got -3"),
    (["agents", "--calls", "100", "--aht-s", "0"], "aht_s must be > 0, got 0"),
    (["agents", "--calls", "nan", "--aht-s", "180"], "calls must be a finite number"),
    (["agents", "--aht-s", "180"], "required: --calls"),
    (["plan", "missing.csv", "--aht-s", "180"], "does not exist"),
])
def test_bad_input_exits_2_with_one_line(argv, needle):
    result = run(*argv)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0]
    assert result.stdout == ""


def test_plan_from_csv(tmp_path):
    src = tmp_path / "volumes.csv"
    src.write_text("date,time,calls,aht_s\n2009-04-20,08:00,100,180\n2009-04-20,08:30,200,180\n")
    out = tmp_path / "plan.csv"
    assert main(["plan", str(src), "-o", str(out)]) == 0
    text = out.read_text().splitlines()
    assert text[0].startswith("interval_start,calls") and len(text) == 3
    assert ",14,14," in text[1]


def test_plan_names_bad_row_and_column(tmp_path, capsys):
    src = tmp_path / "volumes.csv"
    src.write_text("interval_start,calls\n2009-04-20 08:00,100\n2009-04-20 08:30,lots\n")
    assert main(["plan", str(src), "--aht-s", "180"]) == 2
    assert "row 3, column calls" in capsys.readouterr().err
    src.write_text("interval_start,calls\n2009-04-20 08:00,100\nnot a time,100\n")
    assert main(["plan", str(src), "--aht-s", "180"]) == 2
    assert "row 3, column interval_start" in capsys.readouterr().err


def test_plan_with_shifts_writes_summary_and_workbook(tmp_path, capsys):
    import openpyxl
    import pandas as pd

    idx = pd.date_range("2009-04-20", periods=2 * 96, freq="15min", tz="Europe/Rome")
    hours = idx.hour + idx.minute / 60
    calls = [120.0 if 8 <= h < 18 else 0.0 for h in hours]
    src = tmp_path / "forecast.csv"
    pd.DataFrame({"mean": calls, "p10": [c * 0.9 for c in calls], "p90": [c * 1.1 for c in calls]},
                 index=pd.Index(idx, name="interval_start")).to_csv(src)
    book = tmp_path / "plan.xlsx"
    assert main(["plan", str(src), "--aht-s", "240", "--patience-s", "120", "--shifts", "4,8",
                 "--shrinkage", "0.3", "--json", "--xlsx", str(book)]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["temps_hired"] > 0 and summary["temp_cost"] > 0
    assert summary["first_day"] == "2009-04-20" and summary["last_day"] == "2009-04-21"
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames == ["Summary", "Assumptions", "Daily", "Orders", "Intervals", "Shifts"]
    settings = {r[0]: r[1] for r in wb["Assumptions"].iter_rows(min_row=2, values_only=True)}
    assert settings["Volume file"] == str(src) and settings["Shift template 8h"] == "8 h paid"
    assert settings["Temp cost per hour"] == 25 and settings["Time zone"] == "Europe/Rome"
    assert main(["plan", str(src), "--aht-s", "240", "--shifts", "4,x"]) == 2
    assert "--shifts must be hour lengths" in capsys.readouterr().err


def test_plan_without_shifts_writes_a_workbook_and_local_times(tmp_path, capsys):
    import openpyxl

    src = tmp_path / "volumes.csv"
    src.write_text("interval_start,calls\n2009-04-20 08:00,100\n2009-04-20 08:30,200\n")
    book = tmp_path / "plan.xlsx"
    assert main(["plan", str(src), "--aht-s", "180", "--xlsx", str(book)]) == 0
    assert capsys.readouterr().out.splitlines()[1].startswith("2009-04-20 08:00,100.0,")
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames == ["Summary", "Intervals"]
    assert wb["Intervals"]["A1"].value == "Start" and wb["Intervals"].freeze_panes == "A2"
    assert main(["plan", str(src), "--aht-s", "180", "--xlsx", str(tmp_path / "no" / "p.xlsx")]) == 2
    assert "cannot write the workbook" in capsys.readouterr().err
