"""Holidays the baseline never saw open follow what the calendar saw in the history."""

import pandas as pd

from forecast import CallForecaster, load_scenario


def test_a_holiday_seen_only_closed_is_forecast_closed():
    # The 2009 history's one public holiday (Easter Monday) falls in the campaign, which
    # the baseline leaves out; the calendar saw it closed, so 1 May is forecast closed.
    sc = load_scenario()
    model = CallForecaster().fit(sc.history, sc.spots)
    may_day = pd.date_range("2009-05-01", periods=288, freq="5min", tz="Europe/Rome")
    assert model.predict(may_day, sc.spots)["mean"].sum() == 0
    friday = pd.date_range("2009-05-08", periods=288, freq="5min", tz="Europe/Rome")
    assert model.predict(friday, sc.spots)["mean"].sum() > 1000
    opened = CallForecaster(holidays_closed=False).fit(sc.history, sc.spots)
    assert opened.predict(may_day, sc.spots)["mean"].sum() > 1000
