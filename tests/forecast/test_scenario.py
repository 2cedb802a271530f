import pandas as pd
import pytest

from forecast import CallForecaster, load_scenario

TZ = "Europe/Rome"


@pytest.fixture(scope="module")
def scenario():
    return load_scenario("bonus_elettrico_2009")


def daily(series):
    return series.resample("1D").sum()


def check_published(days, published):
    campaign = days["2009-04-12":"2009-04-30"]
    pre = days["2009-03-02":"2009-04-11"]
    assert pre.mean() == pytest.approx(published["pre_campaign_calls_per_day"], rel=0.05)
    assert campaign.sum() == pytest.approx(published["campaign_total_calls"], rel=0.05)
    assert campaign.mean() == pytest.approx(published["campaign_calls_per_day"], rel=0.05)
    assert days["2009-04-20"] == pytest.approx(published["peak_2009_04_20"], rel=0.05)
    assert days["2009-04-27"] == pytest.approx(published["peak_2009_04_27"], rel=0.05)
    # the two Mondays are the busiest days, in that order
    top = campaign.sort_values(ascending=False).index[:2]
    assert [d.strftime("%Y-%m-%d") for d in top] == ["2009-04-20", "2009-04-27"]


def test_generated_history_matches_the_seed_figures(scenario):
    check_published(daily(scenario.history["calls"]), scenario.settings["published"])


def test_fitted_model_reproduces_the_seed_figures(scenario):
    model = CallForecaster(holidays_closed=True).fit(scenario.history, scenario.spots)
    idx = pd.date_range("2009-03-02", "2009-05-01", freq="1D", tz=TZ, inclusive="left")
    fc = model.predict(idx, scenario.spots)
    check_published(fc["mean"], scenario.settings["published"])
    assert model.response.fast_half_life_min == pytest.approx(
        scenario.truth.fast_half_life_min, rel=0.15)


def test_scenario_is_deterministic_and_documented(scenario):
    again = load_scenario("bonus_elettrico_2009")
    pd.testing.assert_frame_equal(scenario.history, again.history)
    assert "Monday-Friday 08:00-18:00" in scenario.settings["opening_hours"]
    assert scenario.history.index.freqstr == "5min"
    with pytest.raises(ValueError, match="unknown scenario"):
        load_scenario("bonus_gas")
