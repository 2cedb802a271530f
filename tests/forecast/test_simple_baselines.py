"""The planner's spreadsheet baselines that picco is compared with."""

import numpy as np
import pandas as pd

from forecast.backtest import same_weekday, weekday_average


def hourly(start: str, days: int, tz: str = "Europe/Rome") -> pd.Series:
    index = pd.date_range(start, periods=days * 24, freq="h", tz=tz)
    # the wall-clock hour plus a week number: each week tells which one was copied
    week = (index.tz_localize(None) - pd.Timestamp(start)).days // 7
    return pd.Series((index.hour + 100 * week).astype(float), index=index)


def test_weeks_ahead_copy_the_last_four_known_weeks():
    series = hourly("2024-01-01", 70)
    cut = pd.Timestamp("2024-02-05", tz="Europe/Rome")  # five weeks known (weeks 0-4)
    target = series.index[(series.index >= cut)][:21 * 24]
    average = weekday_average(series, target, cut)
    assert not np.isnan(average).any()
    # weeks 1-4 averaged: 250 plus the hour, for each of the three weeks ahead
    assert np.array_equal(average, 250 + target.hour.to_numpy())
    latest = same_weekday(series, target, cut)[0]
    assert np.array_equal(latest, 400 + target.hour.to_numpy())


def test_a_clock_change_keeps_the_wall_clock_time():
    series = hourly("2024-03-04", 42)  # summer time from 31 March
    cut = pd.Timestamp("2024-04-01", tz="Europe/Rome")
    target = pd.date_range(cut, periods=24, freq="h")
    average = weekday_average(series, target, cut)
    # weeks 0-3, all in winter time, at the same wall-clock hour (absolute time: an hour off)
    assert np.array_equal(average, 150 + target.hour.to_numpy())
