import numpy as np
import pandas as pd
import pytest

from staffing import staffing_plan
from staffing.uncertainty import plan_risk, volume_scenarios


def forecast_frame(mean, rel_sd, periods=4):
    idx = pd.date_range("2009-04-20 09:00", periods=periods, freq="30min", tz="Europe/Rome")
    sd = mean * rel_sd
    return pd.DataFrame({"mean": mean, "p10": mean - 1.2816 * sd, "p50": mean,
                         "p90": mean + 1.2816 * sd}, index=idx)


def test_scenarios_reproduce_mean_and_spread():
    pts = volume_scenarios([1000.0], [1000 - 128.16], [1000 + 128.16], n_points=201)
    assert pts.mean() == pytest.approx(1000, rel=0.01)
    assert pts.std() == pytest.approx(100, rel=0.05)


def test_staffing_to_the_mean_meets_the_target_about_half_the_time():
    fc = forecast_frame(400.0, 0.1)
    mean_plan = staffing_plan(fc, 240)
    risk_plan = staffing_plan(fc, 240, staff_to="expected_sl")
    assert 0.3 <= mean_plan["p_meet_target"].iloc[0] <= 0.8
    assert (mean_plan["expected_service_level"] < 0.8).all()
    assert (risk_plan["expected_service_level"] >= 0.8).all()
    assert (risk_plan["agents"] > mean_plan["agents"]).all()
    # one agent fewer would miss the expected target
    fewer = plan_risk(np.full((1, 1), 0.0) + volume_scenarios([400.0], [400 - 51.3], [400 + 51.3]),
                      risk_plan["agents"].iloc[:1] - 1, 240, 1800, sl_target=0.8, target_s=20)
    assert fewer["expected_service_level"][0] < 0.8
    q90 = staffing_plan(fc, 240, quantile=0.9)
    assert (q90["agents"] >= risk_plan["agents"]).all()


def test_erlang_a_reports_expected_abandoned_calls():
    plan = staffing_plan(forecast_frame(1000.0, 0.08), 240, model="erlang_a", patience_s=60)
    assert (plan["expected_abandoned"] > 0).all()
    assert set(plan["binding"]) <= {"service level", "forecast risk"}


def test_binding_target_is_named():
    idx = pd.date_range("2009-04-20 09:00", periods=2, freq="1h", tz="Europe/Rome")
    plan = staffing_plan(pd.DataFrame({"calls": [1000, 0]}, index=idx), 120, max_occupancy=0.85)
    assert plan["binding"].tolist() == ["occupancy cap", "no calls"]


def test_expected_sl_needs_quantiles():
    idx = pd.date_range("2009-04-20 09:00", periods=2, freq="1h", tz="Europe/Rome")
    with pytest.raises(ValueError, match="needs a forecast frame"):
        staffing_plan(pd.DataFrame({"calls": [100, 100]}, index=idx), 120, staff_to="expected_sl")
