"""The level carries a line's yearly growth ahead, when it forecasts better out of sample."""

import numpy as np
import pandas as pd
import pytest

from forecast import CallForecaster
from forecast.baseline import BaselineConfig, fit_baseline
from forecast.growth import describe
from forecast.metrics import bias, wape
from forecast.model_schema import check_baseline

from .test_baseline import daily_line


def growing(seed: int, per_year: float, days: int = 4 * 365) -> pd.Series:
    series = daily_line(days=days, yearly=True, seed=seed)
    return (series * np.exp(per_year * np.arange(days) / 365.25)).round()


def quarter_ahead(series: pd.Series, **config):
    cut = series.index[-91]
    history, future = series[series.index < cut], series[series.index >= cut]
    fit = fit_baseline(history, frozenset(), config=BaselineConfig(**config))
    return fit, future, fit.expected(future.index, frozenset())


def test_a_line_growing_30_percent_a_year_is_forecast_with_its_growth():
    runs = [quarter_ahead(growing(seed, 0.3)) for seed in range(4)]
    flat = [quarter_ahead(growing(seed, 0.3), growth=False)[2] for seed in range(4)]
    kept = [fit.info["growth"]["kept"] for fit, _, _ in runs]
    assert sum(kept) >= 2  # a t-test over ten quarters: not every seed passes
    for fit, _, _ in runs:
        if fit.info["growth"]["kept"]:
            assert 0.15 < fit.info["growth"]["per_year"] < 0.6  # the walk adds its own
            assert fit.level_drift_per_day == pytest.approx(np.log1p(fit.info["growth"]["per_year"]) / 365)
    future = pd.concat([f for _, f, _ in runs])
    ours = np.concatenate([p for _, _, p in runs])
    without = np.concatenate(flat)
    assert wape(future, ours) < 0.9 * wape(future, without)
    assert abs(bias(future, ours)) < 0.5 * abs(bias(future, without))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_no_growth_is_not_carried(seed):
    fit = quarter_ahead(growing(seed, 0.0))[0]
    assert not fit.info["growth"]["kept"] and fit.level_drift_per_day == 0.0
    assert "wape_with_growth" in fit.info["growth"]  # it was checked, and did not help


def test_under_a_year_and_a_quarter_there_is_nothing_to_check():
    fit = quarter_ahead(growing(3, 0.3, days=400))[0]
    assert fit.info["growth"] == {"kept": False, "check": "too short to check a growth out of "
                                  "sample", "per_year": 0.0}
    assert describe(fit.info["growth"]).startswith("Growth: none carried ahead")


@pytest.fixture(scope="module")
def grown():
    """A forecaster fitted on four years of a line growing 30 % a year, whose growth is kept."""
    series = growing(0, 0.3).tz_localize("America/Chicago")
    cut = series.index[-91]
    model = CallForecaster().fit(series[series.index < cut].to_frame("calls"))
    assert model.diagnostics_["growth"]["kept"]
    return model, series.index[series.index >= cut]


def test_the_growth_survives_saving(grown, tmp_path):
    model, future = grown
    model.save(tmp_path / "m.json")
    again = CallForecaster.load(tmp_path / "m.json")
    assert again.baseline_.level_drift_per_day == model.baseline_.level_drift_per_day > 0
    pd.testing.assert_frame_equal(model.predict(future), again.predict(future))


@pytest.mark.parametrize("value", [0.01, -0.01, "0.001", None])
def test_a_bad_saved_growth_is_named(grown, value):
    data = grown[0].to_dict()["baseline"]
    data["level_drift_per_day"] = value
    with pytest.raises(ValueError, match="baseline.level_drift_per_day must be"):
        check_baseline(data)
