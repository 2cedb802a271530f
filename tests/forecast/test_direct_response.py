"""A direct-response advertiser: spots every day of the history, calls per minute.

There is no stretch of history without the campaign, so the baseline cannot be fitted
away from it: fitted on the raw calls it holds the average response already, and the
response added on top counted it twice (15-minute WAPE 1.5x that of the true mean).
The generator is written apart from `forecast.synthetic`: a US zone, a line open
06:00-24:00, a level that wanders day to day, a gamma-shaped response that peaks after
the airing, one channel with no response, negative binomial counts.
"""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from forecast import CallForecaster
from forecast.metrics import coverage, wape

STRENGTH = {"News 24": 40.0, "Sport One": 25.0, "Living": 10.0, "Garden": 0.0}


def generate(seed: int, days: int = 35):
    rng = np.random.default_rng(seed)
    idx = pd.date_range("2025-04-07", periods=days * 1440, freq="1min", tz="America/New_York",
                        name="interval_start")
    hour = (idx.hour + idx.minute / 60).to_numpy()
    shape = np.clip(np.sin(np.pi * (hour - 6) / 18), 0, None) ** 1.2 * (hour >= 6)
    day_factor = np.array([1.2, 1.1, 1.0, 1.0, 0.95, 0.7, 0.6])[idx.day_of_week.to_numpy()]
    day_no = (idx.normalize() - idx[0].normalize()).days.to_numpy()
    level = np.exp(np.cumsum(rng.normal(0, 0.03, days)))[day_no]
    base = day_factor * shape * level
    rows = []
    for d in range(days):
        midnight = idx[0].normalize() + pd.Timedelta(days=d)
        for _ in range(rng.poisson(12)):
            at = midnight + pd.Timedelta(minutes=int(rng.uniform(7 * 60, 23.5 * 60)))
            rows.append((at, str(rng.choice(list(STRENGTH))),
                         float(np.round(rng.gamma(1.5, 0.6), 2)) + 0.01))
    spots = pd.DataFrame(rows, columns=["start", "channel", "grp"]).sort_values(
        "start", ignore_index=True)
    t_min = idx.as_unit("s").asi8 / 60.0
    fast = np.zeros(len(idx))
    aired = pd.DatetimeIndex(spots["start"]).as_unit("s").asi8 / 60.0
    for s, channel, grp in zip(aired, spots["channel"], spots["grp"], strict=True):
        lo, hi = np.searchsorted(t_min, s), np.searchsorted(t_min, s + 60)
        edges = np.r_[t_min[lo:hi], t_min[hi - 1] + 1] - s
        fast[lo:hi] += STRENGTH[channel] * grp * np.diff(stats.gamma.cdf(edges, 2, scale=2.0))
    mean = base + fast
    calls = rng.negative_binomial(10, 10 / (10 + mean))
    return pd.DataFrame({"calls": calls}, index=idx), spots, mean


@pytest.mark.parametrize("seed", [1, 2])
def test_spots_on_every_day_of_the_history(seed):
    history, spots, mean = generate(seed)
    cut = history.index[0] + pd.Timedelta(days=28)
    model = CallForecaster().fit(history[history.index < cut], spots[spots["start"] < cut])
    assert model.diagnostics_["baseline_days_without_campaign"] <= 1
    future = history.index[history.index >= cut]
    quarter = pd.date_range(cut, future[-1], freq="15min")
    fc = model.predict(quarter, spots[spots["start"] >= cut], quantiles=(0.1, 0.9))
    actual = history["calls"].resample("15min").sum().reindex(quarter).to_numpy()
    truth = pd.Series(mean, index=history.index).resample("15min").sum().reindex(quarter)
    assert wape(actual, fc["mean"].to_numpy()) <= 1.12 * wape(actual, truth.to_numpy())
    blind = model.predict(quarter, None)["mean"].to_numpy()
    assert wape(actual, fc["mean"].to_numpy()) < 0.7 * wape(actual, blind)
    for channel in ("News 24", "Sport One", "Living"):
        assert model.response.calls_per_grp[channel] == pytest.approx(STRENGTH[channel], rel=0.2)
    assert not model.effect_summary().loc["Garden", "significant"]
    open_ = truth.to_numpy() > 1
    band = coverage(actual[open_], fc["p10"].to_numpy()[open_], fc["p90"].to_numpy()[open_])
    assert 0.74 <= band <= 0.88
