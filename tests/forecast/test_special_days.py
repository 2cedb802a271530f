"""Dates around fixed-date holidays that run off their weekday every year."""

import holidays as public
import numpy as np
import pandas as pd
import pytest

from forecast import CallForecaster, baseline
from forecast.model_schema import check_baseline
from forecast.special_days import candidates, describe, fit_special_days

ZONE = "America/New_York"
EFFECTS = {"12-24": 0.6, "12-27": 1.15, "12-28": 1.15, "12-29": 1.15, "12-30": 1.15,
           "07-03": 0.8}


def daily_line(*, effects: bool, seed: int, years: int = 4) -> pd.DataFrame:
    """Daily calls of a seven-day line closed on US holidays, with or without the dates above."""
    rng = np.random.default_rng(seed)
    index = pd.date_range("2019-01-01", f"{2018 + years}-12-31", freq="D", tz=ZONE,
                          name="interval_start")
    week = np.array([1.2, 1.05, 1.0, 1.0, 0.95, 0.7, 0.5])[index.day_of_week]
    ar = np.zeros(index.size)
    for i in range(1, index.size):
        ar[i] = 0.5 * ar[i - 1] + rng.normal(0, 0.03)
    mean = 3000 * week * np.exp(np.cumsum(rng.normal(0, 0.004, index.size)) + ar)
    if effects:
        dates = index.strftime("%m-%d")
        for md, factor in EFFECTS.items():
            mean = np.where(dates == md, mean * factor, mean)
    closed = public.US(years=range(2019, 2019 + years))
    mean = np.where([d.date() in closed for d in index], 0.0, mean)
    calls = rng.negative_binomial(500, 500 / (500 + mean + 1e-12)).astype(float)
    return pd.DataFrame({"calls": calls}, index=index)


def fit_before(frame: pd.DataFrame, cut: str) -> tuple[CallForecaster, pd.DataFrame]:
    cut = pd.Timestamp(cut, tz=ZONE)
    return CallForecaster().fit(frame[frame.index < cut]), frame[frame.index >= cut]


@pytest.mark.parametrize("seed", [0, 1])
def test_christmas_eve_and_the_week_after_are_learned_and_forecast(seed, monkeypatch):
    frame = daily_line(effects=True, seed=seed)
    model, future = fit_before(frame, "2022-12-01")
    found = model.baseline_.info["special_days"]["factors"]
    assert found["12-24"] == pytest.approx(np.log(0.6), abs=0.1)
    # +15 % over three years of days: most of the four dates clear the family-wise bar
    assert len({"12-27", "12-28", "12-29", "12-30"} & set(found)) >= 3
    assert set(found) <= set(EFFECTS)
    assert model.diagnostics_["special_days"]["factors"] == found
    # Forecast a year on: against the same weekday a week before, as the line behaves
    days = pd.date_range("2022-12-17", "2022-12-28", freq="D", tz=ZONE, name="interval_start")

    def ratios(m):
        mean = m.predict(days)["mean"]
        return (mean.iloc[7] / mean.iloc[0],  # Saturdays 24 and 17 December
                mean.iloc[11] / mean.iloc[4])  # Wednesdays 28 and 21 December

    eve, after = ratios(model)
    assert eve == pytest.approx(0.6, abs=0.08)
    assert after == pytest.approx(1.15, abs=0.06)
    # without special dates both are ordinary days of their weekday
    monkeypatch.setattr(baseline, "candidates", lambda *args: ())
    plain, _ = fit_before(frame, "2022-12-01")
    assert ratios(plain) == pytest.approx((1.0, 1.0), abs=0.01)


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_no_special_date_where_there_is_none(seed):
    model, _ = fit_before(daily_line(effects=False, seed=seed), "2022-12-01")
    fit = model.baseline_.info["special_days"]
    assert fit["tested"] > 20 and fit["factors"] == {}
    assert describe(fit).endswith(f"no date stands out ({fit['tested']} dates tested)")


def test_a_single_year_has_no_candidates():
    model, _ = fit_before(daily_line(effects=True, seed=0, years=1), "2019-12-01")
    assert model.baseline_.special_days == ()
    assert candidates(set(), 0, 10) == ()


def test_special_dates_survive_saving(tmp_path):
    model, future = fit_before(daily_line(effects=True, seed=0), "2022-12-01")
    model.save(tmp_path / "m.json")
    again = CallForecaster.load(tmp_path / "m.json")
    assert again.baseline_.special_days == model.baseline_.special_days != ()
    pd.testing.assert_frame_equal(model.predict(future.index), again.predict(future.index))


@pytest.mark.parametrize(("value", "allowed"), [
    ([["12-32", -0.2]], 'a pair \\["MM-DD", log factor\\]'),
    ([["1224", -0.2]], 'a pair \\["MM-DD", log factor\\]'),
    ([["12-24", 9.0]], "a finite number >= -3 and < 3"),
    ("12-24", "a list"),
])
def test_bad_special_dates_are_named(value, allowed):
    model, _ = fit_before(daily_line(effects=False, seed=0, years=1), "2019-03-01")
    data = model.to_dict()["baseline"]
    data["special_days"] = value
    with pytest.raises(ValueError, match=f"baseline.special_days.* must be {allowed}"):
        check_baseline(data)


def test_one_odd_year_is_not_a_yearly_date():
    """An outage at half volume on 5 December of one year of three: not kept."""
    rng = np.random.default_rng(0)
    errors = rng.normal(0.0, 0.03, 1000)
    keys = np.full(1000, -1)
    keys[[100, 465, 830]] = 0
    errors[100] = np.log(0.5)
    assert fit_special_days(errors, keys, ("12-05",))["factors"] == {}
    errors[[465, 830]] = np.log(0.6)  # every year: kept
    assert set(fit_special_days(errors, keys, ("12-05",))["factors"]) == {"12-05"}
