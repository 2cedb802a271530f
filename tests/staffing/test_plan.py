import numpy as np
import pandas as pd
import pytest

import staffing
from staffing import schema as S
from staffing.load import modified_offered_load
from staffing.plan import staffing_plan


def frame(calls, freq="30min", start="2009-04-20 08:00", **cols):
    idx = pd.date_range(start, periods=len(calls), freq=freq, tz="Europe/Rome", name=S.INDEX)
    return pd.DataFrame({"calls": calls, **cols}, index=idx)


def test_plan_columns_and_textbook_row():
    plan = staffing_plan(frame([100, 100, 100]), aht_s=180, shrinkage=0.3)
    for col in ("calls", "agents", "scheduled", "service_level", "asa_s", "occupancy", "p_wait"):
        assert col in plan.columns
    assert plan.index.name == S.INDEX and str(plan.index.tz) == "Europe/Rome"
    row = plan.iloc[1]
    assert (row.agents, row.scheduled) == (14, 20)
    assert row.service_level == pytest.approx(0.88835, abs=1e-5)
    assert row.asa_s == pytest.approx(7.836, abs=1e-3)


def test_input_frame_is_not_mutated():
    f = frame([100, 200])
    before = f.copy()
    staffing_plan(f, aht_s=180)
    pd.testing.assert_frame_equal(f, before)


def test_per_interval_aht_column_and_periods():
    f = frame([50, 50, 100, 100], freq="15min", aht_s=[120, 240, 180, 180])
    plan = staffing_plan(f, period="30min")
    assert len(plan) == 2
    assert plan["calls"].tolist() == [100, 200]
    assert plan["aht_s"].iloc[0] == pytest.approx(180)  # call-weighted
    assert plan["agents"].iloc[1] == staffing.required_agents(200, 180, 1800)


def test_erlang_a_plan_reports_abandonment():
    plan = staffing_plan(frame([1000, 1000]), 240, model="erlang_a", patience_s=60)
    assert plan["agents"].tolist() == [120, 120]
    assert "abandon_rate" in plan.columns
    assert plan["service_level"].iloc[0] == pytest.approx(0.8116, abs=1e-4)


def test_forecast_frame_and_quantile():
    idx = pd.date_range("2009-04-20 08:00", periods=2, freq="30min", tz="Europe/Rome")
    fc = pd.DataFrame({"mean": [100.0, 100.0], "p10": [80.0, 80.0], "p90": [130.0, 130.0]},
                      index=idx)
    assert staffing_plan(fc, 180)["agents"].iloc[0] == 14
    assert staffing_plan(fc, 180, quantile=0.9)["agents"].iloc[0] == \
        staffing.required_agents(130, 180, 1800)
    with pytest.raises(ValueError, match="quantile=0.75 needs a forecast column 'p75'"):
        staffing_plan(fc, 180, quantile=0.75)


def test_mol_holds_target_after_a_spike_where_sipp_does_not():
    # 10 calls/min, jumping to 30/min for 15 minutes; AHT 4 min; P(delay) <= 0.2 per 15 min.
    calls = np.full(180, 10.0)
    calls[60:75] = 30.0
    f = frame(calls, freq="1min")
    kw = dict(aht_s=240, period="15min", sl_target=0.8, target_s=0)
    sipp = staffing_plan(f, method="sipp", **kw)
    mol = staffing_plan(f, method="mol", **kw)
    assert (mol["service_level"] >= 0.8 - 1e-9).all()
    assert (sipp["service_level"] < 0.8).any()
    after = mol.index[5]  # the period after the spike: calls are still in service
    assert mol.loc[after, "agents"] > sipp.loc[after, "agents"]


def test_modified_offered_load_relaxes_with_the_handling_time():
    rate = np.r_[np.full(10, 0.0), np.full(200, 1.0)]  # a step from 0 to 1 call/s
    mean, peak = modified_offered_load(rate, np.full(rate.size, 60.0), 1.0)
    # m(t) = 60 (1 - exp(-t/60)) after the step
    assert peak[10 + 59] == pytest.approx(60 * (1 - np.exp(-60 / 60)), rel=1e-9)
    assert mean[-1] == pytest.approx(60 * (1 - np.exp(-199.5 / 60)), rel=1e-3)
    varying = modified_offered_load(rate, np.r_[np.full(100, 60.0), np.full(110, 60.0 + 1e-9)], 1.0)
    np.testing.assert_allclose(varying[1], peak, rtol=1e-6)


@pytest.mark.parametrize("volume, kwargs, message", [
    (frame([100, -5]), dict(aht_s=180), "calls must be >= 0, got -5 .at position 1."),
    (frame([100, np.nan]), dict(aht_s=180), "calls must be a finite number"),
    (frame([100, 100]), dict(), "aht_s is missing"),
    (frame([100, 100]), dict(aht_s=180, period="45min"),
     "period .45min. is not a whole number of the volume.s 30-min intervals"),
    (frame([100, 100]), dict(aht_s=180, period="soon"), "period must be a duration"),
    (frame([100, 100]).rename(columns={"calls": "n"}), dict(aht_s=180), "needs a 'calls'"),
    (frame([100, 100]).iloc[[1, 0]], dict(aht_s=180), "must be sorted with one regular step"),
    (frame([100, 100]), dict(aht_s=180, method="peak"), "method must be one of"),
    (frame([100, 100]), dict(aht_s=180, shrinkage=1.0), r"shrinkage must be in \[0, 1\)"),
])
def test_bad_frames_are_named(volume, kwargs, message):
    with pytest.raises(ValueError, match=message):
        staffing_plan(volume, **kwargs)
