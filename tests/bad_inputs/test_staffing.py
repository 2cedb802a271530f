"""Staffing's mistakes, each refused clearly; its periods right in every zone; nothing hangs.

Each class of mistake is one case, through the library (a ``ValueError`` naming the field and
the value) and through ``python -m staffing`` (exit 2, one line, no traceback). The command
line runs in this process (``main``, what the entry point calls) to keep the catalogue fast;
a few cases also run as a real subprocess. Hypothesis checks that planning periods start on
the local wall clock for random zones, steps and periods, across clock changes.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import staffing.cli
from staffing import (
    MAX_TRAFFIC_ERL,
    asa,
    erlang_a,
    erlang_b,
    erlang_c,
    required_agents,
    service_level,
    staffing_plan,
)
from staffing.capacity import capacity_plan
from staffing.cli import main
from staffing.evaluate import evaluate_roster
from staffing.periods import period_keys
from staffing.shifts import standard_templates
from staffing.simulate import simulate

from .conftest import CliRun, assert_cli_refused, assert_refused, run_cli

FAST = settings(max_examples=40, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def frame(calls, start="2009-05-04 08:00", freq="30min", tz="Europe/Rome", **columns):
    idx = pd.date_range(start, periods=len(calls), freq=freq, tz=tz, name="interval_start")
    return pd.DataFrame({"calls": np.asarray(calls, float), **columns}, index=idx)


def forecast(**changes):
    """Eight half-hours of a forecast with p10 < p50 < p90; ``changes`` set one cell each."""
    out = frame([100.0] * 8).rename(columns={"calls": "mean"})
    out["p10"], out["p50"], out["p90"] = 80.0, 100.0, 120.0
    for column, value in changes.items():
        out.loc[out.index[3], column] = value
    return out


def write_volume(path: Path, times, columns: dict) -> Path:
    pd.DataFrame({"interval_start": times, **columns}).to_csv(path, index=False)
    return path


def run_main(argv, capsys) -> CliRun:
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return CliRun(code, captured.out, captured.err)


# ---- library: each mistake refused, naming the field and the value ------------------------

HALF_HOURS = pd.date_range("2009-05-04 08:00", periods=4, freq="30min", tz="Europe/Rome")

LIBRARY_CASES = {
    "data step that divides no day (7 min)": (
        lambda: staffing_plan(frame([10.0] * 20, freq="7min"), aht_s=180), ("7-min", "one day")),
    "data step that does not divide the period": (
        lambda: staffing_plan(frame([10.0] * 20, freq="7min"), aht_s=180, period="15min"),
        ("'15min'", "7-min intervals")),
    "period of 0": (
        lambda: staffing_plan(frame([100.0] * 4), aht_s=180, period="0min"), ("period", "0min")),
    "period longer than a day": (
        lambda: staffing_plan(frame([100.0] * 4), aht_s=180, period="2D"), ("'2D'", "one day")),
    "grid off the wall clock (Kolkata, 08:15 in 1-hour periods)": (
        lambda: staffing_plan(frame([100.0] * 6, start="2009-05-04 08:15", tz="Asia/Kolkata"),
                              aht_s=180, period="1h"), ("08:45", "1-h period", "wall clock")),
    "infinite quantile": (
        lambda: staffing_plan(forecast(p90=np.inf), aht_s=180), ("p90", "inf", "09:30")),
    "missing quantile": (
        lambda: staffing_plan(forecast(p10=np.nan), aht_s=180), ("p10", "nan", "09:30")),
    "negative quantile": (
        lambda: staffing_plan(forecast(p10=-3.0), aht_s=180), ("p10", "-3")),
    "crossed quantiles": (
        lambda: staffing_plan(forecast(p10=150.0), aht_s=180, staff_to="expected_sl"),
        ("p10 = 150", "p50 = 100", "09:30")),
    "quantile and expected service level at once": (
        lambda: staffing_plan(forecast(), aht_s=180, quantile=0.9, staff_to="expected_sl"),
        ("quantile=0.9", "expected_sl")),
    "capacity plan in 2-hour periods": (
        lambda: capacity_plan(frame([100.0] * 8, aht_s=180.0), period="2h"),
        ("'2h'", "divide one hour")),
    "absurd load (1e16 Erlangs) in required_agents": (
        lambda: required_agents(1e17, 180, 1800), ("1e+16", "1,000,000 Erlangs")),
    "absurd load in Erlang A": (
        lambda: erlang_a(1e16, 180, 1800, 1e15, 60), ("calls * aht_s / interval_s", "1e+15")),
    "Erlang A patience far beyond the handling time": (
        lambda: erlang_a(100, 180, 1800, 12, 1e12), ("patience_s", "10,000 times aht_s", "1e+12")),
    "Erlang A patience of no time": (
        lambda: required_agents(100, 180, 1800, model="erlang_a", patience_s=1e-300),
        ("patience_s", "1e-300")),
    "occupancy cap no headcount can meet": (
        lambda: required_agents(100, 180, 1800, sl_target=None, max_occupancy=1e-9),
        ("100,000,000 agents", "max_occupancy")),
    "NaN load in Erlang B": (lambda: erlang_b(np.nan, 10), ("traffic_erl", "nan")),
    "infinite agents in Erlang C": (lambda: erlang_c(5, np.inf), ("agents", "inf")),
    "NaN target in service_level": (
        lambda: service_level(5, 10, 180, np.nan), ("target_s", "nan")),
    "infinite AHT in asa": (lambda: asa(5, 10, np.inf), ("aht_s", "inf")),
    "simulation past max_calls": (
        lambda: simulate([1e9], 1800, [5], aht_s=180, rng=np.random.default_rng(0)),
        ("1,000,000,000", "max_calls")),
    "simulation with a trillion agents": (
        lambda: simulate([10], 1800, [1e12], aht_s=180, rng=np.random.default_rng(0)),
        ("log in and out", "max_calls")),
    "simulation whose redials never end": (
        lambda: simulate([50], 1800, [1], aht_s=180, rng=np.random.default_rng(0), redial_prob=1,
                         trunk_limit=1, redial_delay_s=1, max_calls=2000),
        ("redials", "max_calls=2,000")),
    "simulation with redials at once": (
        lambda: simulate([50], 1800, [5], aht_s=180, rng=np.random.default_rng(0),
                         redial_prob=0.5, redial_delay_s=0), ("redial_delay_s", "0")),
    "simulation with NaN handling-time spread": (
        lambda: simulate([50], 1800, [5], aht_s=180, rng=np.random.default_rng(0),
                         aht_cv=np.nan), ("aht_cv", "nan")),
    "simulation without a bound": (
        lambda: simulate([50], 1800, [5], aht_s=180, rng=np.random.default_rng(0),
                         max_calls=np.inf), ("max_calls", "inf")),
    "evaluation in a billion runs": (
        lambda: evaluate_roster([100] * 4, HALF_HOURS, [14] * 4, aht_s=180,
                                replications=10**9), ("replications", "1000", "1000000000")),
    "evaluation of too many calls in all": (
        lambda: evaluate_roster([15_000] * 4, HALF_HOURS, [2000] * 4, aht_s=180,
                                replications=1000), ("replications=1000", "50,000,000")),
    "shift starts every 0 minutes": (
        lambda: standard_templates((4,), step_min=0), ("step_min", "0")),
    "endless shift": (lambda: standard_templates((np.inf,)), ("lengths_h", "inf")),
}


@pytest.mark.parametrize("call, needles", LIBRARY_CASES.values(), ids=LIBRARY_CASES.keys())
def test_library_refuses(call, needles):
    assert_refused(call, *needles)


def test_the_load_limit_is_within_reach():
    """At the documented limit the search answers at once; just above it refuses."""
    assert required_agents(MAX_TRAFFIC_ERL * 10, 180, 1800) > MAX_TRAFFIC_ERL
    assert required_agents(MAX_TRAFFIC_ERL * 10, 180, 1800, model="erlang_a",
                           patience_s=60) > 0.5 * MAX_TRAFFIC_ERL
    assert_refused(lambda: required_agents(MAX_TRAFFIC_ERL * 10.01, 180, 1800), "Erlangs")


# ---- library: the right answer --------------------------------------------------------------

def test_days_start_at_local_midnight():
    plan = staffing_plan(frame([1000.0] * 7, start="2009-05-01", freq="D"), aht_s=180)
    assert str(plan.index[3]) == "2009-05-04 00:00:00+02:00"  # Monday 4 May, not 3 May 02:00
    assert (plan.index.hour == 0).all() and (plan["calls"] == 1000).all()


@pytest.mark.parametrize("freq", ["30min", "20min"])
def test_hours_on_the_hour_in_kolkata(freq):
    volume = frame([100.0] * (6 if freq == "30min" else 9), freq=freq, tz="Asia/Kolkata")
    plan = staffing_plan(volume, aht_s=180, period="1h")
    assert [t.strftime("%H:%M") for t in plan.index] == ["08:00", "09:00", "10:00"]
    assert plan["calls"].tolist() == [len(volume) * 100.0 / 3] * 3  # not 200/400/200


@pytest.mark.parametrize("start", ["2009-01-12", "2009-07-13", "2009-03-28", "2009-10-24"])
def test_two_hour_blocks_keep_their_place_in_winter_summer_and_on_the_change(start):
    volume = frame([100.0] * 144, start=start, freq="30min")
    plan = staffing_plan(volume, aht_s=180, period="2h")
    assert set(plan.index.hour) <= set(range(0, 24, 2)) | {3}  # 03:00: the clock resumes
    assert plan["calls"].sum() == volume["calls"].sum() and plan.index.is_unique
    # every period's load is its calls over the real time it lasts (1, 2 or 3 hours)
    assert np.allclose(plan["traffic_erl"], 100.0 * 180 / 1800)


@pytest.mark.parametrize("at_close", ["serve", "abandon"])
@pytest.mark.parametrize("agents", [[0], [0, 0]])
def test_simulate_without_agents_or_patience(agents, at_close):
    r = simulate([10.0] * len(agents), 1800, agents, aht_s=180, at_close=at_close,
                 rng=np.random.default_rng(3))
    t = r.totals()
    assert t["offered"] > 0 and t["waiting_at_close"] == t["offered"]
    assert t["answered" if at_close == "serve" else "abandoned"] == t["offered"]
    assert t["service_level"] == 0.0


# ---- command line --------------------------------------------------------------------------

@pytest.fixture
def files(tmp_path):
    half_hours = pd.date_range("2009-05-04 08:00", periods=8, freq="30min")
    times = half_hours.strftime("%Y-%m-%d %H:%M")
    seven = pd.date_range("2009-05-04 08:00", periods=20, freq="7min").strftime("%Y-%m-%d %H:%M")
    kolkata = pd.date_range("2009-05-04 08:15", periods=6, freq="30min").strftime(
        "%Y-%m-%d %H:%M")
    days = pd.date_range("2009-05-01", periods=7, freq="D").strftime("%Y-%m-%d %H:%M")
    return {
        "volume": write_volume(tmp_path / "volume.csv", times, {"calls": 100, "aht_s": 180}),
        "seven": write_volume(tmp_path / "seven.csv", seven, {"calls": 10, "aht_s": 180}),
        "kolkata": write_volume(tmp_path / "kolkata.csv", kolkata, {"calls": 100, "aht_s": 180}),
        "days": write_volume(tmp_path / "days.csv", days, {"calls": 1000, "aht_s": 180}),
        "crossed": write_volume(tmp_path / "crossed.csv", times, {
            "mean": 100.0, "p10": [80.0] * 3 + [150.0] + [80.0] * 4, "p50": 100.0, "p90": 120.0,
            "aht_s": 180}),
        "forecast": write_volume(tmp_path / "forecast.csv", times, {
            "mean": 100.0, "p10": 80.0, "p50": 100.0, "p90": 120.0, "aht_s": 180}),
        "folder": tmp_path,
    }


AGENTS = ["agents", "--calls", "100", "--aht-s", "180"]

CLI_CASES = {
    "data step that divides no day": (["plan", "{seven}"], ("7-min",)),
    "period of 0": (["plan", "{volume}", "--period", "0min"], ("period", "0min")),
    "grid off the wall clock": (["plan", "{kolkata}", "--tz", "Asia/Kolkata", "--period", "1h"],
                                ("08:45", "wall clock")),
    "crossed quantiles": (["plan", "{crossed}", "--staff-to", "expected_sl"],
                          ("p10 = 150", "p50 = 100")),
    "absurd load": (["agents", "--calls", "1e16", "--aht-s", "180"], ("Erlangs", "1e+15")),
    "negative AHT": (["agents", "--calls", "100", "--aht-s", "-5"], ("aht_s", "-5")),
    "service level in percent": ([*AGENTS, "--sl", "80"], ("sl_target", "did you mean 0.8")),
    "interval of 0": ([*AGENTS, "--interval-min", "0"], ("interval_s", "0")),
    "negative patience": ([*AGENTS, "--patience-s", "-3"], ("patience_s", "-3")),
    "shrinkage of 1": ([*AGENTS, "--shrinkage", "1"], ("shrinkage", "[0, 1)")),
    "NaN target": ([*AGENTS, "--target-s", "nan"], ("target_s", "nan")),
    "patience of a lifetime": ([*AGENTS, "--patience-s", "1e12"], ("patience_s", "Erlang C")),
    "--sl with --no-sl": ([*AGENTS, "--sl", "0.9", "--no-sl", "--asa-target-s", "10"],
                          ("--sl 0.9", "--no-sl")),
    "--staff-to against --quantile": (
        ["plan", "{forecast}", "--staff-to", "mean", "--quantile", "0.9"],
        ("--quantile 0.9", "--staff-to mean")),
    "--staff-to quantile without one": (["plan", "{forecast}", "--staff-to", "quantile"],
                                        ("--staff-to quantile needs --quantile",)),
    "--shifts with no lengths": (["plan", "{volume}", "--shifts", ""], ("--shifts", "''")),
    "shift option without --shifts": (["plan", "{volume}", "--permanent", "3"],
                                      ("--permanent", "--shifts")),
    "--daily without --shifts": (["plan", "{volume}", "--daily", "{folder}/daily.csv"],
                                 ("--daily", "--shifts")),
    "team option without a team": (["plan", "{volume}", "--shifts", "4", "--permanent-cost", "5"],
                                   ("--permanent-cost", "--permanent N")),
    "--fractional with --shifts": (["plan", "{volume}", "--shifts", "4", "--fractional"],
                                   ("--fractional", "--shifts")),
    "shift starts every 0 minutes": (["plan", "{volume}", "--shifts", "4", "--shift-step-min",
                                      "0"], ("step_min", "0")),
    "endless shift": (["plan", "{volume}", "--shifts", "inf"], ("lengths_h", "inf")),
    "a million simulation runs": (["plan", "{volume}", "--shifts", "4", "--replications",
                                   "1000000"], ("replications", "1000000")),
    "folder as the volume file": (["plan", "{folder}"], ("folder",)),
}


@pytest.mark.parametrize("argv, needles", CLI_CASES.values(), ids=CLI_CASES.keys())
def test_cli_refuses(argv, needles, files, capsys):
    run = run_main([a.format(**files) for a in argv], capsys)
    assert_cli_refused(run, *needles)


def test_cli_turns_file_system_errors_into_one_line(files, capsys, monkeypatch):
    def unreadable(path, **kwargs):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(staffing.cli, "read_volume", unreadable)
    run = run_main(["plan", files["volume"]], capsys)
    assert_cli_refused(run, "volume.csv", "Permission denied")


def _strict(text: str):
    def refuse(constant):
        raise AssertionError(f"{constant} is not JSON")
    return json.loads(text, parse_constant=refuse)


def test_json_is_strict_and_says_null_for_no_finite_wait(capsys):
    run = run_main(["sl", "--calls", "1000", "--aht-s", "180", "--agents", "50", "--json"],
                   capsys)
    assert run.code == 0 and _strict(run.out)["asa_s"] is None  # 100 Erlangs on 50 agents


def test_output_and_json_are_both_honoured(files, tmp_path, capsys):
    out = tmp_path / "plan.csv"
    run = run_main(["plan", files["volume"], "--json", "-o", out], capsys)
    assert run.code == 0, run.err
    assert _strict(run.out)["periods"] == 8
    assert len(pd.read_csv(out)) == 8


def test_cli_days_start_at_local_midnight(files, capsys):
    run = run_main(["plan", files["days"]], capsys)
    assert run.code == 0, run.err
    first = run.out.splitlines()[1]
    assert first.startswith("2009-05-01") and "2009-04-30" not in run.out


@pytest.mark.parametrize("argv, needles", [
    (["agents", "--calls", "100", "--aht-s", "180", "--sl", "80"], ("did you mean 0.8",)),
    (["plan", "{folder}"], ("folder",)),
    (["plan", "{volume}", "--shifts", ""], ("--shifts",)),
], ids=["service level in percent", "folder as the volume file", "--shifts with no lengths"])
def test_cli_refuses_as_a_subprocess(argv, needles, files):
    assert_cli_refused(run_cli("staffing", *[a.format(**files) for a in argv]), *needles)


# ---- property: periods start on the local wall clock --------------------------------------

ZONES = ["Asia/Kolkata", "America/St_Johns", "Europe/Rome", "Australia/Lord_Howe",
         "America/Sao_Paulo", "Asia/Kathmandu", "UTC"]
# Days with a clock change in 2009 (St John's changed at 00:01, Sao Paulo at midnight,
# Lord Howe by half an hour), and days without.
CHANGE_DAYS = ["2009-03-08", "2009-11-01", "2009-03-29", "2009-10-25", "2009-04-05",
               "2009-10-04", "2009-02-15", "2009-10-18", "2009-01-12", "2009-07-13"]
PERIODS_MIN = [15, 30, 60, 120, 180, 360, 720, 1440]


def _on_wall_grid(keys: pd.DatetimeIndex, period_min: int) -> np.ndarray:
    minutes = keys.hour * 60 + keys.minute
    return np.asarray(minutes % period_min == 0) & np.asarray(keys.second == 0)


def _at_clock_change(keys: pd.DatetimeIndex) -> np.ndarray:
    before = keys - pd.Timedelta(seconds=1)
    return np.array([a.utcoffset() != b.utcoffset() for a, b in zip(before, keys, strict=True)],
                    dtype=bool)


@FAST
@given(zone=st.sampled_from(ZONES), day=st.sampled_from(CHANGE_DAYS),
       period_min=st.sampled_from(PERIODS_MIN),
       offsets_s=st.lists(st.integers(0, 3 * 86_400 - 1), min_size=1, max_size=50))
@example("America/St_Johns", "2009-03-08", 60, [86_400 + 300])  # 01:05, an hour after 00:01
@example("America/St_Johns", "2009-11-01", 60, [86_400 + 60 + 840])  # 23:15 the second time
@example("Europe/Rome", "2009-10-25", 120, [97_200, 100_800])  # 02:00 and 03:00 winter time
def test_period_starts_are_on_the_local_wall_clock(zone, day, period_min, offsets_s):
    base = (pd.Timestamp(day) - pd.Timedelta(days=1)).tz_localize(zone)
    times = pd.DatetimeIndex(sorted(base + pd.to_timedelta(offsets_s, unit="s")))
    keys = period_keys(times, period_min * 60)
    assert (keys <= times).all()
    assert (_on_wall_grid(keys, period_min) | _at_clock_change(keys)).all()
    assert ((times - keys) < pd.Timedelta(minutes=period_min) + pd.Timedelta(hours=2)).all()
    assert keys.is_monotonic_increasing  # later calls never fall in an earlier period
    assert (period_keys(keys, period_min * 60) == keys).all()  # a start is in its own period


@FAST
@given(zone=st.sampled_from(ZONES), day=st.sampled_from(CHANGE_DAYS),
       step_min=st.sampled_from([5, 10, 15, 30]), period_min=st.sampled_from(PERIODS_MIN),
       seed=st.integers(0, 2**16))
def test_plans_keep_every_call_in_wall_clock_periods(zone, day, step_min, period_min, seed):
    if period_min % step_min:
        return
    start = (pd.Timestamp(day) - pd.Timedelta(days=1)).tz_localize(zone)
    n = 3 * 1440 // step_min
    calls = np.random.default_rng(seed).integers(0, 50, n).astype(float)
    volume = pd.DataFrame({"calls": calls}, index=pd.date_range(
        start, periods=n, freq=f"{step_min}min", name="interval_start"))
    plan = staffing_plan(volume, aht_s=180, period=f"{period_min}min")
    keys = pd.DatetimeIndex(plan.index)
    assert (_on_wall_grid(keys, period_min) | _at_clock_change(keys)).all()
    assert keys.is_unique and keys.is_monotonic_increasing
    assert plan["calls"].sum() == calls.sum()  # no call lost or counted twice
