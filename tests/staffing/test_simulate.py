import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import staffing
from staffing.simulate import _occupancy, simulate


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


def test_zero_headcount_mid_day_callers_wait_for_the_next_agents():
    # Nobody on the phones from 09:00 to 10:00: with no patience every caller of that hour
    # is answered, but only once agents log in again at 10:00.
    r = simulate([40, 40, 40], 3600, [5, 0, 5], aht_s=120, rng=np.random.default_rng(4))
    assert (r.answered == r.offered).all() and r.abandoned.sum() == 0
    assert r.occupancy[1] == 0
    assert r.asa_s[1] > 900  # they arrived over the hour and waited for its end
    assert r.service_level[1] < 0.2 and r.service_level[0] > 0.8
    assert r.totals()["waiting_at_close"] == 0


def test_zero_headcount_mid_day_with_patience_callers_hang_up():
    r = simulate([200, 200, 200], 3600, [10, 0, 10], aht_s=120, patience_s=60,
                 rng=np.random.default_rng(6))
    assert (r.offered == r.answered + r.abandoned).all()
    assert r.answered[1] <= 0.1 * r.offered[1]  # only the last minute or so reach 10:00
    assert r.occupancy[1] == 0
    assert r.abandoned[0] < 0.2 * r.offered[0] and r.abandoned[2] < 0.2 * r.offered[2]


def test_zero_headcount_all_day():
    kw = dict(aht_s=120, rng=np.random.default_rng(7), counts_given=True)
    # Default: one closing agent answers the whole queue after the close, late.
    served = simulate([30, 30], 900, [0, 0], **kw)
    assert served.answered.tolist() == [30, 30]
    assert served.waiting_at_close.tolist() == [30, 30]
    assert served.occupancy.tolist() == [0, 0]
    assert served.asa_s[0] > 900
    cut = simulate([30, 30], 900, [0, 0], at_close="abandon", **kw)
    assert cut.answered.sum() == 0 and cut.abandoned.tolist() == [30, 30]
    assert cut.totals()["waiting_at_close"] == 60
    # With patience most hang up during the day; the rest are still waiting at the close.
    kw["rng"] = np.random.default_rng(8)
    r = simulate([100, 100], 900, [0, 0], patience_s=120, **kw)
    assert r.answered_in_target.sum() <= r.waiting_at_close.sum()
    assert 0 < r.waiting_at_close.sum() < 60
    assert r.waiting_at_close[0] == 0  # patience is far shorter than the 15 minutes left
    assert (r.offered == r.answered + r.abandoned).all()


@pytest.mark.parametrize("patience", [None, 90])
def test_callers_waiting_at_close_are_served_or_cut_off_and_counted(patience):
    # One overloaded quarter-hour: a queue is left at the close.
    args = ([300], 900, [5])
    kw = dict(aht_s=300, patience_s=patience, counts_given=True)
    default = simulate(*args, rng=np.random.default_rng(2), **kw)
    served = simulate(*args, rng=np.random.default_rng(2), at_close="serve", **kw)
    cut = simulate(*args, rng=np.random.default_rng(2), at_close="abandon", **kw)
    assert default.totals() == served.totals()
    waiting = served.totals()["waiting_at_close"]
    assert waiting > 10
    assert cut.totals()["waiting_at_close"] == waiting  # same run up to the close
    assert served.answered.sum() - cut.answered.sum() <= waiting
    assert cut.abandoned.sum() - served.abandoned.sum() <= waiting
    if patience is None:  # everyone waiting is answered by the closing team, or nobody is
        assert served.answered.sum() == 300
        assert cut.answered.sum() == 300 - waiting and cut.abandoned.sum() == waiting
    for r in (served, cut):
        assert (r.offered == r.answered + r.abandoned).all()


def test_closing_team_is_the_last_headcount_or_one_agent():
    # A queue at the close with 0 agents in the last interval: one agent clears it.
    r = simulate([0, 20], 600, [3, 0], aht_s=60, rng=np.random.default_rng(1), counts_given=True)
    assert r.answered.tolist() == [0, 20] and r.waiting_at_close[1] == 20
    # 20 calls of about a minute, one after another from the close: mean wait ~ 300 + 600 s.
    assert 500 < r.asa_s[1] < 1400


def test_at_close_and_size_limit_are_checked():
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="at_close must be one of 'serve', 'abandon', got 'drop'"):
        simulate([30], 900, [8], aht_s=200, rng=rng, at_close="drop")
    with pytest.raises(ValueError, match=r"calls add up to 48,000,000 .* max_calls=5,000,000"):
        simulate([1e6] * 48, 1800, [6000] * 48, aht_s=180, rng=rng)
    with pytest.raises(ValueError, match="max_calls=150"):
        simulate([100, 100], 900, [20, 20], aht_s=180, rng=rng, max_calls=150)
    assert simulate([100, 100], 900, [20, 20], aht_s=180, rng=rng, max_calls=1000).offered.sum() > 0
    with pytest.raises(ValueError, match="at least one interval"):
        simulate([], 900, [], aht_s=200, rng=rng)


def test_occupancy_sums_equal_interval_by_interval_overlap():
    rng = np.random.default_rng(11)
    interval_s, staff = 300.0, rng.integers(0, 5, 12)
    start = np.sort(rng.uniform(0, 12 * interval_s + 500, 400))
    end = start + rng.exponential(200, start.size)
    got = _occupancy(start, end, staff, interval_s)
    bounds = np.arange(13) * interval_s
    busy = [np.clip(np.minimum(end, hi) - np.maximum(start, lo), 0, None).sum()
            for lo, hi in zip(bounds[:-1], bounds[1:], strict=True)]
    want = np.divide(busy, staff * interval_s, out=np.zeros(12), where=staff > 0)
    np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-9)


@settings(max_examples=40, deadline=None)
@given(staff=st.lists(st.integers(0, 3), min_size=1, max_size=6),
       patience=st.one_of(st.none(), st.floats(5, 600)), redial=st.sampled_from([0.0, 0.5]),
       seed=st.integers(0, 2**32 - 1))
def test_any_schedule_with_empty_intervals_runs_and_balances(staff, patience, redial, seed):
    calls = [15] * len(staff)
    kw = dict(aht_s=240, patience_s=patience, redial_prob=redial, redial_delay_s=60)
    served = simulate(calls, 600, staff, rng=np.random.default_rng(seed), **kw)
    cut = simulate(calls, 600, staff, rng=np.random.default_rng(seed), at_close="abandon", **kw)
    for r in (served, cut):
        assert (r.offered == r.answered + r.abandoned).all()
        assert (r.waiting_at_close <= r.offered).all()
        assert (r.occupancy >= 0).all()
        if (np.diff(staff) >= 0).all():  # above 1 only when leaving agents finish calls
            assert (r.occupancy <= 1 + 1e-9).all()
        assert np.all(r.occupancy[np.asarray(staff) == 0] == 0)
    # The two runs are the same up to the close; only the waiting callers' fate differs.
    assert served.offered.tolist() == cut.offered.tolist()
    assert served.totals()["waiting_at_close"] == cut.totals()["waiting_at_close"]
    assert 0 <= served.answered.sum() - cut.answered.sum() <= cut.totals()["waiting_at_close"]
    if patience is None:
        assert served.abandoned.sum() == 0
