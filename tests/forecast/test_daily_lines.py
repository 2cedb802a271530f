"""Lines logged as daily totals: backtests and one-day windows."""

import pandas as pd
import pytest

from forecast import CallForecaster, backtest
from tests.forecast.test_far_band import drifting_seasonal_line


@pytest.fixture(scope="module")
def history() -> pd.DataFrame:
    series = drifting_seasonal_line(0)[:800]
    series.index = series.index.tz_localize("Asia/Tokyo").rename("interval_start")
    return series.to_frame("calls")


def test_a_daily_line_backtests_day_by_day(history):
    summary = backtest(history, origins=5).summary()
    assert summary.loc["picco", "WAPE"] < summary.loc["weekday_average_4", "WAPE"]
    assert summary.loc["picco", "n"] == 5


def test_a_single_midnight_is_that_whole_day(history):
    model = CallForecaster().fit(history)
    two = pd.date_range(history.index[-1] + pd.Timedelta(days=1), periods=2, freq="D")
    pd.testing.assert_frame_equal(model.predict(two[:1]), model.predict(two).iloc[:1])
