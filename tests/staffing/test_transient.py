import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, sparse, special
from scipy.sparse.linalg import expm_multiply

import staffing
from staffing.plan import staffing_plan
from staffing.transient import time_varying_queue


def test_steady_load_matches_erlang_c_and_a():
    r = time_varying_queue([100] * 3, 180, 1800, [14] * 3, target_s=20)
    assert r.p_wait[-1] == pytest.approx(staffing.erlang_c(10, 14), rel=1e-6)
    assert r.service_level[-1] == pytest.approx(staffing.service_level(10, 14, 180, 20), rel=1e-6)
    a = staffing.erlang_a(1000, 240, 1800, 120, 60, 20)
    r = time_varying_queue([1000] * 2, 240, 1800, [120] * 2, patience_s=60, target_s=20)
    assert r.service_level[-1] == pytest.approx(float(a.service_level), rel=1e-6)
    assert r.p_abandon[-1] == pytest.approx(float(a.p_abandon), rel=1e-6)


@pytest.mark.slow
def test_spike_mol_holds_the_target_sipp_does_not():
    # 10 calls/min jumping to 30/min for 15 minutes, AHT 4 min, 15-minute periods,
    # target P(delay) <= 0.2, judged by the exact time-dependent queue.
    calls = np.full(180, 10.0)
    calls[60:75] = 30.0
    idx = pd.date_range("2009-04-20 08:00", periods=180, freq="1min", tz="Europe/Rome")
    volume = pd.DataFrame({"calls": calls}, index=idx)
    misses = {}
    for method in ("sipp", "mol"):
        plan = staffing_plan(volume, 240, period="15min", method=method, sl_target=0.8,
                             target_s=0)
        r = time_varying_queue(calls, 240, 60, np.repeat(plan["agents"].to_numpy(), 15),
                               target_s=0)
        per_period = (r.p_wait * calls).reshape(12, 15).sum(1) / calls.reshape(12, 15).sum(1)
        misses[method] = int((per_period > 0.2 + 1e-9).sum())
    assert misses["mol"] == 0
    assert misses["sipp"] >= 3


def _fine_grid_reference(calls, aht_s, interval_s, agents, patience_s, target_s, steps=180):
    """The same model integrated independently: distribution on a grid, Simpson's rule."""
    mu, theta = 1 / aht_s, (0.0 if patience_s is None else 1 / patience_s)
    lam, size = np.asarray(calls, float) / interval_s, 400
    n = np.arange(size)
    death0 = np.minimum(n[1:], agents[0]) * mu + np.maximum(n[1:] - agents[0], 0) * theta
    p = np.exp(np.concatenate([[0.0], np.cumsum(np.log(lam[0] / death0))]))
    p /= p.sum()
    rows = []
    for rate, s in zip(lam, agents, strict=True):
        death = np.minimum(n, s) * mu + np.maximum(n - s, 0) * theta
        birth = np.append(np.full(size - 1, rate), 0.0)
        qt = sparse.diags([birth[:-1], -(birth + death), death[1:]], [-1, 0, 1], format="csr")
        grid = expm_multiply(qt, p, start=0, stop=interval_s, num=steps + 1, endpoint=True)
        mean = integrate.simpson(grid, dx=interval_s / steps, axis=0) / interval_s
        p = grid[-1]
        assert p[-20:].sum() < 1e-12
        j = np.maximum(n - s, 0)
        if theta == 0:
            within, abandon = 1 - special.pdtr(j, s * mu * target_s), 0 * j
        else:
            x = s * mu / theta
            within = x / (x + j + 1) * (1 - special.betainc(x + 1, j + 1, np.exp(-theta * target_s)))
            abandon = (j + 1) / (x + j + 1)
        waits = n >= s
        rows.append([mean[waits].sum(), mean @ np.where(waits, within, 1.0),
                     mean @ np.where(waits, abandon, 0.0), mean @ np.minimum(n, s) / s])
    return np.array(rows).T


@pytest.mark.parametrize("patience_s", [None, 120.0])
def test_spike_is_exact_against_a_fine_time_grid(patience_s):
    # 10 calls/min jumping to 30/min for 15 minutes, AHT 4 min, quarter-hour intervals;
    # 100 agents against 120 Erlangs in the spike. A 6-point midpoint rule in time is off
    # by up to 1.5e-2 here (service level with patience) and 3.5e-3 (occupancy).
    calls = np.array([150.0] * 4 + [450] + [150] * 7)
    agents = np.array([46] * 4 + [100, 70] + [46] * 6)
    r = time_varying_queue(calls, 240, 900, agents, patience_s=patience_s, target_s=20)
    ref = _fine_grid_reference(calls, 240, 900, agents, patience_s, 20)
    got = np.array([r.p_wait, r.service_level, r.p_abandon, r.occupancy])
    assert np.abs(got - ref).max() < 1e-6
    assert r.p_wait[4] > 0.5  # the spike is really felt


def test_constant_load_from_empty_settles_on_erlang_a():
    # Long intervals: the start-up transient is gone by the third half hour.
    r = time_varying_queue([500] * 4, 240, 1800, [70] * 4, patience_s=90, target_s=20,
                           initial="empty")
    a = staffing.erlang_a(500, 240, 1800, 70, 90, 20)
    assert r.p_abandon[0] < float(a.p_abandon)  # an empty start is kinder
    assert abs(r.p_abandon[-1] - float(a.p_abandon)) < 1e-3
    assert abs(r.service_level[-1] - float(a.service_level)) < 1e-3
    assert abs(r.p_wait[-1] - float(a.p_wait)) < 1e-3


@settings(max_examples=40, deadline=None)
@given(calls=st.lists(st.floats(0, 40), min_size=1, max_size=4),
       agents=st.lists(st.integers(0, 15), min_size=4, max_size=4),
       aht_s=st.floats(30, 600), patience_s=st.one_of(st.none(), st.floats(5, 600)),
       target_s=st.floats(0, 120), interval_s=st.sampled_from([300.0, 900.0, 1800.0]))
def test_probabilities_stay_in_range(calls, agents, aht_s, patience_s, target_s, interval_s):
    r = time_varying_queue(calls, aht_s, interval_s, agents[:len(calls)], patience_s=patience_s,
                           target_s=target_s, initial="empty")
    for x in (r.p_wait, r.service_level, r.p_abandon, r.occupancy):
        assert np.all((x >= 0) & (x <= 1))
    assert np.all(r.service_level + r.p_abandon <= 1 + 1e-9)
    if patience_s is None:
        assert np.all(r.p_abandon == 0)


def test_bad_initial():
    with pytest.raises(ValueError, match="initial must be"):
        time_varying_queue([10], 180, 900, [3], initial="full")


def test_bad_headcount_length():
    with pytest.raises(ValueError, match="one headcount per interval"):
        time_varying_queue([10, 10], 180, 900, [3])
