"""Bands far ahead: widened to what rolling-origin windows of the history measured."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from forecast import daily
from forecast.baseline import fit_baseline
from forecast.daily_checks import BAND_HORIZON_DAYS, _widen
from forecast.level import LevelFit
from forecast.metrics import coverage

Z80 = stats.norm.isf(0.1)
LEVEL = LevelFit(0.0, 0.0, 14.0, 0.5, ((1, 0.010), (14, 0.012), (28, 0.013), (56, 0.014)))


def errors(scale_by_window: dict) -> tuple[np.ndarray, np.ndarray]:
    """Standardised errors whose 80 % quantile of |z| is ``scale * 1.28`` per window of days."""
    ahead, z = [], []
    for (lo, hi), scale in scale_by_window.items():
        days = np.arange(lo, hi + 1)
        ahead.append(np.tile(days, 5))
        # uniform |z| on [0, s]: its 80 % quantile is 0.8 s
        z.append(np.linspace(0, scale * Z80 / 0.8, days.size * 5))
    return np.concatenate(ahead), np.concatenate(z)


def test_far_horizons_are_widened_by_the_measured_ratio():
    far = errors({(15, 28): 1.5, (29, 56): 0.8})
    widened, note = _widen(LEVEL, 1.0, far)
    var = dict(widened.var_by_days)
    assert var[1] == 0.010 and var[14] == 0.012  # two weeks: the short check's business
    assert var[28] == pytest.approx(0.013 * 1.5 ** 2, rel=1e-3)
    # 0.8 there: never narrowed, and a level's error does not shrink further ahead
    assert var[56] == pytest.approx(var[28])
    assert "28 days ahead 1.50" in note and "56 days ahead 0.80" in note


def test_the_short_scale_applies_at_every_horizon_and_no_errors_change_nothing_else():
    var = dict(_widen(LEVEL, 1.2, None)[0].var_by_days)
    assert var == pytest.approx({h: v * 1.44 for h, v in LEVEL.var_by_days})
    assert BAND_HORIZON_DAYS == 14


def drifting_seasonal_line(seed: int) -> pd.Series:
    """Daily calls over 3.5 years: weekly and yearly shape, a growing random-walk level."""
    rng = np.random.default_rng(seed)
    index = pd.date_range("2019-01-07", periods=3 * 365 + 182, freq="D")
    t = 2 * np.pi * index.day_of_year.to_numpy() / 365.25
    season = np.exp(0.3 * np.cos(t - 0.5) + 0.1 * np.sin(2 * t))
    week = np.array([1.2, 1.05, 1.0, 1.0, 0.95, 0.5, 0.25])[index.day_of_week]
    walk = np.exp(np.cumsum(rng.normal(0.0003, 0.006, index.size)))
    ar = np.zeros(index.size)
    for i in range(1, index.size):
        ar[i] = 0.6 * ar[i - 1] + rng.normal(0, 0.05)
    mean = 1500 * season * week * walk * np.exp(ar)
    return pd.Series(rng.negative_binomial(200, 200 / (200 + mean)).astype(float), index=index)


def quarter_coverage(fit, history: pd.Series, future: pd.Series) -> float:
    mean = fit.expected(future.index, frozenset())
    sd = np.sqrt(fit.level_rel_var_at(future.index, history.index[-1]) * mean ** 2 + mean)
    return coverage(future, mean - Z80 * sd, mean + Z80 * sd)


@pytest.mark.slow
def test_a_quarter_ahead_the_band_holds_about_80_percent(monkeypatch):
    cases = []
    for seed in range(3):
        series = drifting_seasonal_line(seed)
        for back in (91, 182):
            cut = series.index[-back]
            cases.append((series[series.index < cut], series[series.index >= cut][:91]))
    inside = []
    for history, future in cases:
        fit = fit_baseline(history, frozenset())
        assert "91 days ahead" in fit.info["far_band_check"]
        inside.append(quarter_coverage(fit, history, future))
    # the same fits with the in-sample growth of the level's error alone
    monkeypatch.setattr(daily, "_widen", lambda level, scale, far: _widen(level, scale, None))
    in_sample = [quarter_coverage(fit_baseline(h, frozenset()), h, f) for h, f in cases]
    assert 0.72 <= np.mean(inside) <= 0.88
    assert np.mean(inside) > np.mean(in_sample) + 0.01
