import logging
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from campaign import parse_spec, read_spec, sweep
from campaign.sweep_task import OUTPUTS, evaluate_scenario, forecast_schedule

from .conftest import START

ROOT = Path(__file__).resolve().parents[2]
DAY_END = "2024-01-30"  # one day: tiny scenarios


@pytest.fixture(scope="module")
def client():
    from distributed import Client, LocalCluster

    with LocalCluster(processes=False, n_workers=1, threads_per_worker=2, dashboard_address=None,
                      silence_logs=logging.ERROR) as cluster, Client(cluster) as c:
        yield c


@pytest.fixture()
def files(tmp_path, model, spots):
    model.save(tmp_path / "model.json")
    spots.to_csv(tmp_path / "plan_a.csv", index=False)
    spots[spots["channel"] != "Rai 1"].to_csv(tmp_path / "plan_b.csv", index=False)
    return tmp_path


def _spec(**extra):
    base = {"model": "model.json", "spots": ["plan_a.csv", "plan_b.csv"],
            "window": {"start": START, "end": DAY_END}, "settings": {"replications": 1}}
    return {**base, **extra}


def test_grid_is_planned_one_row_per_scenario(files, client):
    spec = parse_spec(_spec(grid={"sl_target": [0.7, 0.9], "quantile": ["mean", "p90"]}), base=files)
    out = sweep(spec, client=client, progress=False)
    assert len(out) == 2 * 2 * 2 and out["scenario"].tolist() == list(range(8))
    assert list(out.columns[-len(OUTPUTS):]) == list(OUTPUTS)
    assert (out["error"] == "").all() and out["seconds"].gt(0).all()
    assert out.attrs["workers"] == 1
    key = ["schedule", "sl_target"]
    wide = out.pivot_table(index=key, columns="quantile", values="calls")
    assert (wide["p90"] > wide["mean"]).all()
    agents = out.pivot_table(index=["schedule", "quantile"], columns="sl_target", values="peak_agents")
    assert (agents[0.9] >= agents[0.7]).all()
    # Plan A has the heavy Rai 1 airings that plan B drops.
    calls = out[out["quantile"] == "mean"].groupby("schedule")["calls"].first()
    assert calls["plan_a"] > calls["plan_b"]


def test_a_row_equals_the_scenario_planned_alone(files, client):
    spec = parse_spec(_spec(grid={"aht_s": [200, 260]}, spots=["plan_a.csv"]), base=files)
    out = sweep(spec, client=client, progress=False)
    fc = forecast_schedule(spec.model, spec.schedules["plan_a"], spec.start, spec.end, spec.freq)
    alone = evaluate_scenario(spec.scenarios.iloc[1].to_dict(), fc)
    for column in ("calls", "peak_agents", "temps", "total_cost", "service_level"):
        assert out.loc[1, column] == pytest.approx(alone[column])


def test_sample_draws_scenarios_with_queues_and_paths(files, client, capsys):
    spec = parse_spec(_spec(grid={"aht_s": {"min": 200, "max": 280}, "shrinkage": [0.2, 0.3]},
                            queues={"sales": {"share": 0.6, "patience_s": 60}, "care": {"share": 0.4}},
                            paths=3, sample=5, seed=7), base=files)
    out = sweep(spec, client=client, progress=True)
    assert len(out) == 5 and (out["error"] == "").all()
    assert out["aht_s"].between(200, 280).all() and set(out["path"]) <= {0, 1, 2}
    assert set(out["queue"]) <= {"sales", "care"}
    assert (out.loc[out["queue"] == "sales", "patience_s"] == 60).all()
    assert "5/5 scenarios" in capsys.readouterr().err
    again = sweep(spec, client=client, progress=False)
    pd.testing.assert_series_equal(out["calls"], again["calls"])  # seeded paths


def test_a_scenario_without_a_plan_says_why_and_the_rest_run(files, client):
    spec = parse_spec(_spec(spots=["plan_a.csv"], grid={"shifts": ["4", "6"]},
                            settings={"replications": 1, "open": "08:00", "close": "12:00"}),
                      base=files)
    out = sweep(spec, client=client, progress=False)
    assert out.loc[0, "error"] == ""
    assert out.loc[1, "error"] == "a 6.0 h shift does not fit between 08:00 and 12:00"
    assert pd.isna(out.loc[1, "peak_agents"])


@pytest.mark.parametrize("change, message", [
    (dict(grid={"sl_target": [0.8, 80]}), "grid.sl_target must be a share in (0, 1) such as 0.8, got 80; "
                                          "did you mean 0.8?"),
    (dict(grid={"colour": [1]}), "grid.colour is not a setting a sweep can vary"),
    (dict(grid={"aht_s": 240}), "grid.aht_s must be a list of values"),
    (dict(grid={"aht_s": {"min": 200, "max": 260}}), "grid.aht_s is a range"),
    (dict(grid={"aht_s": {"min": 260, "max": 200}}, sample=3), "grid.aht_s.max must be >= grid.aht_s.min"),
    (dict(grid={"quantile": ["mean", "high"]}), "grid.quantile must be 'mean' or a quantile"),
    (dict(grid={"quantile": ["mean"]}, paths=5), "paths and quantile"),
    (dict(grid={"schedule": ["plan_c"]}), "grid.schedule must list schedules of spots (plan_a, plan_b)"),
    (dict(settings={"service_goal": "week"}), "settings.service_goal must be one of interval, day, window"),
    (dict(settings={"aht_s": 240}, grid={"aht_s": [200]}), "grid.aht_s and settings.aht_s"),
    (dict(queues={"a": {"share": 0.7}, "b": {"share": 0.5}}), "queues' shares must add up to at most 1"),
    (dict(queues={"a": {"aht_s": 300}}), "queues.a must be a mapping with a share"),
    (dict(sample=0), "sample must be a whole number of scenarios"),
    (dict(window={"start": START}), "window must have start and end"),
    (dict(window={"start": DAY_END, "end": START}), "window.end must be after window.start"),
    (dict(window={"start": "someday", "end": DAY_END}), "window.start must be a date or time"),
    (dict(freq="7min"), "freq must be one of"),
    (dict(spots=None), "spots must list one or more schedule files"),
    (dict(spots=["nowhere.csv"]), "spots 'nowhere.csv'"),
    (dict(model="missing.json"), "model 'missing.json': cannot read a saved model"),
    (dict(workers=2), "workers is not a spec key"),
])
def test_spec_mistakes_are_refused_naming_the_key(files, change, message):
    with pytest.raises(ValueError) as info:
        parse_spec(_spec(**change), base=files)
    assert message in str(info.value)


def test_read_spec_refuses_bad_yaml_and_other_shapes(tmp_path):
    (tmp_path / "bad.yaml").write_text("grid: {sl_target: [0.8\n")
    with pytest.raises(ValueError, match="not valid YAML"):
        read_spec(tmp_path / "bad.yaml")
    (tmp_path / "list.yaml").write_text("- 1\n- 2\n")
    with pytest.raises(ValueError, match="a spec must be a mapping"):
        read_spec(tmp_path / "list.yaml")
    with pytest.raises(ValueError, match="cannot read it"):
        read_spec(tmp_path / "none.yaml")


def test_cluster_options_conflict(files, client):
    spec = parse_spec(_spec(spots=["plan_a.csv"]), base=files)
    with pytest.raises(ValueError, match="client or scheduler_address, not both"):
        sweep(spec, client=client, scheduler_address="tcp://127.0.0.1:1")
    with pytest.raises(ValueError, match="n_workers is for the local cluster"):
        sweep(spec, client=client, n_workers=2)
    with pytest.raises(ValueError, match="n_workers must be a whole number"):
        sweep(spec, n_workers=0)


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "campaign", "sweep", *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=180)


def test_cli_writes_the_results_of_a_tiny_spec(files):
    (files / "spec.yaml").write_text(
        "model: model.json\nspots: [plan_a.csv]\n"
        f"window: {{start: {START}, end: {DAY_END}}}\n"
        "settings: {replications: 1}\ngrid: {sl_target: [0.8, 0.9]}\n")
    out = _cli(str(files / "spec.yaml"), "--workers", "1", "-o", str(files / "results.csv"))
    assert out.returncode == 0, out.stderr
    assert "2 scenarios on 1 worker(s)" in out.stdout
    assert "2/2 scenarios" in out.stderr
    results = pd.read_csv(files / "results.csv", keep_default_na=False)
    assert len(results) == 2 and set(OUTPUTS) <= set(results.columns)
    assert (results["error"] == "").all()


def test_cli_bad_spec_exits_2_with_one_line(files):
    (files / "spec.yaml").write_text(
        f"model: model.json\nspots: [plan_a.csv]\nwindow: {{start: {START}, end: {DAY_END}}}\n"
        "grid: {sl_target: [80]}\n")
    out = _cli(str(files / "spec.yaml"), "--workers", "1")
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1
    assert out.stderr.startswith("error: grid.sl_target must be a share in (0, 1)")


@pytest.mark.parametrize("objective", ["cost", "lost_calls"])
def test_optimise_on_a_client_gives_the_same_plans(model, spots, candidates, client, objective):
    from campaign import optimise_schedule

    from .conftest import END, SETTINGS

    kw = dict(start=START, end=END, objective=objective, time_limit_s=20, **SETTINGS)
    here = optimise_schedule(model, spots, candidates, **kw)
    there = optimise_schedule(model, spots, candidates, client=client, **kw)
    pd.testing.assert_frame_equal(here.schedule, there.schedule)
    for key in ("peak_agents", "total_cost", "service_level"):
        assert there.before.summary[key] == pytest.approx(here.before.summary[key])
        assert there.after.summary[key] == pytest.approx(here.after.summary[key])
    assert there.bound.peak_load_lower == pytest.approx(here.bound.peak_load_lower)


def test_the_forecasters_notes_on_a_schedule_come_back(files, spots, client):
    spots.assign(channel="Canale Nuovo").to_csv(files / "unknown.csv", index=False)
    spec = parse_spec(_spec(spots=["plan_a.csv", "unknown.csv"]), base=files)
    out = sweep(spec, client=client, progress=False)
    assert any("Canale Nuovo" in n for n in out.attrs["notes"]["unknown"])
    assert not any("Canale Nuovo" in n for n in out.attrs["notes"].get("plan_a", []))


def test_default_2009_brings_its_own_schedule():
    spec = parse_spec({"model": "default_2009", "window": {"start": "2009-04-20", "end": "2009-04-21"},
                       "grid": {"sl_target": [0.8, 0.9]}})
    assert list(spec.schedules) == ["2009"] and len(spec.schedules["2009"]) > 100
    assert spec.model.tz == "Europe/Rome" and len(spec.scenarios) == 2
    assert str(spec.start) == "2009-04-20 00:00:00+02:00"


def test_runs_on_a_cluster_given_by_its_scheduler_address(files, client, monkeypatch):
    spec = parse_spec(_spec(spots=["plan_a.csv"], grid={"sl_target": [0.8, 0.9]}), base=files)
    out = sweep(spec, scheduler_address=client.scheduler.address, progress=False)
    assert len(out) == 2 and (out["error"] == "").all()
    assert out.attrs["scheduler"] == client.scheduler.address
    monkeypatch.setattr(sys.modules["campaign.sweep"], "CONNECT_TIMEOUT_S", 1)  # the module, not the function
    with pytest.raises(ValueError, match="scheduler_address 'tcp://127.0.0.1:9': cannot connect"):
        sweep(spec, scheduler_address="tcp://127.0.0.1:9", progress=False)
