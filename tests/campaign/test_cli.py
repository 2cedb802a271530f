import subprocess
import sys
from pathlib import Path

import pandas as pd

from .conftest import END, START

ROOT = Path(__file__).resolve().parents[2]


def _run(*args):
    return subprocess.run([sys.executable, "-m", "campaign", *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=120)


def _files(tmp_path, model, spots, candidates):
    model.save(tmp_path / "model.json")
    spots.to_csv(tmp_path / "spots.csv", index=False)
    candidates.assign(start=candidates["start"].dt.strftime("%Y-%m-%d %H:%M")).to_csv(
        tmp_path / "candidates.csv", index=False)
    return ["optimise", "--model", str(tmp_path / "model.json"), "--spots",
            str(tmp_path / "spots.csv"), "--candidates", str(tmp_path / "candidates.csv"),
            "--start", START, "--end", END]


def test_cli_prints_the_comparison_and_writes_schedule_and_moves(tmp_path, model, spots, candidates):
    args = _files(tmp_path, model, spots, candidates)
    pd.DataFrame({"start": [f"{START} 15:00"], "channel": ["Rai 2"]}).to_csv(
        tmp_path / "fixed.csv", index=False)
    pd.DataFrame({"from": ["2024-01-30 10:00"], "to": ["2024-01-30 10:45"],
                  "channel": ["Rai 1"]}).to_csv(tmp_path / "blackout.csv", index=False)
    out = _run(*args, "--max-per-day-channel", "2", "--time-limit-s", "20",
               "--fixed", str(tmp_path / "fixed.csv"), "--blackout", str(tmp_path / "blackout.csv"),
               "-o", str(tmp_path / "schedule.csv"), "--moves", str(tmp_path / "moves.csv"))
    assert out.returncode == 0, out.stderr
    assert "Peak agents required" in out.stdout and "Cost of temps" in out.stdout
    assert "lower bound" in out.stdout
    schedule = pd.read_csv(tmp_path / "schedule.csv")
    assert list(schedule.columns[:3]) == ["start", "channel", "grp"]
    assert abs(schedule["grp"].sum() - spots["grp"].sum()) <= 0.05 * spots["grp"].sum()
    starts = pd.to_datetime(schedule["start"], utc=True).dt.tz_convert("Europe/Rome")
    assert ((starts == pd.Timestamp(f"{START} 15:00", tz="Europe/Rome"))
            & (schedule["channel"] == "Rai 2")).any()
    assert not ((starts >= pd.Timestamp("2024-01-30 10:00", tz="Europe/Rome"))
                & (starts < pd.Timestamp("2024-01-30 10:45", tz="Europe/Rome"))
                & (schedule["channel"] == "Rai 1")).any()
    moves = pd.read_csv(tmp_path / "moves.csv")
    assert "text" in moves.columns


def test_cli_bad_input_is_one_line_and_exit_2(tmp_path, model, spots, candidates):
    args = _files(tmp_path, model, spots, candidates)
    out = _run(*args, "--grp-tolerance", "5")
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and "grp_tolerance must be a share in [0, 1)" in out.stderr
    missing = _run(*args[:-4], "--start", START, "--end", END, "--model", str(tmp_path / "no.json"))
    assert missing.returncode == 2 and missing.stderr.startswith("error: --model")
    (tmp_path / "blackout.csv").write_text("when,channel\n2024-01-30,Rai 1\n")
    bad = _run(*args, "--blackout", str(tmp_path / "blackout.csv"))
    assert bad.returncode == 2 and "needs 'from' and 'to' columns" in bad.stderr


def test_cli_refuses_an_output_folder_that_does_not_exist(tmp_path, model, spots, candidates):
    args = _files(tmp_path, model, spots, candidates)
    out = _run(*args, "-o", str(tmp_path / "nowhere" / "schedule.csv"))
    assert out.returncode == 2 and "--output" in out.stderr and out.stderr.count("\n") == 1
