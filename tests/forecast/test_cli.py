import json
import subprocess
import sys

import pandas as pd
import pytest

from forecast.cli import main
from forecast.synthetic import make_campaign


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli")
    sc = make_campaign(days=42, campaign_from_day=28, seed=7)
    sc.history.to_csv(folder / "history.csv")
    sc.spots.to_csv(folder / "spots.csv", index=False)
    return folder


def test_fit_then_predict(files, capsys):
    model = files / "model.json"
    assert main(["fit", str(files / "history.csv"), "--spots", str(files / "spots.csv"),
                 "--save", str(model)]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["fast_half_life_min"] > 0 and len(summary["effects"]) == 3
    plan = files / "plan.csv"
    plan.write_text("start,channel,grp\n2024-02-20 10:00,Rai 1,6\n")
    assert main(["predict", str(model), "--spots", str(plan), "--start", "2024-02-20",
                 "--end", "2024-02-21", "--freq", "15min", "--components"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("interval_start,mean,p10,p50,p90,baseline")
    assert len(out) == 1 + 96


def test_backtest_prints_metrics(files, capsys):
    assert main(["backtest", str(files / "history.csv"), "--spots", str(files / "spots.csv"),
                 "--freq", "1h", "--origins", "3"]) == 0
    assert "MAPE" in capsys.readouterr().out


@pytest.mark.parametrize("argv, needle", [
    (["fit", "missing.csv", "--save", "m.json"], "does not exist"),
    (["predict", "missing.json", "--start", "2024-01-01", "--end", "2024-01-02"],
     "cannot read model file"),
    (["fit"], "required"),
])
def test_bad_input_exits_2_with_one_line(argv, needle):
    r = subprocess.run([sys.executable, "-m", "forecast", *argv], capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0]


def test_bad_history_row_is_named(tmp_path, capsys):
    bad = tmp_path / "h.csv"
    bad.write_text("interval_start,calls\n2024-01-01 08:00,5\n2024-01-01 08:05,many\n")
    assert main(["fit", str(bad), "--save", str(tmp_path / "m.json")]) == 2
    assert "row 3, column calls" in capsys.readouterr().err


def test_scenario_export(tmp_path, capsys):
    assert main(["scenario", "bonus_elettrico_2009", "--out", str(tmp_path)]) == 0
    history = pd.read_csv(tmp_path / "history.csv")
    assert {"interval_start", "calls"} <= set(history.columns)
    assert "opening_hours" in capsys.readouterr().out


def test_days_without_a_midnight_from_the_command_line(tmp_path, capsys):
    """A São Paulo planner's file (day-first, semicolons) and a daily forecast across 4 November
    2018, when the clock went from 00:00 to 01:00."""
    from tests.forecast.test_clock_at_midnight import _line
    history = _line("America/Sao_Paulo", "2018-09-20", "2018-11-01", "30min")
    rows = [f"{t:%d/%m/%Y %H:%M};{int(v)}" for t, v in zip(history.index.tz_localize(None),
                                                          history["calls"], strict=True)]
    (tmp_path / "calls.csv").write_text("interval_start;calls\n" + "\n".join(rows) + "\n")
    model = tmp_path / "model.json"
    assert main(["fit", str(tmp_path / "calls.csv"), "--tz", "America/Sao_Paulo", "--dayfirst",
                 "--save", str(model)]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["calendar"]["country"] == "BR"
    assert summary["fast_half_life_min"] is None and summary["carryover"] is None  # no spots
    for end, days in (("2018-11-06", 3), ("2018-11-05", 1)):
        start = "2018-11-03" if days == 3 else "2018-11-04"
        assert main(["predict", str(model), "--start", start, "--end", end, "--freq", "1D"]) == 0
        out = capsys.readouterr().out.splitlines()
        assert len(out) == 1 + days
        assert any(line.startswith("2018-11-04 01:00:00-02:00,") for line in out)
