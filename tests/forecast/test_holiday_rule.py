"""Holidays the baseline never saw open follow what the calendar saw in the history."""

import warnings

import numpy as np
import pandas as pd
import pytest

from forecast import CallForecaster, load_scenario
from forecast.notes import ForecastWarning


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


def _berlin_open_hours(seed: int = 0) -> pd.DataFrame:
    """A Mon-Sat 08-20 line whose log holds only open hours: no rows on Easter's holidays."""
    idx = pd.date_range("2024-02-26", "2024-04-28", freq="h", tz="Europe/Berlin",
                        inclusive="left")
    idx = idx[(idx.hour >= 8) & (idx.hour < 20) & (idx.day_of_week < 6)]
    idx = idx[~idx.normalize().tz_localize(None).isin(pd.to_datetime(["2024-03-29",
                                                                        "2024-04-01"]))]
    calls = np.random.default_rng(seed).poisson(200 * np.where(idx.day_of_week == 5, 0.5, 1.0))
    return pd.DataFrame({"calls": calls}, index=idx)


def test_holidays_never_seen_are_flagged_when_every_one_seen_was_unlogged():
    model = CallForecaster().fit(_berlin_open_hours())
    may = pd.date_range("2024-05-01", "2024-05-11", freq="h", tz="Europe/Berlin",
                        inclusive="left")
    with pytest.warns(ForecastWarning, match=r"2024-05-01 \(Labor Day\), 2024-05-09 "
                                             r"\(Ascension Day\).*holidays_closed=True"):
        forecast = model.predict(may)
    assert forecast.loc["2024-05-01", "mean"].sum() > 1000  # as an ordinary Wednesday
    assert any("Ascension" in note for note in forecast.attrs["notes"])
    closed = CallForecaster(holidays_closed=True).fit(_berlin_open_hours())
    with warnings.catch_warnings():
        warnings.simplefilter("error", ForecastWarning)
        forecast = closed.predict(may)
    assert forecast.loc["2024-05-01", "mean"].sum() == 0
    assert not any("never showed" in note for note in forecast.attrs["notes"])


def test_a_window_without_holidays_says_nothing_about_them():
    model = CallForecaster().fit(_berlin_open_hours())
    week = pd.date_range("2024-05-13", "2024-05-19", freq="h", tz="Europe/Berlin",
                         inclusive="left")
    assert not any("holiday" in note for note in model.predict(week).attrs["notes"])


def test_holidays_closed_because_every_one_seen_was_closed_are_noted():
    sc = load_scenario()
    model = CallForecaster().fit(sc.history, sc.spots)
    days = pd.date_range("2009-04-28", periods=10, freq="D", tz="Europe/Rome")
    notes = model.predict(days, sc.spots).attrs["notes"]
    assert any(note.startswith("2009-05-01 (Labor Day): a public holiday the history never "
                               "showed, forecast closed") for note in notes)
