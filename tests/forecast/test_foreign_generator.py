"""A campaign from a generator that is not the project's: the model must still come close.

Its choices differ from `forecast.synthetic` on purpose: a US zone, a gamma-shaped fast
response that peaks a minute or two after the airing, a carry-over that adds the same
calls every open day (not proportional to the weekday), two creatives in one break,
negative binomial counts.
"""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from forecast import CallForecaster
from forecast.metrics import wape


def generate(seed: int, days: int = 56, step_min: int = 5, tz: str = "America/Chicago"):
    rng = np.random.default_rng(seed)
    idx = pd.date_range("2025-03-03", periods=days * 1440 // step_min, freq=f"{step_min}min",
                        tz=tz, name="interval_start")
    hour = (idx.hour + idx.minute / 60).to_numpy()
    shape = np.clip(np.sin(np.pi * (hour - 7) / 14), 0, None) ** 1.5 * ((hour >= 7) & (hour < 21))
    day_factor = np.array([1.3, 1.1, 1.0, 1.0, 0.9, 0.45, 0.0])[idx.day_of_week.to_numpy()]
    base = 12.0 * day_factor * shape
    rows = []
    for d in range(28, days):
        midnight = idx[0].normalize() + pd.Timedelta(days=d)
        for _ in range(rng.poisson(6)):
            at = midnight + pd.Timedelta(minutes=rng.uniform(8 * 60, 20 * 60))
            channel = str(rng.choice(["Alpha TV", "Beta"]))
            rows.append((at, channel, float(np.round(rng.gamma(2, 2.5), 1))))
            if rng.random() < 0.2:  # a second creative in the same break
                rows.append((at, channel, float(np.round(rng.gamma(2, 1), 1))))
    spots = pd.DataFrame(rows, columns=["start", "channel", "grp"]).sort_values("start",
                                                                                ignore_index=True)
    t_min = idx.as_unit("s").asi8 / 60.0
    aired = pd.DatetimeIndex(spots["start"]).as_unit("s").asi8 / 60.0
    strength = {"Alpha TV": 8.0, "Beta": 3.0}
    fast, stock = np.zeros(len(idx)), np.zeros(len(idx))
    for s, channel, grp in zip(aired, spots["channel"], spots["grp"], strict=True):
        lo, hi = np.searchsorted(t_min, s - step_min), np.searchsorted(t_min, s + 120)
        edges = np.r_[t_min[lo:hi], t_min[hi - 1] + step_min] - s
        share = np.diff(stats.gamma.cdf(np.clip(edges, 0, None), 2, scale=1.5))
        fast[lo:hi] += strength[channel] * grp * share * (base[lo:hi] > 0)
        after = t_min >= s
        stock[after] += grp * np.exp(-(t_min[after] - s) / (2.0 * 1440))
    slow = 0.015 * stock * 12.0 * shape * (base > 0)  # the same calls on every open day
    mean = base + fast + slow
    calls = rng.negative_binomial(20, 20 / (20 + mean))
    return pd.DataFrame({"calls": calls}, index=idx), spots, mean


@pytest.mark.parametrize("seed", [1, 2])
def test_close_to_the_true_mean_and_the_form_is_found(seed):
    history, spots, mean = generate(seed)
    cut = history.index[0] + pd.Timedelta(days=49)
    model = CallForecaster().fit(history[history.index < cut], spots[spots["start"] < cut])
    idx = history.index[history.index >= cut]
    fc = model.predict(idx, spots[spots["start"] >= cut])

    def quarter_hours(x):
        return pd.Series(np.asarray(x), index=idx).resample("15min").sum().to_numpy()

    actual = quarter_hours(history["calls"][idx])
    ours = wape(actual, quarter_hours(fc["mean"]))
    truth = wape(actual, quarter_hours(mean[-len(idx):]))
    assert ours <= 1.15 * truth
    r = model.response
    assert r.carryover_mix >= 0.5  # additive, not proportional to the weekday
    assert r.fast_rise_min > 0  # the response peaks after the airing
    assert r.calls_per_grp["Alpha TV"] == pytest.approx(8.0, rel=0.25)
    assert model.diagnostics_["calendar"]["zone"] == "America/Chicago"
