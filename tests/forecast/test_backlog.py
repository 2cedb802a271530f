"""The first open day after a closure: its backlog is learned when the history shows it."""

import holidays as public
import numpy as np
import pandas as pd
import pytest

from forecast import CallForecaster
from forecast.backlog import after_closure, fit_after_closure
from forecast.model_schema import check_baseline

ZONE = "America/New_York"


def weekday_line(*, backlog: float, seed: int, days: int = 400) -> pd.Series:
    """Hourly calls 8-18 h on weekdays, closed on US holidays, busier the day after one."""
    rng = np.random.default_rng(seed)
    dates = pd.date_range("2022-01-03", periods=days, freq="D")
    closed = {d for d in dates if d.date() in public.US(years=range(2022, 2024))}
    level = 2000 * np.exp(np.cumsum(rng.normal(0, 0.01, days)))
    rows, shut_before = {}, False
    for d, lev in zip(dates, level, strict=True):
        if d.day_of_week >= 5:
            continue
        if d in closed:
            shut_before = True
            continue
        mean = lev * (1.2 if d.day_of_week == 0 else 1.0) * (1 + backlog * shut_before)
        mean *= np.exp(rng.normal(0, 0.04))
        shut_before = False
        hours = pd.date_range(d + pd.Timedelta(hours=8), periods=10, freq="h")
        shape = np.array([6, 10, 12, 11, 9, 9, 11, 12, 11, 9], float)
        for h, c in zip(hours, rng.poisson(mean * shape / shape.sum()), strict=True):
            rows[h] = float(c)
    series = pd.Series(rows, name="calls")
    series.index = series.index.tz_localize(ZONE)
    return series


def test_days_after_a_closure_are_the_first_working_days():
    monday = 19723  # 2024-01-01, a Monday
    days = np.arange(monday, monday + 14)
    flags = after_closure(days, (0, 1, 2, 3, 4), np.array([monday, monday + 4]))
    # Tuesday after the closed Monday; Monday after the closed Friday, over the weekend.
    assert days[flags].tolist() == [monday + 1, monday + 7]
    assert not after_closure(days, (0, 1, 2, 3, 4), np.array([], np.int64)).any()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_backlog_is_learned_and_forecast_after_a_future_holiday(seed):
    line = weekday_line(backlog=0.3, seed=seed)
    history = line[line.index < "2023-01-17"].to_frame()  # the day after MLK Day is ahead
    model = CallForecaster().fit(history)
    found = model.baseline_.info["after_closure"]
    assert found["kept"] and 0.2 <= found["factor"] <= 0.4, found
    assert found["days"] >= 8  # a year of US holidays
    # Tuesday after Martin Luther King Day against the Wednesday after it
    tuesday = pd.date_range("2023-01-17 08:00", periods=10, freq="h", tz=ZONE)
    wednesday = tuesday + pd.Timedelta(days=1)
    ratio = model.predict(tuesday)["mean"].sum() / model.predict(wednesday)["mean"].sum()
    assert 1.2 <= ratio <= 1.4
    actual = line[tuesday].sum()
    assert abs(model.predict(tuesday)["mean"].sum() / actual - 1) < 0.12


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_no_backlog_where_there_is_none(seed):
    line = weekday_line(backlog=0.0, seed=seed)
    model = CallForecaster().fit(line.to_frame())
    assert not model.baseline_.info["after_closure"]["kept"]
    assert model.baseline_.after_closure == 0.0


def test_one_closure_is_no_pattern():
    e = np.r_[np.random.default_rng(5).normal(0, 0.05, 100), 0.4]
    assert not fit_after_closure(e, np.arange(101) == 100)["kept"]


def test_the_backlog_survives_saving(tmp_path):
    line = weekday_line(backlog=0.3, seed=1)
    model = CallForecaster().fit(line[line.index < "2023-01-17"].to_frame())
    model.save(tmp_path / "m.json")
    again = CallForecaster.load(tmp_path / "m.json")
    tuesday = pd.date_range("2023-01-17 08:00", periods=10, freq="h", tz=ZONE)
    pd.testing.assert_frame_equal(model.predict(tuesday), again.predict(tuesday))


@pytest.mark.parametrize(("field", "value", "allowed"), [
    ("closed_days", ["2023-01-16"], "a whole number of days"),
    ("closed_days", [None], "a whole number of days since 1970-01-01,"),
    ("last_day", 19373.5, "a whole number of days since 1970-01-01 or null"),
    ("open_weekdays", [7], "a whole number from 0 to 6"),
    ("after_closure", -1.5, "a finite number > -1"),
])
def test_bad_backlog_fields_are_named(field, value, allowed):
    line = weekday_line(backlog=0.0, seed=1, days=60)
    data = CallForecaster().fit(line.to_frame()).to_dict()["baseline"]
    data[field] = value
    with pytest.raises(ValueError, match=f"baseline.{field}.* must be {allowed}"):
        check_baseline(data)


def test_a_holiday_unlogged_last_year_is_closed_again():
    line = weekday_line(backlog=0.0, seed=2)
    history = line[line.index < "2023-01-16"].to_frame()
    mlk = pd.date_range("2023-01-16 08:00", periods=10, freq="h", tz=ZONE)
    model = CallForecaster().fit(history)
    assert "Martin Luther King Jr. Day" in model.calendar_.closed_holidays
    assert model.predict(mlk)["mean"].sum() == 0
    opened = CallForecaster(holidays_closed=False).fit(history)
    assert opened.predict(mlk)["mean"].sum() > 1000
