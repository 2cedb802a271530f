import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import staffing

from ._sim import simulate

REF = json.loads((Path(__file__).parents[1] / "reference" / "erlang_reference.json").read_text())


@pytest.mark.parametrize("row", REF["erlang_a"],
                         ids=lambda r: f"c{r['calls']}-n{r['agents']}-p{r['patience_s']}")
def test_against_exact_birth_death_chain(row):
    r = staffing.erlang_a(row["calls"], row["aht_s"], row["interval_s"], row["agents"],
                          row["patience_s"], row["target_s"])
    assert r.p_wait == pytest.approx(row["p_wait"], rel=1e-9)
    assert r.p_abandon == pytest.approx(row["p_abandon"], rel=1e-8)
    assert r.service_level == pytest.approx(row["sl_offered"], rel=1e-8)
    assert r.asa_s == pytest.approx(row["asa_s"], rel=1e-6)


def test_design_example_erlang_a_needs_fewer_agents_than_erlang_c():
    # 1000 calls / 30 min, AHT 240 s, patience 60 s, 80/20: Erlang A 120, Erlang C 142.
    kw = dict(calls=1000, aht_s=240, interval_s=1800)
    assert staffing.required_agents(**kw, model="erlang_a", patience_s=60) == 120
    assert staffing.required_agents(**kw) == 142


@pytest.mark.parametrize("calls, agents, target", [(100, 14, 20), (400, 55, 0), (2000, 290, 30)])
def test_infinite_patience_limit_is_erlang_c(calls, agents, target):
    a = calls * 200 / 1800
    r = staffing.erlang_a(calls, 200, 1800, agents, patience_s=1e6, target_s=target)
    assert r.p_wait == pytest.approx(staffing.erlang_c(a, agents), rel=1e-3)
    assert r.service_level == pytest.approx(staffing.service_level(a, agents, 200, target),
                                            rel=1e-3)
    assert r.asa_s == pytest.approx(staffing.asa(a, agents, 200), rel=1e-2)
    assert r.p_abandon < 1e-3


def test_service_level_definitions_are_ordered():
    r = staffing.erlang_a(1000, 240, 1800, 120, 60, 20)
    # Abandoned calls are misses over offered, absent over answered.
    assert r.sl_offered < r.sl_answered
    assert r.sl_answered == pytest.approx(r.sl_offered / (1 - r.p_abandon))
    assert staffing.erlang_a(1000, 240, 1800, 120, 60, 20,
                             sl_definition="virtual").service_level == r.sl_virtual


def test_overload_and_thousands_of_agents_stay_finite():
    r = staffing.erlang_a(calls=[5000, 2e6, 2e6, 0], aht_s=240, interval_s=1800,
                          agents=[50, 2500, 270_000, 3], patience_s=60)
    for field in ("p_wait", "p_abandon", "service_level", "asa_s", "occupancy", "mean_wait_s"):
        assert np.all(np.isfinite(getattr(r, field))), field
    # 5000 calls on 50 agents: nearly everyone waits, abandonment is 1 - served/offered
    assert float(r.p_abandon[0]) == pytest.approx(1 - 50 / (5000 * 240 / 1800), rel=1e-2)
    assert r.occupancy[0] == pytest.approx(1.0, abs=1e-3)
    assert (r.service_level[3], r.p_wait[3], r.asa_s[3]) == (1.0, 0.0, 0.0)


@pytest.mark.slow
@pytest.mark.parametrize("calls, aht, patience, agents", [(1000, 240, 60, 120), (300, 180, 240, 30),
                                                          (100, 180, None, 14)])
def test_agrees_with_simulation(calls, aht, patience, agents):
    runs = [simulate(calls / 1800, aht, patience, agents, 20, 60_000, np.random.default_rng(s))
            for s in range(8)]
    if patience is None:  # the simulation against Erlang C itself
        a = calls * aht / 1800
        exact = {"p_wait": staffing.erlang_c(a, agents), "p_abandon": 0.0,
                 "sl_offered": staffing.service_level(a, agents, aht, 20),
                 "asa_s": staffing.asa(a, agents, aht)}
    else:
        r = staffing.erlang_a(calls, aht, 1800, agents, patience, 20)
        exact = {"p_wait": r.p_wait, "p_abandon": r.p_abandon, "sl_offered": r.sl_offered,
                 "asa_s": r.asa_s}
    for key, value in exact.items():
        values = np.array([run[key] for run in runs])
        se = values.std(ddof=1) / np.sqrt(values.size)
        assert abs(values.mean() - float(value)) <= 4 * se + 1e-3 * abs(float(value)), key


@given(calls=st.floats(0.5, 5000), agents=st.integers(1, 600), patience=st.floats(5, 3000),
       aht=st.floats(30, 900), target=st.floats(0, 120))
def test_more_agents_never_hurt(calls, agents, patience, aht, target):
    r = staffing.erlang_a(calls, aht, 1800, [agents, agents + 1], patience, target)
    for field in ("p_wait", "p_abandon", "service_level", "sl_virtual", "asa_s", "occupancy"):
        values = getattr(r, field)
        assert np.all(values >= 0) and np.all(np.isfinite(values)), field
    for field in ("p_wait", "p_abandon", "service_level", "sl_virtual", "occupancy"):
        assert np.all(getattr(r, field) <= 1), field
    tol = 1e-9
    assert r.service_level[1] >= r.service_level[0] - tol
    assert r.p_abandon[1] <= r.p_abandon[0] + tol
    assert r.asa_s[1] <= r.asa_s[0] * (1 + 1e-6) + tol


def test_unknown_definition_is_refused():
    with pytest.raises(ValueError, match="sl_definition must be one of"):
        staffing.erlang_a(100, 180, 1800, 14, 60, sl_definition="fast")
