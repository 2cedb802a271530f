import numpy as np
import pandas as pd
import pytest

from forecast.campaign import CampaignResponse
from forecast.metrics import wape
from forecast.model import CallForecaster
from forecast.synthetic import make_campaign


def split(sc, train_days):
    cut = sc.history.index[0] + pd.Timedelta(days=train_days)
    return (sc.history[sc.history.index < cut], sc.spots[sc.spots["start"] < cut],
            sc.spots[sc.spots["start"] >= cut], cut)


@pytest.fixture(scope="module", params=[1, 2])
def fitted(request):
    sc = make_campaign(days=77, campaign_from_day=42, seed=request.param)
    history, past, future, cut = split(sc, 70)
    return sc, CallForecaster().fit(history, past), future, cut


def test_recovers_the_true_response(fitted):
    sc, model, _, _ = fitted
    r, t = model.response, sc.truth
    assert r.fast_half_life_min == pytest.approx(t.fast_half_life_min, rel=0.15)
    assert r.slow_half_life_days == pytest.approx(t.slow_half_life_days, rel=0.15)
    for ch in t.calls_per_grp:
        assert r.calls_per_grp[ch] == pytest.approx(t.calls_per_grp[ch], rel=0.15), ch
    assert model.diagnostics_["campaign_p_value"] < 1e-6


def test_held_out_campaign_week_close_to_the_true_model(fitted):
    sc, model, future, cut = fitted
    idx = pd.date_range(cut, periods=7 * 96, freq="15min")
    actual = sc.history["calls"].resample("15min").sum()[idx].to_numpy()
    true_mean = sc.expected.resample("15min").sum()[idx].to_numpy()
    ours = model.predict(idx, future)["mean"].to_numpy()
    blind = CallForecaster().fit(split(sc, 70)[0]).predict(idx)["mean"].to_numpy()
    assert wape(actual, ours) <= 1.2 * wape(actual, true_mean)
    assert wape(actual, blind) > 1.5 * wape(actual, ours)


def test_no_effect_is_found_and_said():
    null = CampaignResponse(calls_per_grp={"TV": 0.0}, lift_per_grp={"TV": 0.0})
    sc = make_campaign(days=70, campaign_from_day=42, seed=5, truth=null)
    model = CallForecaster().fit(sc.history, sc.spots)
    summary = model.effect_summary()
    # nothing survives: the model says so, and the spot-aware forecast is the blind one
    assert not summary["significant"].any()
    assert model.response.note.startswith("no measurable response")
    est, se = summary.loc["TV", "lift_per_grp_estimate"], summary.loc["TV", "lift_per_grp_estimate_se"]
    assert est - 2 * se <= 1e-9
    blind = CallForecaster().fit(sc.history)
    idx = pd.date_range(sc.history.index[0] + pd.Timedelta(days=42), periods=28, freq="1D")
    parts = model.decompose(idx, sc.spots)
    assert parts.filter(like=":").sum().sum() == 0
    pd.testing.assert_series_equal(model.predict(idx, sc.spots)["mean"], blind.predict(idx)["mean"])


def test_quantiles_are_ordered_and_decomposition_adds_up(fitted):
    sc, model, future, cut = fitted
    idx = pd.date_range(cut, periods=3 * 96, freq="15min")
    fc = model.predict(idx, future, quantiles=(0.05, 0.1, 0.5, 0.9, 0.95))
    assert (fc["p05"] <= fc["p10"]).all() and (fc["p10"] <= fc["p50"]).all()
    assert (fc["p50"] <= fc["p90"]).all() and (fc["p90"] <= fc["p95"]).all()
    parts = model.decompose(idx, future)
    np.testing.assert_allclose(parts.sum(axis=1), fc["mean"], rtol=1e-9)


def test_resolution_consistency(fitted):
    _, model, future, cut = fitted
    fine = model.predict(pd.date_range(cut, periods=7 * 288, freq="5min"), future)
    daily = model.predict(pd.date_range(cut, periods=7, freq="1D"), future)
    np.testing.assert_allclose(fine["mean"].resample("1D").sum().to_numpy(),
                               daily["mean"].to_numpy(), rtol=1e-9)


def test_zero_spots_add_zero_calls(fitted):
    _, model, _, cut = fitted
    late = cut + pd.Timedelta(days=60)  # far beyond the carry-over of past airings
    idx = pd.date_range(late, periods=96, freq="15min")
    parts = model.decompose(idx, None)
    assert parts.filter(like=":").to_numpy().max() < 1e-6 * parts["baseline"].max()


def test_save_and_load_round_trip(tmp_path, fitted):
    _, model, future, cut = fitted
    path = tmp_path / "model.json"
    model.save(path)
    again = CallForecaster.load(path)
    idx = pd.date_range(cut, periods=96, freq="15min")
    pd.testing.assert_frame_equal(model.predict(idx, future), again.predict(idx, future))
    r = CampaignResponse.from_json(model.response.to_json())
    assert r == model.response


def test_planner_set_response_without_campaign_history():
    sc = make_campaign(days=35, campaign_from_day=35, seed=4)  # no spots in the history
    plan = pd.DataFrame({"start": ["2024-02-13 10:00"], "channel": ["Rai 1"], "grp": [5.0]})
    response = CampaignResponse(calls_per_grp={"Rai 1": 40.0}, lift_per_grp={"Rai 1": 0.0},
                                fast_half_life_min=2.0)
    model = CallForecaster(response=response).fit(sc.history)
    idx = pd.date_range("2024-02-13 09:00", periods=12, freq="15min", tz="Europe/Rome")
    extra = model.decompose(idx, plan)["fast:Rai 1"].sum()
    assert extra == pytest.approx(40 * 5, rel=1e-3)  # all of it within three hours


@pytest.mark.parametrize("history, message", [
    (pd.DataFrame({"n": [1, 2]}, index=pd.date_range("2024-01-01", periods=2, freq="h")),
     "'calls' column"),
    (pd.DataFrame({"calls": [1, -2]}, index=pd.date_range("2024-01-01", periods=2, freq="h")),
     "calls must be >= 0, got -2"),
    (pd.DataFrame({"calls": [1, 2]}, index=[0, 1]), "must be a DatetimeIndex"),
])
def test_bad_history_is_named(history, message):
    with pytest.raises(ValueError, match=message):
        CallForecaster().fit(history)


def test_predict_before_fit_is_a_clear_error():
    with pytest.raises(ValueError, match="not fitted"):
        CallForecaster().predict(pd.date_range("2024-01-01", periods=4, freq="h"))


def test_airings_outside_the_window_are_reported(fitted):
    _, model, _, cut = fitted
    idx = pd.date_range(cut + pd.Timedelta(days=1), periods=96, freq="15min")
    plan = pd.DataFrame({"start": [cut + pd.Timedelta(hours=h) for h in (10, 34, 60)],
                         "channel": "Rai 1"})
    notes = model.schedule_notes(idx, plan)
    assert any("after the window end" in n for n in notes)
    assert any("before the window start" in n for n in notes)
    assert model.diagnostics_["spots_outside_history"] == 0


def test_damaged_model_file_is_a_clear_error(tmp_path):
    path = tmp_path / "model.json"
    path.write_text('{"format": "picco.forecaster/1", "tz": "Europe/Rome"}')
    with pytest.raises(ValueError, match="incomplete or damaged"):
        CallForecaster.load(path)
    path.write_text("not json")
    with pytest.raises(ValueError, match="cannot read model file"):
        CallForecaster.load(path)


def test_shape_uncertainty_widens_the_campaign_intervals(fitted):
    import dataclasses

    _, model, future, cut = fitted
    r = model.response
    assert set(r.shape_names) >= {"fast_half_life_min", "slow_half_life_days"}
    assert all(0 < s < 0.5 for s in np.sqrt(np.diag(np.asarray(r.shape_covariance))))
    idx = pd.date_range(cut, periods=3 * 96, freq="15min")
    wide = model.predict(idx, future)
    model.response = dataclasses.replace(r, shape_covariance=None, shape_names=[])
    try:
        narrow = model.predict(idx, future)
    finally:
        model.response = r
    assert ((wide["p90"] - wide["p10"]) >= (narrow["p90"] - narrow["p10"])).all()
    assert ((wide["p90"] - wide["p10"]) > (narrow["p90"] - narrow["p10"])).any()
