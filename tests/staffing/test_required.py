import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import staffing
from staffing.shrinkage import fte, scheduled_agents


def test_published_cases():
    # 100 calls / 30 min, AHT 180 s, 80/20 -> 14 agents, 20 scheduled at 30 % shrinkage.
    n = staffing.required_agents(100, aht_s=180, interval_s=1800, sl_target=0.8, target_s=20)
    assert n == 14 and isinstance(n, int)
    assert scheduled_agents(n, 0.3) == 20
    # 1000 calls / hour, AHT 120 s, 80/20: 38 agents, 40 with occupancy <= 85 %.
    assert staffing.required_agents(1000, 120, 3600) == 38
    assert staffing.required_agents(1000, 120, 3600, max_occupancy=0.85) == 40


def test_zero_calls_need_zero_agents():
    out = staffing.required_agents([0, 0, 10], 180, 900)
    assert out.tolist()[:2] == [0, 0] and out[2] > 0
    assert staffing.required_agents(0, 180, 900, model="erlang_a", patience_s=60) == 0


def test_asa_and_zero_second_targets():
    n = staffing.required_agents(100, 180, 1800, sl_target=None, asa_target_s=5)
    assert staffing.asa(10, n, 180) <= 5 < staffing.asa(10, n - 1, 180)
    n0 = staffing.required_agents(100, 180, 1800, sl_target=0.8, target_s=0)
    assert 1 - staffing.erlang_c(10, n0) >= 0.8 > 1 - staffing.erlang_c(10, n0 - 1)


def test_max_abandon_with_erlang_a():
    n = staffing.required_agents(1000, 240, 1800, sl_target=None, model="erlang_a",
                                 patience_s=60, max_abandon=0.02)
    r = staffing.erlang_a(1000, 240, 1800, [n - 1, n], 60)
    assert r.p_abandon[1] <= 0.02 < r.p_abandon[0]


def test_fractional_lies_between_integer_neighbours():
    x = staffing.required_agents(100, 180, 1800, fractional=True)
    assert 13 < x <= 14
    assert staffing.service_level(10, x, 180, 20) == pytest.approx(0.8, abs=1e-7)
    y = staffing.required_agents(1000, 240, 1800, model="erlang_a", patience_s=60,
                                 fractional=True)
    assert 119 < y <= 120


def test_large_loads_and_vectors():
    calls = np.array([1e5, 2e6, 3.0])
    n = staffing.required_agents(calls, 240, 1800)
    a = calls * 240 / 1800
    assert np.all(staffing.service_level(a, n, 240, 20) >= 0.8)
    assert np.all(staffing.service_level(a, n - 1, 240, 20) < 0.8)
    assert n.dtype.kind == "i" and n.shape == (3,)


@pytest.mark.parametrize("kwargs, message", [
    (dict(sl_target=80), r"sl_target must be in \(0, 1\), got 80; did you mean 0.8\?"),
    (dict(sl_target=0), r"sl_target must be in \(0, 1\), got 0"),
    (dict(max_occupancy=85), r"max_occupancy must be in \(0, 1\], got 85; did you mean 0.85\?"),
    (dict(model="erlang_b"), "model must be one of 'erlang_c', 'erlang_a'"),
    (dict(model="erlang_a"), "needs patience_s"),
    (dict(patience_s=60), "need model='erlang_a'"),
    (dict(sl_target=None), "give at least one target"),
    (dict(target_s=-5), "target_s must be >= 0, got -5"),
])
def test_bad_targets_are_named(kwargs, message):
    with pytest.raises(ValueError, match=message):
        staffing.required_agents(100, 180, 1800, **kwargs)


@pytest.mark.parametrize("args, message", [
    ((-1, 180, 1800), "calls must be >= 0, got -1"),
    ((100, 0, 1800), "aht_s must be > 0, got 0"),
    ((float("nan"), 180, 1800), "calls must be a finite number, got nan"),
    ((100, 180, 0), "interval_s must be > 0, got 0"),
])
def test_bad_volumes_are_named(args, message):
    with pytest.raises(ValueError, match=message):
        staffing.required_agents(*args)


targets = st.sampled_from([dict(sl_target=0.8, target_s=20), dict(sl_target=0.95, target_s=0),
                           dict(sl_target=None, asa_target_s=15),
                           dict(sl_target=0.7, target_s=60, max_occupancy=0.85)])


@given(calls=st.lists(st.floats(0.01, 4000), min_size=1, max_size=20),
       aht=st.floats(20, 900), target=targets)
def test_erlang_c_answer_is_minimal_and_matches_looping(calls, aht, target):
    calls = np.array(calls)
    n = staffing.required_agents(calls, aht, 1800, **target)
    a = calls * aht / 1800

    def meets(k):
        ok = np.ones(k.shape, bool)
        if target.get("sl_target"):
            ok &= staffing.service_level(a, k, aht, target["target_s"]) >= target["sl_target"] - 1e-12
        if "asa_target_s" in target:
            ok &= staffing.asa(a, k, aht) <= target["asa_target_s"] + 1e-12
        if "max_occupancy" in target:
            ok &= staffing.occupancy(a, k) <= target["max_occupancy"] + 1e-12
        return ok

    assert meets(n.astype(float)).all()
    assert not meets(n - 1.0).any()
    looped = [staffing.required_agents(c, aht, 1800, **target) for c in calls]
    assert n.tolist() == looped


@given(calls=st.floats(0.5, 3000), aht=st.floats(30, 600), patience=st.floats(10, 1200),
       sl=st.floats(0.5, 0.95))
def test_erlang_a_answer_is_minimal(calls, aht, patience, sl):
    n = staffing.required_agents(calls, aht, 1800, sl_target=sl, model="erlang_a",
                                 patience_s=patience)
    r = staffing.erlang_a(calls, aht, 1800, [max(n - 1, 0), n], patience)
    assert r.service_level[1] >= sl - 1e-12
    assert n == 0 or r.service_level[0] < sl


def test_shrinkage_and_fte():
    assert scheduled_agents(np.array([0, 7, 14]), 0.3).tolist() == [0, 10, 20]
    assert scheduled_agents(13.2, 0.25, fractional=True) == pytest.approx(17.6)
    assert fte(120, hours_per_fte=40) == 3.0
    with pytest.raises(ValueError, match=r"shrinkage must be in \[0, 1\), got 30; did you mean 0.3"):
        scheduled_agents(10, 30)
