"""The roster evaluator against exact references: the time-dependent chain, Erlang A, Erlang B."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from staffing import erlang_a, erlang_b
from staffing.evaluate import evaluate_roster
from staffing.transient import time_varying_queue


def minutes(n, start="2009-04-20 08:00"):
    return pd.date_range(start, periods=n, freq="5min")


@pytest.mark.slow
def test_spike_matches_the_exact_time_dependent_queue():
    # 10 calls/min, 30/min for 15 minutes, AHT 4 min, a constant 60 agents: the chain is
    # exact here (the headcount never changes during a wait).
    calls = np.array([50] * 6 + [150] * 3 + [50] * 9, float)
    agents = np.full(calls.size, 60)
    exact = time_varying_queue(calls, 240, 300, agents, patience_s=180)
    got = evaluate_roster(calls, minutes(calls.size), agents, aht_s=240, patience_s=180,
                          replications=60)
    per = got.by(np.arange(calls.size))
    assert np.abs(per["service_level"] - exact.service_level).max() < 0.05
    assert np.abs(per["abandon_rate"] - exact.p_abandon).max() < 0.03
    sl_exact = (exact.service_level * calls).sum() / calls.sum()
    total = got.totals()
    assert abs(total["service_level"] - sl_exact) < max(2 * total["service_level_ci"], 0.01)


def test_steady_load_matches_erlang_a():
    idx = pd.date_range("2009-04-20 00:00", periods=96, freq="15min")
    r = evaluate_roster(np.full(96, 250.0), idx, np.full(96, 70), aht_s=240, patience_s=120,
                        replications=4).totals()
    ref = erlang_a(250, 240, 900, agents=70, patience_s=120, target_s=20)
    assert r["service_level"] == pytest.approx(ref.service_level, abs=0.015)
    assert r["abandon_rate"] == pytest.approx(ref.p_abandon, abs=0.006)
    assert r["attempts"] == r["unique_callers"]  # no redials asked for


def test_trunk_limit_blocks_as_erlang_b():
    # No waiting room (trunk = agents, nobody waits): the loss system M/M/c/c.
    idx = pd.date_range("2009-04-20", periods=200, freq="1h")
    r = evaluate_roster(np.full(200, 600.0), idx, np.full(200, 12), aht_s=60,
                        trunk_limit=12, replications=4).totals()
    assert r["blocked_rate"] == pytest.approx(float(erlang_b(10, 12)), abs=0.004)


def test_redials_add_attempts_not_callers():
    idx = minutes(24)
    r = evaluate_roster(np.full(24, 300.0), idx, np.full(24, 50), aht_s=240, patience_s=60,
                        redial_prob=0.6, redial_delay_s=120, replications=3).totals()
    assert r["attempts"] > r["unique_callers"]
    assert r["unique_callers"] == pytest.approx(300 * 24, rel=0.02)


def test_daily_figures_add_up_to_the_totals():
    idx = pd.date_range("2009-04-20", periods=3 * 96, freq="15min")
    calls = np.where((idx.hour >= 8) & (idx.hour < 18), 200.0, 0.0)
    staff = np.where(calls > 0, 55, 0)
    r = evaluate_roster(calls, idx, staff, aht_s=240, patience_s=120)
    daily, total = r.daily(), r.totals()
    assert len(daily) == 3 and daily["calls"].sum() == pytest.approx(total["calls"])
    weighted = (daily["service_level"] * daily["attempts"]).sum() / daily["attempts"].sum()
    assert weighted == pytest.approx(total["service_level"])
    assert (daily["service_level_ci"] > 0).all()


def test_same_inputs_same_figures():
    idx = minutes(12)
    a = evaluate_roster(np.full(12, 80.0), idx, np.full(12, 20), aht_s=200, patience_s=90)
    b = evaluate_roster(np.full(12, 80.0), idx, np.full(12, 20), aht_s=200, patience_s=90)
    assert a.totals() == b.totals()


@settings(max_examples=15, deadline=None)
@given(extra=st.integers(1, 5), base=st.integers(3, 12), calls=st.floats(10, 120))
def test_more_agents_never_lower_service(extra, base, calls):
    idx = minutes(8)
    volume = np.full(8, calls)
    few = evaluate_roster(volume, idx, np.full(8, base), aht_s=180, patience_s=100).totals()
    more = evaluate_roster(volume, idx, np.full(8, base + extra), aht_s=180,
                           patience_s=100).totals()
    assert more["service_level"] >= few["service_level"] - 1e-12
    assert more["abandon_rate"] <= few["abandon_rate"] + 1e-12


@pytest.mark.parametrize("kwargs, message", [
    (dict(on_phones=np.full(3, 5)), "one value per interval"),
    (dict(replications=0), "replications must be a whole number"),
    (dict(trunk_limit=0), "trunk_limit must be a whole number"),
])
def test_bad_input_is_named(kwargs, message):
    args = dict(calls=np.full(4, 10.0), index=minutes(4), on_phones=np.full(4, 5), aht_s=180)
    args.update(kwargs)
    with pytest.raises(ValueError, match=message):
        evaluate_roster(args.pop("calls"), args.pop("index"), args.pop("on_phones"), **args)
