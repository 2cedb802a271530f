"""The planner's spreadsheet baselines that picco is compared with."""

import numpy as np
import pandas as pd
import pytest

from forecast.backtest import BENCHMARKS, backtest
from forecast.benchmarks import last_year_scaled, same_weekday, weekday_average

from .test_baseline import daily_line


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


def test_last_year_scaled_reads_52_weeks_back_times_the_recent_growth():
    index = pd.date_range("2023-01-02", "2024-06-30", freq="D", tz="America/New_York")
    # 100 a day in 2023, 120 from 2024: the four weeks before the cut grew 20 %
    calls = pd.Series(np.where(index.year == 2024, 120.0, 100.0) + index.day_of_week, index=index)
    cut = pd.Timestamp("2024-03-04", tz="America/New_York")
    target = pd.date_range(cut, periods=14, freq="D")
    got = last_year_scaled(calls[calls.index < cut], target, cut)
    growth = (120 * 28 + 3 * 28) / (100 * 28 + 3 * 28)  # weekday terms: 0..6, four times
    expected = (100.0 + target.day_of_week.to_numpy()) * growth
    np.testing.assert_allclose(got, expected)


def test_last_year_scaled_needs_last_year():
    index = pd.date_range("2024-01-01", periods=200, freq="D")
    calls = pd.Series(100.0, index=index)
    cut = index[-1] + pd.Timedelta(days=1)
    assert np.isnan(last_year_scaled(calls, pd.date_range(cut, periods=7, freq="D"), cut)).all()


def test_a_target_beyond_a_year_reads_the_latest_known_year():
    index = pd.date_range("2022-01-03", "2024-01-28", freq="D")
    calls = pd.Series(100.0 * 1.1 ** (index.year - 2022), index=index)  # +10 % a year
    cut = pd.Timestamp("2024-01-29")
    target = pd.DatetimeIndex(["2025-01-27"])  # 52 weeks + 3 days ahead
    got = last_year_scaled(calls, target, cut)
    # the Monday of 2024-01-29 (104 weeks back: 2023-01-30, at 110) grown twice
    np.testing.assert_allclose(got, [110 * 1.1 ** 2])


def test_a_quarter_ahead_backtest_of_a_yearly_line_beats_the_best_spreadsheet():
    series = daily_line(days=3 * 365 + 91, yearly=True, seed=1).tz_localize("America/Chicago")
    result = backtest(series.to_frame("calls"), origins=14, horizon_days=91)
    summary = result.summary()
    assert list(summary.index) == ["picco", *BENCHMARKS]
    assert summary.loc["last_year_scaled", "n"] == 14
    best, wape = result.best_benchmark()
    assert best in BENCHMARKS and wape == summary.loc[list(BENCHMARKS), "WAPE"].min()
    assert summary.loc["picco", "WAPE"] < wape
    # the table's benchmark is the spreadsheet's figure from the history before the origin
    row = result.table.iloc[0]
    origin = row["origin"]
    alone = last_year_scaled(series[series.index < origin], result.table.index[:1], origin)
    assert alone[0] == pytest.approx(row["last_year_scaled"])


def test_under_a_year_the_backtest_has_no_last_year_row():
    series = daily_line(days=120, yearly=False, seed=2).tz_localize("America/Chicago")
    result = backtest(series.to_frame("calls"), origins=3)
    assert "last_year_scaled" not in result.summary().index
    assert result.best_benchmark()[0] in ("seasonal_naive", "weekday_average_4")
