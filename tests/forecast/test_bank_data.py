"""Accuracy on real call-centre data (US bank, 5-minute counts), when the shared data is present."""

from pathlib import Path

import pandas as pd
import pytest

from forecast import CallForecaster
from forecast.backtest import backtest

DATA = Path(__file__).parents[3] / "shared" / "data" / "us_bank_calls_5min_2003.csv"
pytestmark = pytest.mark.skipif(not DATA.exists(), reason=f"shared data not found at {DATA}")


@pytest.fixture(scope="module")
def history():
    frame = pd.read_csv(DATA, parse_dates=["interval_start"]).set_index("interval_start")
    return frame


def us_model():
    return CallForecaster(country="US", tz="America/New_York")


@pytest.mark.parametrize("freq, published_4_week_mape", [("5min", 0.103), ("30min", 0.073)])
def test_one_day_ahead_beats_the_four_week_weekday_average(history, freq, published_4_week_mape):
    result = backtest(history, freq=freq, origins=20, model=us_model, tz="America/New_York")
    s = result.summary()
    assert s.loc["picco", "MAPE"] < published_4_week_mape
    assert s.loc["picco", "MAPE"] <= s.loc["weekday_average_4", "MAPE"]
    assert s.loc["picco", "MAPE"] < s.loc["seasonal_naive", "MAPE"]
    if freq == "5min":
        assert 0.75 <= s.loc["picco", "coverage_p10_p90"] <= 0.85


def test_one_week_ahead_daily(history):
    result = backtest(history, freq="1D", horizon_days=7, origins=20, model=us_model,
                      tz="America/New_York")
    assert result.summary().loc["picco", "MAPE"] < 0.067
