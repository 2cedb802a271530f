"""The baseline: level, yearly factor, profiles, calendar, persistence and speed."""

import datetime as dt
import time
from dataclasses import replace
from pathlib import Path

import holidays as holidays_lib
import numpy as np
import pandas as pd
import pytest

from forecast.baseline import HOLIDAY, BaselineConfig, BaselineFit, _calendar, fit_baseline
from forecast.benchmarks import last_year_scaled
from forecast.metrics import mape, wape

DATA = Path(__file__).parents[2] / ".." / "shared" / "data" / "us_bank_calls_5min_2003.csv"


def daily_line(*, days: int, yearly: bool, seed: int, start: str = "2019-01-07") -> pd.Series:
    """Daily calls: weekly pattern, optional yearly shape, a wandering level, AR(1) day effects."""
    rng = np.random.default_rng(seed)
    index = pd.date_range(start, periods=days, freq="D")
    t = 2 * np.pi * index.day_of_year.to_numpy() / 365.25
    season = np.exp(0.25 * np.cos(t - 0.3) + 0.1 * np.sin(2 * t)) if yearly else 1.0
    week = np.array([1.15, 1.05, 1.0, 1.0, 0.95, 0.55, 0.3])[index.day_of_week]
    walk = np.exp(np.cumsum(rng.normal(0, 0.004, days)))
    ar = np.zeros(days)
    for i in range(1, days):
        ar[i] = 0.6 * ar[i - 1] + rng.normal(0, 0.04)
    mean = 2000 * season * week * walk * np.exp(ar)
    return pd.Series(rng.negative_binomial(400, 400 / (400 + mean)).astype(float), index=index)


def quarter_ahead(series: pd.Series, config: BaselineConfig | None = None):
    cut = series.index[-91]
    history, future = series[series.index < cut], series[series.index >= cut]
    fit = fit_baseline(history, frozenset(), config=config)
    return fit, history, future, fit.expected(future.index, frozenset())


@pytest.mark.parametrize("seed", [0, 1])
def test_yearly_season_is_kept_and_beats_last_year_scaled(seed):
    series = daily_line(days=3 * 365 + 91, yearly=True, seed=seed)
    fit, history, future, ours = quarter_ahead(series)
    assert fit.info["yearly"]["kept"] and len(fit.yearly_coef) >= 2
    benchmark = last_year_scaled(history, future.index, future.index[0])
    assert wape(future, ours) < wape(future, benchmark)
    flat = quarter_ahead(series, BaselineConfig(yearly=False))[3]
    assert wape(future, ours) < 0.7 * wape(future, flat)


@pytest.mark.parametrize("seed", [0, 1, 4])
def test_no_yearly_season_is_not_kept(seed):
    series = daily_line(days=3 * 365 + 91, yearly=False, seed=seed)
    fit = quarter_ahead(series)[0]
    assert not fit.info["yearly"]["kept"] and fit.yearly_coef == ()


def test_under_a_year_has_no_yearly_terms():
    fit = fit_baseline(daily_line(days=300, yearly=True, seed=2), frozenset())
    assert fit.yearly_coef == () and fit.info["yearly"] == {"harmonics": 0, "kept": False}


def test_busy_day_lifts_the_next_days_then_fades():
    rng = np.random.default_rng(3)
    index = pd.date_range("2024-01-01", periods=120, freq="D")
    ar = np.zeros(120)
    for i in range(1, 120):
        ar[i] = 0.8 * ar[i - 1] + rng.normal(0, 0.05)
    ar[-1] = 0.2  # the last day was busy
    calls = pd.Series(rng.poisson(5000 * np.exp(ar)).astype(float), index=index)
    fit = fit_baseline(calls, frozenset())
    future = pd.date_range(index[-1] + pd.Timedelta(days=1), periods=30, freq="D")
    lift = fit.expected(future, frozenset()) / fit.day_factor[future.day_of_week] / fit.level
    assert fit.level_phi_per_day > 0.4
    assert lift[0] > lift[3] > lift[-1] > 1.0
    assert lift[-1] == pytest.approx(1.0, abs=0.01)


def five_minute_days(days: int, seed: int = 0, tz: str | None = None) -> pd.Series:
    rng = np.random.default_rng(seed)
    index = pd.date_range("2024-09-02", periods=days * 288, freq="5min", tz=tz)
    hours = (index.hour + index.minute / 60).to_numpy()
    shape = np.where((hours >= 8) & (hours < 20), 1 + np.exp(-0.5 * ((hours - 11) / 1.5) ** 2), 0)
    # Mondays peak later, so that their own profile is worth having
    shape = np.where(index.day_of_week == 0, np.roll(shape, 24), shape)
    return pd.Series(rng.poisson(2.0 * shape).astype(float), index=index)


def test_weekday_profiles_and_an_evening_outage():
    calls = five_minute_days(70)
    clean = fit_baseline(calls, frozenset())
    odd = calls.copy()
    day = odd.index[-3 * 288:-2 * 288]
    odd[day[(day.hour >= 17)]] = 0.0  # the line went down at 17:00 three days ago
    bent = fit_baseline(odd, frozenset())
    evening = slice(17 * 12, 20 * 12)
    kind = day[0].day_of_week
    assert bent.profile[kind, evening].sum() == pytest.approx(
        clean.profile[kind, evening].sum(), rel=0.03)
    monday, tuesday = clean.profile[0], clean.profile[1]
    assert np.argmax(monday) > np.argmax(tuesday) + 12
    assert clean.expected(calls.index[:288], frozenset())[:8 * 12].sum() == 0.0  # closed at night


def test_interval_dispersion_shrinks_to_zero_for_whole_days():
    fit = fit_baseline(five_minute_days(42), frozenset())
    alpha = fit.interval_dispersion(np.array([300.0, 1800.0, 86400.0]))
    # A Poisson line: next to no scatter beyond the counts' own (measured against profiles
    # fitted without each day, which carry their own error), and none for a whole day.
    assert 0 <= alpha[0] < 0.01 and 0 <= alpha[1] < 0.01 and alpha[2] == 0


def test_calendar_matches_pandas_across_dst_and_holidays():
    index = pd.date_range("2024-03-30", "2024-04-02", freq="30min", tz="Europe/Rome")
    holidays = {dt.date(2024, 4, 1)}
    day, types, slots = _calendar(index, holidays, 1800.0)
    local = index.tz_localize(None)
    assert (day - day[0] == (local.normalize() - local.normalize()[0]).days).all()
    expected = np.where(index.date == dt.date(2024, 4, 1), HOLIDAY, index.day_of_week)
    assert (types == expected).all()
    assert (slots == local.hour * 2 + local.minute // 30).all()


def test_a_25_hour_day_does_not_set_the_bar_for_whole_days():
    calls = five_minute_days(42, tz="Europe/Rome").reindex(
        pd.date_range("2024-09-02", "2024-10-13 23:55", freq="5min", tz="Europe/Rome"))
    fit = fit_baseline(calls.fillna(0.0), frozenset())
    assert fit.info["profile_prior_days"] >= 0 and np.isfinite(fit.profile[6]).all()
    sundays = fit_baseline(calls.fillna(0.0), frozenset(), config=BaselineConfig(
        profile_half_life_days=28.0, profile_prior_days=0.0, profile_smooth_min=0.0))
    # with one Sunday (the 25-hour one) as the only whole Sunday its profile would be noisy
    assert np.abs(np.diff(sundays.profile[6][8 * 12:20 * 12])).max() < 0.01


def test_serialisation_round_trip_and_old_files():
    calls = five_minute_days(28)
    fit = fit_baseline(calls, frozenset())
    again = BaselineFit.from_dict(fit.to_dict(), fit.config)
    future = pd.date_range(calls.index[-1] + pd.Timedelta(minutes=5), periods=3 * 288, freq="5min")
    np.testing.assert_allclose(again.expected(future, frozenset()), fit.expected(future, frozenset()))
    old = {k: v for k, v in fit.to_dict().items() if k in (
        "interval_s", "level", "day_factor", "profile", "dispersion", "level_rel_sd", "slot_s")}
    legacy = BaselineFit.from_dict(old, BaselineConfig(level_half_life_days=10.0))
    flat = legacy.expected(future, frozenset()).reshape(3, 288).sum(axis=1)
    assert flat == pytest.approx(fit.level * fit.day_factor[future[::288].day_of_week], rel=1e-9)
    assert legacy.level_rel_var(np.array([1.0]))[0] == pytest.approx(fit.level_rel_sd ** 2)


@pytest.mark.parametrize("field, value", [("level_half_life_days", 0.0),
                                          ("profile_prior_days", -1.0),
                                          ("level_phi_per_day", 1.0), ("yearly", "auto")])
def test_bad_settings_name_the_field(field, value):
    with pytest.raises(ValueError, match=field):
        BaselineConfig(**{field: value})


def test_bad_weight_is_refused():
    calls = five_minute_days(7)
    with pytest.raises(ValueError, match="weight"):
        fit_baseline(calls, frozenset(), weight=np.ones(10))


@pytest.mark.slow
def test_three_years_at_five_minutes_fit_in_seconds():
    rng = np.random.default_rng(0)
    index = pd.date_range("2021-01-04", periods=3 * 365 * 288, freq="5min", tz="Europe/Rome")
    hours = (index.hour + index.minute / 60).to_numpy()
    calls = pd.Series(rng.poisson(3 * (0.2 + np.exp(-0.5 * ((hours - 11) / 2.5) ** 2))).astype(float),
                      index=index)
    start = time.perf_counter()
    fit_baseline(calls, frozenset())
    assert time.perf_counter() - start < 10.0  # about 0.4 s on an idle laptop core


@pytest.mark.skipif(not DATA.exists(), reason=f"shared data not found at {DATA}")
def test_bank_one_day_ahead_at_30_minutes():
    frame = pd.read_csv(DATA, parse_dates=["interval_start"]).set_index("interval_start")
    index = frame.index.tz_localize("America/New_York")
    full = pd.date_range(index[0], index[-1], freq="5min")
    calls = pd.Series(frame["calls"].to_numpy(float), index=index).reindex(full)
    days = calls.index.normalize()
    targets = calls.groupby(days).sum(min_count=1).dropna().index[-20:]
    holidays = frozenset(holidays_lib.country_holidays("US", years=2003))
    actual, forecast = [], []
    for target in targets:
        fit = fit_baseline(calls[calls.index < target], holidays)
        grid = pd.date_range(target + pd.Timedelta(hours=7), periods=28 * 6, freq="5min")
        actual.append(calls.reindex(grid).to_numpy().reshape(28, 6).sum(axis=1))
        forecast.append(fit.expected(grid, holidays).reshape(28, 6).sum(axis=1))
    # the four-week same-weekday average scores 0.073, the previous baseline 0.072
    assert mape(np.concatenate(actual), np.concatenate(forecast)) < 0.068


def test_holidays_on_closed_weekdays_do_not_close_weekday_holidays():
    """Sunday holidays of a line closed on Sundays say nothing about Christmas on a Wednesday."""
    from forecast.model import CallForecaster
    from forecast.synthetic import make_campaign

    sc = make_campaign(days=343, interval_min=60, campaign_from_day=343, seed=4)  # to 15 Dec
    model = CallForecaster().fit(sc.history)
    idx = pd.date_range("2024-12-23", "2024-12-28", freq="D", tz="Europe/Rome")
    daily = model.predict(idx)["mean"]
    # 25-26 December are open like Easter Monday was, not closed like the Sunday holidays
    assert (daily.iloc[2:4] > 0.5 * daily.iloc[:2].mean()).all()


def test_count_noise_is_not_counted_twice_in_the_level_error():
    """A steady line of 400 calls a day: its days stray by count noise alone (5 %).

    The forecast's variance adds that noise itself, so the level's own error must not.
    """
    rng = np.random.default_rng(7)
    index = pd.date_range("2024-01-01", periods=120, freq="D")
    fit = fit_baseline(pd.Series(rng.poisson(400, index.size).astype(float), index=index),
                       frozenset(), config=BaselineConfig(yearly=False))
    assert fit.level_rel_sd < 0.6 * np.sqrt(1 / 400)


def _mornings_stray(seed: int) -> pd.DataFrame:
    """A 5-minute line whose mornings (08-11) stray 25 % hour by hour, afternoons 3 %."""
    rng = np.random.default_rng(seed)
    idx = pd.date_range("2024-01-01", periods=70 * 288, freq="5min", tz="Europe/Rome")
    idx = idx[(idx.hour >= 8) & (idx.hour < 20)]
    day = (idx.normalize() - idx[0].normalize()).days.to_numpy()
    hour = idx.hour.to_numpy()
    wobble = np.exp(rng.normal(0, 1, (70, 24))[day, hour] * np.where(hour < 11, 0.25, 0.03))
    return pd.DataFrame({"calls": rng.poisson(30.0 * wobble).astype(float)}, index=idx)


def test_the_bands_follow_how_much_each_hour_strays():
    from forecast import CallForecaster

    shaped_cover, flat_cover = [], []
    for seed in (0, 1):
        calls = _mornings_stray(seed)
        cut = calls.index[0] + pd.Timedelta(days=56)
        model = CallForecaster().fit(calls[calls.index < cut])
        shape = np.asarray(model.baseline_.dispersion_shape)
        slot = (calls.index[:144].hour * 12 + calls.index[:144].minute // 5).to_numpy()
        assert shape[slot[:36]].min() > 2 * shape[slot[48:]].max()  # 08-11 against 12-20
        actual = calls[calls.index >= cut]["calls"].resample("30min").sum(min_count=1).dropna()
        index = pd.date_range(cut, actual.index[-1] + pd.Timedelta("30min"), freq="30min",
                              inclusive="left")
        morning = actual.index.hour < 11
        for cover, fit in ((shaped_cover, model.baseline_),
                           (flat_cover, replace(model.baseline_, dispersion_shape=()))):
            model.baseline_ = fit
            band = model.predict(index).reindex(actual.index)
            inside = (actual >= band["p10"]) & (actual <= band["p90"])
            cover.append((inside[morning].mean(), inside[~morning].mean()))
    shaped, flat = np.mean(shaped_cover, axis=0), np.mean(flat_cover, axis=0)
    # One scatter for all hours: mornings covered about half, afternoons nearly all.
    assert flat[0] < 0.6 and flat[1] > 0.95
    assert shaped[0] > flat[0] + 0.15 and shaped[1] < flat[1]
