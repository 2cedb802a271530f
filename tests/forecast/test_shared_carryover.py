"""One carry-over for all channels when the channels cannot tell theirs apart."""

import numpy as np
import pandas as pd

from forecast import CallForecaster, load_scenario
from forecast.response_fit import _strengths
from forecast.synthetic import make_campaign


def test_a_carryover_the_channels_share_is_one_strength_their_spikes_are_not():
    """Three channels air on the same days; each has its own spikes, the carry-over is one."""
    rng = np.random.default_rng(4)
    n, c = 4000, 3
    day = np.arange(n) // 100
    on_air = np.repeat(rng.random(n // 100) < 0.6, 100).astype(float)
    fast = rng.gamma(0.3, 1.0, (n, c)) * on_air[:, None]  # spikes at different moments
    stock = np.convolve(on_air, np.exp(-np.arange(300) / 150.0))[:n] / 50
    slow = np.column_stack([stock * (1 + 0.02 * rng.normal(size=n)) for _ in range(c)])
    base = np.full(n, 50.0)
    y = rng.poisson(base + fast @ np.array([40.0, 20.0, 10.0]) + 3.0 * stock).astype(float)
    X = np.c_[fast, slow]
    out = _strengths(y, base, X, np.c_[fast.sum(axis=1), slow.sum(axis=1)], day,
                     ("A", "B", "C"))
    assert out["slow_pooled"] and not out["pooled"]
    assert len(set(out["lift_per_grp"].values())) == 1
    assert out["calls_per_grp"]["A"] > out["calls_per_grp"]["B"] > out["calls_per_grp"]["C"]


def test_the_shared_carryover_survives_saving_and_the_check_refits_it(tmp_path):
    """The 2009 campaign: three RAI channels aired on the same days."""
    sc = load_scenario("bonus_elettrico_2009")
    model = CallForecaster().fit(sc.history, sc.spots)
    r = model.response
    assert r.slow_pooled and len(set(r.lift_per_grp.values())) == 1
    assert len(set(r.calls_per_grp.values())) == 3
    model.save(tmp_path / "m.json")
    again = CallForecaster.load(tmp_path / "m.json")
    assert again.response.slow_pooled
    index = pd.date_range("2009-04-20", periods=96, freq="15min", tz="Europe/Rome")
    pd.testing.assert_frame_equal(model.predict(index, sc.spots), again.predict(index, sc.spots))
    twin = model._sibling(shapes=r).fit(sc.history, sc.spots)
    assert twin.response.slow_pooled and len(set(twin.response.lift_per_grp.values())) == 1


def test_channels_with_carry_overs_of_their_own_keep_them():
    truth = make_campaign(days=35, campaign_from_day=14, seed=2)
    r = CallForecaster().fit(truth.history, truth.spots).response
    assert not r.slow_pooled and len(set(r.lift_per_grp.values())) == 3
