"""Zones whose clock moves at midnight, and days of 23 or 25 hours.

São Paulo (until 2019), Santiago, Asunción, Havana, Cairo and Beirut change the clock at
00:00, so one day a year has no midnight. Every step of the forecaster and its
backtests works on local calendar days (`forecast.days`), never on pandas' normalize,
which raises on those days.
"""

import numpy as np
import pandas as pd
import pytest

from forecast import CallForecaster
from forecast.backtest import backtest, reforecast_backtest
from forecast.benchmarks import same_weekday, weekday_average
from forecast.notes import silenced
from tabular.days import day_start


def _line(tz: str, start: str, end: str, step: str, seed: int = 0) -> pd.DataFrame:
    """A 24-hour line: busy by day, quiet at night, a quiet Sunday."""
    idx = pd.date_range(pd.Timestamp(start, tz=tz), pd.Timestamp(end, tz=tz), freq=step,
                        inclusive="left", name="interval_start")
    local = idx.tz_localize(None)
    hour = (local.hour + local.minute / 60).to_numpy()
    per_step = pd.Timedelta(step) / pd.Timedelta(hours=1)
    rate = np.where((hour >= 8) & (hour < 20), 120.0, 15.0) * np.where(local.day_of_week == 6, 0.5, 1.0)
    calls = np.random.default_rng(seed).poisson(rate * per_step).astype(float)
    return pd.DataFrame({"calls": calls}, index=idx)


@pytest.mark.parametrize("tz, day", [("America/Sao_Paulo", "2018-11-04"),
                                     ("America/Santiago", "2018-08-12")])
def test_a_day_without_midnight_is_fitted_forecast_and_backtested(tz, day):
    jump = pd.Timestamp(day)
    history = _line(tz, str((jump - pd.Timedelta(days=40)).date()),
                    str((jump + pd.Timedelta(days=9)).date()), "6min")
    with silenced():
        model = CallForecaster().fit(history[history.index < day_start(jump, tz)
                                             - pd.Timedelta(days=3)])
    window = history.index[(history.index.tz_localize(None) >= jump - pd.Timedelta(days=2))
                           & (history.index.tz_localize(None) < jump + pd.Timedelta(days=2))]
    fine = model.predict(window, quantiles=())["mean"]
    coarse = model.predict(pd.date_range(window[0], window[-1], freq="30min"), quantiles=())
    assert coarse["mean"].sum() == pytest.approx(fine.sum(), rel=1e-9)
    # The short day (a Sunday) has 23 hours of 6-minute intervals, at a Sunday's level:
    # half of 12 h x 120 + 12 h x 15 calls, less its missing night hour.
    short = fine[fine.index.tz_localize(None).normalize() == jump]
    assert len(short) == 230
    assert short.sum() == pytest.approx(0.5 * (12 * 120 + 11 * 15), rel=0.1)
    with silenced():
        model.fit(history)  # the day inside the history
        for freq in ("30min", "1D"):
            table = backtest(history, origins=6, horizon_days=2, freq=freq).table
            assert not table.index.duplicated().any()
        refit = reforecast_backtest(history, origins=6, cutoff="13:00").table
    assert refit["actual"].notna().all()


def test_a_daily_line_without_midnight_on_one_day():
    tz = "America/Sao_Paulo"
    dates = pd.date_range("2018-09-01", "2018-11-30", freq="D")
    index = pd.DatetimeIndex(dates.tz_localize(tz, nonexistent="shift_forward"), name="interval_start")
    calls = np.where(index.day_of_week < 5, 1000.0, 300.0)
    history = pd.DataFrame({"calls": calls}, index=index)
    cut = pd.Timestamp("2018-11-01", tz=tz)
    model = CallForecaster().fit(history[history.index < cut])
    ahead = model.predict(index[(index >= cut) & (index < cut + pd.Timedelta(days=14))],
                          quantiles=())["mean"]
    assert str(ahead.index[3]) == "2018-11-04 01:00:00-02:00"  # that day starts at 01:00
    assert ahead.iloc[3] == pytest.approx(300.0, rel=0.05)  # a Sunday, of 23 hours
    # A single day start is a whole day, as a midnight is.
    alone = model.predict(index[index >= day_start("2018-11-04", tz)][:1], quantiles=())
    assert alone["mean"].iloc[0] == pytest.approx(ahead.iloc[3])


@pytest.mark.parametrize("day, hours", [("2023-10-01", 23), ("2023-04-02", 25)])
def test_the_backtest_scores_each_local_day_once(day, hours):
    history = _line("Australia/Sydney", str((pd.Timestamp(day) - pd.Timedelta(days=30)).date()),
                    str((pd.Timestamp(day) + pd.Timedelta(days=2)).date()), "30min")
    with silenced():
        table = backtest(history, origins=3, freq="30min").table
    assert not table.index.duplicated().any()
    local = table.index.tz_localize(None).normalize()
    assert (local == pd.Timestamp(day)).sum() == 2 * hours
    origin = table["origin"].dt.tz_localize(None)
    assert (origin == local).all()  # each row is labelled with its own day


def test_the_planners_weeks_are_wall_clock_weeks_across_the_spring_change():
    """A target four weeks after a midnight origin reads the week before the origin."""
    tz = "America/New_York"
    index = pd.date_range("2024-02-05", "2024-04-02", freq="D", tz=tz)
    series = pd.Series(np.arange(len(index), dtype=float), index=index)
    origin = pd.Timestamp("2024-03-04", tz=tz)  # the clocks go forward on 10 March
    target = pd.DatetimeIndex([pd.Timestamp("2024-04-01", tz=tz)])
    read = [float(v[0]) for v in same_weekday(series, target, origin, weeks=2)]
    assert read == [series.loc["2024-02-26"], series.loc["2024-02-19"]]
    assert weekday_average(series, target, origin, weeks=2)[0] == pytest.approx(np.mean(read))
