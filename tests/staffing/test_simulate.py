import numpy as np
import pytest

import staffing
from staffing.simulate import simulate


@pytest.mark.slow
@pytest.mark.parametrize("calls, aht, patience, agents", [(1000, 240, 60, 120), (200, 300, None, 38),
                                                          (400, 180, 200, 40)])
def test_steady_state_agrees_with_erlang(calls, aht, patience, agents):
    runs = [simulate([calls] * 24, 1800, [agents] * 24, aht_s=aht, patience_s=patience,
                     rng=np.random.default_rng(seed)).totals() for seed in range(6)]
    if patience is None:
        a = calls * aht / 1800
        exact = {"service_level": staffing.service_level(a, agents, aht, 20),
                 "asa_s": staffing.asa(a, agents, aht), "abandon_rate": 0.0}
    else:
        r = staffing.erlang_a(calls, aht, 1800, agents, patience, 20)
        exact = {"service_level": float(r.service_level), "asa_s": float(r.asa_s),
                 "abandon_rate": float(r.p_abandon)}
    for key, value in exact.items():
        got = np.array([run[key] for run in runs])
        se = got.std(ddof=1) / np.sqrt(got.size)
        assert abs(got.mean() - value) <= 4 * se + 0.01 * abs(value) + 1e-3, key


def test_staff_changes_take_effect_at_interval_boundaries():
    # No agents in the first hour: every caller of that hour waits for 09:00 or hangs up.
    r = simulate([60, 60], 3600, [0, 30], aht_s=120, patience_s=600, rng=np.random.default_rng(3))
    assert r.answered_in_target[0] == 0
    assert r.service_level[1] > 0.9
    assert r.occupancy[0] == 0 and 0 < r.occupancy[1] <= 1


def test_redials_add_calls_and_counts_are_kept():
    kw = dict(aht_s=300, patience_s=60, rng=np.random.default_rng(5))
    r = simulate([400] * 4, 900, [60] * 4, redial_prob=0.8, redial_delay_s=120, **kw)
    assert r.redials.sum() > 0
    assert (r.offered == r.answered + r.abandoned).all()
    exact = simulate([50, 70], 900, [10, 10], aht_s=200, rng=np.random.default_rng(0),
                     counts_given=True)
    assert exact.offered.tolist() == [50, 70]


def test_same_seed_same_result_and_clear_errors():
    a = simulate([30] * 5, 900, [8] * 5, aht_s=200, rng=np.random.default_rng(9))
    b = simulate([30] * 5, 900, [8] * 5, aht_s=200, rng=np.random.default_rng(9))
    assert a.totals() == b.totals()
    with pytest.raises(ValueError, match="one headcount per interval"):
        simulate([30] * 5, 900, [8] * 4, aht_s=200, rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match="redial_prob"):
        simulate([30], 900, [8], aht_s=200, rng=np.random.default_rng(0), redial_prob=2)
