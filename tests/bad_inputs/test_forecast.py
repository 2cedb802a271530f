"""Forecast inputs as they go wrong: refused in one clear line, or warned about and right.

Each class of mistake (degenerate histories, blank channels, hand-edited model files, option
values out of range) is refused by the library with a ``ValueError`` naming the field and the
value, and by ``python -m forecast`` with exit code 2 and one line. Each class of doubtful
input (channels never fitted, spots outside the history, GRP that are not ratings or far
beyond the fitted ones) gives the answer with a `ForecastWarning` saying what it means,
printed by the command line as ``warning:`` lines. Float and blank calls and spots with UTC
offsets of another zone are simply read right.
"""

from __future__ import annotations

import json
import math
import warnings
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from forecast import CallForecaster, backtest, validate_spots
from forecast.cli import main
from forecast.notes import ForecastWarning
from forecast.synthetic import make_campaign

from .conftest import CliRun, assert_cli_refused, assert_refused, run_cli

DAY = "2024-01-29"  # the day after the history: a Monday
NEXT = "2024-01-30"


def _strict(text: str):
    """Parse JSON, refusing NaN and Infinity as a strict parser does."""
    return json.loads(text, parse_constant=lambda c: pytest.fail(f"{c} in strict JSON"))


@pytest.fixture(scope="module")
def d(tmp_path_factory):
    folder = tmp_path_factory.mktemp("forecast_inputs")
    sc = make_campaign(days=21, campaign_from_day=14, seed=7, interval_min=15)
    history, spots = sc.history, sc.spots
    model = CallForecaster().fit(history, spots)
    model.save(folder / "model.json")
    history.to_csv(folder / "history.csv")
    spots.to_csv(folder / "spots.csv", index=False)
    half = history.iloc[:1000]
    coarse = history.iloc[1000:].resample("30min").sum()
    files = {"zeros": history * 0, "two_rows": history.iloc[:2], "one_day": history.iloc[:96],
             "negative": history.astype(float).assign(
                 calls=lambda h: h["calls"].where(h.index != h.index[5], -1.0)),
             "step_change": pd.concat([half, coarse])}
    for name, frame in files.items():
        frame.to_csv(folder / f"{name}.csv")
    (folder / "blank_channel.csv").write_text(
        "start,channel,grp\n2024-01-22 10:00,,5\n2024-01-22 11:00,Rai 1,-2\n")
    return SimpleNamespace(folder=folder, history=history, spots=spots, model=model, **files)


def window(freq: str = "15min") -> pd.DatetimeIndex:
    return pd.date_range(DAY, NEXT, freq=freq, tz="Europe/Rome", inclusive="left")


def plan(*rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["start", "channel", "grp"])


# ---- refusals: library and command line -------------------------------------------------------

@dataclass(frozen=True)
class Refusal:
    library: object  # d -> result, must raise ValueError; None when not a library input
    argv: tuple  # command line, "{dir}" is the fixture folder; () when not a CLI input
    needles: tuple


FIT = ("fit", "{dir}/{name}.csv", "--save", "{dir}/out.json")  # {name}: FILE_NAMES[case]
PREDICT = ("predict", "{dir}/model.json", "--start", DAY, "--end", NEXT)
BACKTEST = ("backtest", "{dir}/history.csv")

REFUSALS = {
    "blank channel cell": Refusal(
        lambda d: validate_spots(d.spots.assign(channel=[None, *d.spots["channel"][1:]])),
        ("fit", "{dir}/history.csv", "--spots", "{dir}/blank_channel.csv", "--save", "{dir}/o.json"),
        ("row 2", "channel", "empty")),
    "history of zeros": Refusal(lambda d: CallForecaster().fit(d.zeros), FIT, ("no calls",)),
    "history of zeros with spots": Refusal(lambda d: CallForecaster().fit(d.zeros, d.spots),
                                           (*FIT, "--spots", "{dir}/spots.csv"), ("no calls",)),
    "history of two rows": Refusal(lambda d: CallForecaster().fit(d.two_rows), FIT,
                                   ("spans 1 day", "at least 7 days")),
    "history of one day": Refusal(lambda d: CallForecaster().fit(d.one_day), FIT,
                                  ("spans 1 day", "at least 7 days")),
    "history of one row": Refusal(lambda d: CallForecaster().fit(d.history.iloc[:1]), (),
                                  ("1 row", "two intervals")),
    "calls as text": Refusal(
        lambda d: CallForecaster().fit(d.history.astype(object).assign(
            calls=lambda h: h["calls"].where(h.index != h.index[7], "many"))), (),
        ("calls", "'many'", "2024-01-08 01:45")),
    "weekly totals": Refusal(
        lambda d: CallForecaster().fit(d.history.resample("7D").sum()), (),
        ("step", "7 days", "1min to 1D")),
    "negative calls": Refusal(lambda d: CallForecaster().fit(d.negative), FIT, ("calls", "-1")),
    "step changes midway": Refusal(lambda d: CallForecaster().fit(d.step_change), FIT,
                                   ("step changes", "15min", "30min", "2024-01-18 10:00")),
    "unknown time zone": Refusal(lambda d: CallForecaster(tz="Bogus/Zone"),
                                 (*FIT, "--tz", "Bogus/Zone"), ("tz", "Bogus/Zone")),
    "holidays_closed as text": Refusal(lambda d: CallForecaster(holidays_closed="yes"), (),
                                       ("holidays_closed", "'yes'")),
    "baseline settings of the wrong kind": Refusal(lambda d: CallForecaster(baseline={}), (),
                                                   ("baseline", "BaselineConfig")),
    "quantile outside (0, 1)": Refusal(lambda d: d.model.predict(window(), quantiles=(0.1, 1.5)),
                                       (*PREDICT, "--quantiles", "0.1,1.5"), ("quantiles", "1.5")),
    "quantiles as percentages": Refusal(lambda d: d.model.predict(window(), quantiles=(10, 90)),
                                        (*PREDICT, "--quantiles", "10,90"), ("did you mean 0.1",)),
    "backtest quantile outside (0, 1)": Refusal(
        lambda d: backtest(d.history, quantiles=(0.5, 1.0)), (), ("quantiles", "1")),
    "quantile not a number": Refusal(lambda d: d.model.predict(window(), quantiles=("a",)),
                                     (*PREDICT, "--quantiles", "a"), ("quantiles", "'a'")),
    "freq of zero": Refusal(lambda d: backtest(d.history, freq="0min"),
                            (*PREDICT, "--freq", "0min"), ("freq", "0min", "1min to 1D")),
    "negative freq": Refusal(lambda d: backtest(d.history, freq="-15min"),
                             (*PREDICT, "--freq=-15min"), ("freq", "-15min")),
    "freq not a duration": Refusal(lambda d: backtest(d.history, freq="soon"),
                                   (*PREDICT, "--freq", "soon"), ("freq", "soon")),
    "freq finer than the data": Refusal(lambda d: backtest(d.history, freq="1min"),
                                        (*PREDICT, "--freq", "1min"), ("finer", "15min")),
    "start after end": Refusal(lambda d: d.model.predict(window()[::-1]),
                               ("predict", "{dir}/model.json", "--start", NEXT, "--end", DAY),
                               ("start", "end")),
    "unreadable start": Refusal(None,
                                ("predict", "{dir}/model.json", "--start", "soon", "--end", DAY),
                                ("start", "soon")),
    "window with an hour merged at the clock change": Refusal(
        lambda d: d.model.predict(pd.date_range("2024-10-26", "2024-10-28", freq="h",
                                                tz="Europe/Rome").delete(27)),
        (), ("index must be regular",)),
    "window of one interval that is no whole day": Refusal(
        lambda d: d.model.predict(pd.DatetimeIndex([f"{DAY} 10:00"])), (),
        ("one interval start alone", "10:00", "two or more", "local midnight")),
    "window too large": Refusal(
        lambda d: d.model.predict(pd.date_range(DAY, periods=1_000_001, freq="15min")),
        ("predict", "{dir}/model.json", "--start", DAY, "--end", "2100-01-01"),
        ("1,000,000", "split the window")),
    "negative origins": Refusal(lambda d: backtest(d.history, origins=-3),
                                (*BACKTEST, "--origins", "-3"), ("origins", "-3", ">= 1")),
    "horizon of zero days": Refusal(lambda d: backtest(d.history, horizon_days=0),
                                    (*BACKTEST, "--horizon-days", "0"), ("horizon", "0", ">= 1")),
    "more origins than history": Refusal(lambda d: backtest(d.history, origins=500),
                                         (*BACKTEST, "--origins", "500"), ("500", "at most")),
    "backtest freq of zero": Refusal(lambda d: backtest(d.history, freq="0min"),
                                     (*BACKTEST, "--freq", "0min"), ("freq", "0min")),
}


FILE_NAMES = {"history of zeros": "zeros", "history of zeros with spots": "zeros",
              "history of two rows": "two_rows", "history of one day": "one_day",
              "negative calls": "negative", "step changes midway": "step_change",
              "unknown time zone": "history"}


def run_main(argv, capsys) -> CliRun:
    """A command run in this process (fast), checked like a subprocess run."""
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return CliRun(code, captured.out, captured.err)


def cli_argv(case: str, folder: Path) -> list[str]:
    refusal = REFUSALS[case]
    return [a.format(dir=folder, name=FILE_NAMES.get(case, "history")) for a in refusal.argv]


@pytest.mark.parametrize("case", [c for c, r in REFUSALS.items() if r.library])
def test_library_refuses(d, case):
    assert_refused(lambda: REFUSALS[case].library(d), *REFUSALS[case].needles)


@pytest.mark.parametrize("case", [c for c, r in REFUSALS.items() if r.argv])
def test_cli_refuses(d, case, capsys):
    assert_cli_refused(run_main(cli_argv(case, d.folder), capsys), *REFUSALS[case].needles)


@pytest.mark.parametrize("case", ["blank channel cell", "freq of zero", "backtest freq of zero",
                                  "history of two rows"])
def test_cli_refuses_as_a_user_sees_it(d, case):
    """In a process of its own: no traceback, no warnings, one line."""
    assert_cli_refused(run_cli("forecast", *cli_argv(case, d.folder)), *REFUSALS[case].needles)


# ---- hand-edited model files -------------------------------------------------------------------

EDITS = {  # field path, new value (KeyError: delete it), words of the refusal
    "negative level": (("baseline", "level"), -5, ("baseline.level", "-5", ">= 0")),
    "level not a number": (("baseline", "level"), "high", ("baseline.level", "'high'")),
    "NaN dispersion": (("baseline", "dispersion"), math.nan, ("baseline.dispersion", "nan")),
    "zero slot": (("baseline", "slot_s"), 0, ("baseline.slot_s", "0", "> 0")),
    "slot not dividing a day": (("baseline", "slot_s"), 7, ("baseline.slot_s", "divides a day")),
    "short profile": (("baseline", "profile"), [[0.1] * 3] * 8, ("baseline.profile[0]", "96")),
    "short day factors": (("baseline", "day_factor"), [1.0] * 3, ("baseline.day_factor", "8")),
    "persistence above 1": (("baseline", "level_phi_per_day"), 3, ("level_phi_per_day", "3")),
    "missing level": (("baseline", "level"), KeyError, ("incomplete", "level")),
    "unknown field": (("extra",), 1, ("unknown field", "extra")),
    "newer format": (("format",), "picco.forecaster/9", ("not a picco forecaster file",)),
    "unknown time zone": (("tz",), "Bogus/Zone", ("tz", "Bogus/Zone")),
    "negative half-life": (("response", "fast_half_life_min"), -1, ("fast_half_life_min", "-1")),
    "negative strength": (("response", "calls_per_grp"), {"Rai 1": -3},
                          ("calls_per_grp['Rai 1']", "-3")),
    "covariance of the wrong size": (("response", "covariance"), [[1.0]], ("covariance", "6")),
    "unreadable history end": (("history_end",), "soon", ("history_end", "soon")),
    "unreadable spot": (("spots",), [{"start": "soon", "channel": "Rai 1", "grp": 1}],
                        ("spots row 2", "soon")),
}


def edited_model(d, tmp_path: Path, case: str) -> Path:
    path, value, _ = EDITS[case]
    data = json.loads((d.folder / "model.json").read_text())
    node = data
    for key in path[:-1]:
        node = node[key]
    if value is KeyError:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    out = tmp_path / "edited.json"
    out.write_text(json.dumps(data))  # NaN written as NaN, as a hand edit may
    return out


@pytest.mark.parametrize("case", EDITS)
def test_hand_edited_model_file_is_refused(d, tmp_path, case, capsys):
    path = edited_model(d, tmp_path, case)
    needles = EDITS[case][2]
    assert_refused(lambda: CallForecaster.load(path), "edited.json", *needles)
    assert_cli_refused(run_main(["predict", path, "--start", DAY, "--end", NEXT], capsys),
                       *needles)


def test_hand_edited_model_file_is_refused_as_a_user_sees_it(d, tmp_path):
    path = edited_model(d, tmp_path, "short profile")
    assert_cli_refused(run_cli("forecast", "predict", path, "--start", DAY, "--end", NEXT),
                       "baseline.profile[0]")


def test_model_files_are_strict_json(d):
    _strict((d.folder / "model.json").read_text())


# ---- warned about, and right ------------------------------------------------------------------

def test_fit_without_spots_then_predict(d, capsys):
    out = d.folder / "no_spots.json"
    run = run_main(["fit", d.folder / "history.csv", "--save", out], capsys)
    assert run.code == 0 and run.err == ""
    summary = _strict(run.out)
    assert summary["response"] == "no response: no spots were given" and summary["effects"] == []
    run = run_main(["predict", out, "--start", DAY, "--end", NEXT, "--freq", "1h"], capsys)
    assert run.code == 0 and len(run.out.splitlines()) == 25


CHANNELS = plan((f"{DAY} 10:00", " rai  2 ", 5.0), (f"{DAY} 11:00", "Rai2", 5.0),
                (f"{DAY} 12:00", "Canale 5", 5.0))


def test_unknown_channels_are_named_with_the_treatment_and_a_suggestion(d, tmp_path, capsys):
    with pytest.warns(ForecastWarning) as caught:
        frame = d.model.predict(window(), CHANNELS)
    said = [str(w.message) for w in caught]
    assert any("'Rai2' (did you mean 'Rai 2'?)" in m and "mean strength" in m for m in said)
    assert any("'Canale 5'" in m for m in said)
    assert not any("rai  2" in m for m in said)  # case and spacing are ignored
    assert any("'Rai2'" in n for n in frame.attrs["notes"])
    path = tmp_path / "plan.csv"
    CHANNELS.to_csv(path, index=False)
    run = run_main(["predict", d.folder / "model.json", "--spots", path, "--start", DAY,
                    "--end", NEXT], capsys)
    lines = run.err.splitlines()
    assert run.code == 0 and len(lines) == 2 and all(x.startswith("warning: ") for x in lines)
    assert "did you mean 'Rai 2'?" in run.err and "mean strength" in run.err


def test_spots_outside_the_history_teach_nothing_and_say_so(d, tmp_path, capsys):
    later = d.spots.assign(start=d.spots["start"] + pd.Timedelta(days=60))
    with pytest.warns(ForecastWarning, match="no campaign effect can be learned"):
        model = CallForecaster().fit(d.history, later)
    assert "none of the airings" in model.response.note and model.effect_summary().empty
    assert model.diagnostics_["spots_outside_history"] == len(later)
    some = pd.concat([d.spots.iloc[:-2], later.iloc[-2:]], ignore_index=True)
    with pytest.warns(ForecastWarning, match="2 come.s. after the history"):
        CallForecaster(fit_saturation=False).fit(d.history, some)
    blind = CallForecaster().fit(d.history)
    np.testing.assert_allclose(model.predict(window())["mean"], blind.predict(window())["mean"])
    path = tmp_path / "later.csv"
    later.to_csv(path, index=False)
    run = run_main(["fit", d.folder / "history.csv", "--spots", path, "--save",
                    tmp_path / "m.json"], capsys)
    assert run.code == 0 and run.err.startswith("warning: all") and len(run.err.splitlines()) == 1
    summary = _strict(run.out)
    assert "no campaign effect" in summary["warnings"][0] and "none of" in summary["response"]


def test_grp_that_cannot_be_ratings_are_warned_about_at_fit(d, tmp_path, capsys):
    percent = d.spots.assign(grp=d.spots["grp"] * 100)
    with pytest.warns(ForecastWarning, match="at most 100 GRP"):
        CallForecaster().fit(d.history, percent)
    path = tmp_path / "percent.csv"
    percent.to_csv(path, index=False)
    run = run_main(["fit", d.folder / "history.csv", "--spots", path, "--save",
                    tmp_path / "m.json"], capsys)
    assert run.code == 0 and run.err.count("warning: spot GRP reach") == 1
    _strict(run.out)


def test_grp_far_beyond_the_fitted_ones_is_extrapolation(d, tmp_path, capsys):
    big = plan((f"{DAY} 10:00", "Rai 1", 500.0), (f"{DAY} 11:00", "Rai 1", 8.0))
    with pytest.warns(ForecastWarning, match="far above the largest fitted GRP"):
        frame = d.model.predict(window(), big)
    assert any("extrapolated" in n for n in frame.attrs["notes"])
    with warnings.catch_warnings():  # GRP within twice the fitted range: no warning
        warnings.simplefilter("error", ForecastWarning)
        d.model.predict(window(), plan((f"{DAY} 10:00", "Rai 1", 20.0)))
    path = tmp_path / "big.csv"
    big.to_csv(path, index=False)
    run = run_main(["predict", d.folder / "model.json", "--spots", path, "--start", DAY,
                    "--end", NEXT], capsys)
    assert run.code == 0 and run.err.startswith("warning: 1 planned airing(s) have GRP up to 500")


def test_float_and_blank_calls_are_read_right(d, tmp_path, capsys):
    whole = CallForecaster().fit(d.history).predict(window())["mean"].sum()
    halves = CallForecaster().fit(d.history / 2).predict(window())["mean"].sum()
    assert halves == pytest.approx(whole / 2, rel=0.02)  # calls as floats: same shape, half
    gaps = d.history.astype(float)
    gaps.iloc[500:600] = np.nan  # blank cells: intervals not logged, as if the rows were absent
    absent = d.history.drop(d.history.index[500:600])
    pd.testing.assert_frame_equal(CallForecaster().fit(gaps).predict(window()),
                                  CallForecaster().fit(absent).predict(window()))
    path = tmp_path / "floats.csv"
    (d.history / 2).to_csv(path)
    assert run_main(["fit", path, "--save", tmp_path / "m.json"], capsys).code == 0


def test_spots_with_offsets_of_another_zone_are_converted(d, tmp_path, capsys):
    local = plan((f"{DAY} 10:00", "Rai 1", 8.0))
    utc = plan(("2024-01-29T09:00:00+00:00", "Rai 1", 8.0))
    pd.testing.assert_frame_equal(d.model.predict(window(), local), d.model.predict(window(), utc))
    outs = []
    for name, frame in (("local", local), ("utc", utc)):
        path = tmp_path / f"{name}.csv"
        frame.to_csv(path, index=False)
        outs.append(run_main(["predict", d.folder / "model.json", "--spots", path, "--start",
                              DAY, "--end", NEXT], capsys).out)
    assert outs[0] == outs[1]


def test_a_one_day_window_at_daily_resolution(d, capsys):
    run = run_main(["predict", d.folder / "model.json", "--start", DAY, "--end", NEXT,
                    "--freq", "1D"], capsys)
    assert run.code == 0 and len(run.out.splitlines()) == 2


def test_a_window_finer_than_the_model_is_noted(d):
    frame = d.model.predict(pd.date_range(DAY, periods=30, freq="5min", tz="Europe/Rome"))
    assert any("finer than the model's" in n for n in frame.attrs["notes"])


def test_a_window_far_beyond_the_measured_horizon_is_warned_about(d, capsys):
    with pytest.warns(ForecastWarning, match="bands beyond are too narrow"):
        d.model.predict(pd.date_range("2026-01-05", periods=4, freq="1D", tz="Europe/Rome"))
    run = run_main(["predict", d.folder / "model.json", "--start", "2026-01-05", "--end",
                    "2026-01-09", "--freq", "1D"], capsys)
    assert run.code == 0 and run.err.startswith("warning: the window reaches")


def test_a_window_inside_the_history_is_noted(d):
    frame = d.model.predict(pd.date_range("2024-01-22", periods=96, freq="15min",
                                          tz="Europe/Rome"))
    assert any("starts before the history ends" in n for n in frame.attrs["notes"])


def test_actuals_and_plans_of_other_dates_are_warned_about(d, tmp_path, capsys):
    later = d.history.iloc[:8].set_axis(d.history.index[:8] + pd.Timedelta(days=60))
    with pytest.warns(ForecastWarning, match="update nothing"):
        d.model.predict(window("1h"), actuals=later)
    with pytest.warns(ForecastWarning, match="come after the window's end"):
        d.model.predict(window(), plan(("2024-03-29 10:00", "Rai 1", 8.0)))
    path = tmp_path / "later.csv"
    later.to_csv(path)
    run = run_main(["predict", d.folder / "model.json", "--start", DAY, "--end", NEXT,
                    "--freq", "1h", "--actuals", path], capsys)
    assert run.code == 0 and run.err.startswith("warning: the actuals of 2024-03-")
