import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import staffing
from staffing.erlang import _erlang_c

REF = json.loads((Path(__file__).parents[1] / "reference" / "erlang_reference.json").read_text())


def test_textbook_case_100_calls_30_min():
    # 100 calls per 30 min, AHT 180 s, 14 agents: P(wait) 0.1741319, SL 0.88835, ASA 7.836 s
    # (the worked example used by every Erlang C calculator; exact values in the reference file).
    assert staffing.erlang_c(10, 14) == pytest.approx(0.1741319, abs=5e-8)
    assert staffing.service_level(10, 14, 180, 20) == pytest.approx(0.88835, abs=5e-6)
    assert staffing.asa(10, 14, 180) == pytest.approx(7.836, abs=5e-4)


@pytest.mark.parametrize("traffic, lines", [(100, 117), (1000, 1029)])
def test_erlang_b_trunk_tables(traffic, lines):
    # Published Erlang B tables: lines needed for 1 % blocking.
    assert staffing.erlang_b(traffic, lines) <= 0.01 < staffing.erlang_b(traffic, lines - 1)


@pytest.mark.parametrize("row", REF["erlang_c"], ids=lambda r: f"a{r['traffic_erl']:.4g}-n{r['agents']}")
def test_against_exact_reference(row):
    a, n = row["traffic_erl"], row["agents"]
    assert staffing.erlang_b(a, n) == pytest.approx(row["erlang_b"], rel=1e-10)
    assert staffing.erlang_c(a, n) == pytest.approx(row["erlang_c"], rel=1e-10)
    assert staffing.service_level(a, n, row["aht_s"], row["target_s"]) == pytest.approx(
        row["service_level"], rel=1e-10)
    assert staffing.asa(a, n, row["aht_s"]) == pytest.approx(row["asa_s"], rel=1e-9)


def test_erlang_b_matches_recursion_at_20000_agents():
    n = 20_000
    b = 1.0
    for k in range(1, n + 1):
        b = 19_800 * b / (k + 19_800 * b)
    assert staffing.erlang_b(19_800, n) == pytest.approx(b, rel=1e-9)


def test_large_and_overloaded_inputs_stay_finite():
    a = np.array([0.0, 5.0, 1e4, 1e5, 2e4, 50.0])
    n = np.array([0.0, 0.0, 1e4 + 150, 1e5 + 500, 100.0, 30.0])
    for value in (staffing.erlang_b(a, n), staffing.erlang_c(a, n),
                  staffing.service_level(a, n, 240, 20), staffing.occupancy(a, n)):
        assert np.all(np.isfinite(value))
        assert np.all((value >= 0) & (value <= 1))
    # load at or above the headcount: every call waits, nobody is answered in time
    assert staffing.erlang_c(50, 30) == 1.0
    assert staffing.service_level(50, 30, 240, 20) == 0.0
    assert staffing.asa(50, 30, 240) == np.inf
    assert staffing.occupancy(50, 30) == 1.0
    # deep overload has blocking 1 - n/a to first order
    assert staffing.erlang_b(2e4, 100) == pytest.approx(1 - 100 / 2e4, rel=1e-4)


def test_fractional_agents_interpolate_between_integers():
    whole = staffing.service_level(10, np.array([13.0, 14.0]), 180, 20)
    half = staffing.service_level(10, 13.5, 180, 20)
    assert whole[0] < half < whole[1]


def test_arrays_broadcast():
    out = staffing.erlang_c(np.array([[5.0], [10.0]]), np.array([8, 12, 16]))
    assert out.shape == (2, 3)


@pytest.mark.parametrize("call, message", [
    (lambda: staffing.erlang_c(-1, 5), "traffic_erl must be >= 0, got -1"),
    (lambda: staffing.erlang_b(5, float("nan")), "agents must be a finite number"),
    (lambda: staffing.service_level(5, 8, 0, 20), "aht_s must be > 0, got 0"),
    (lambda: staffing.asa(5, [8, -2], 180), "agents must be >= 0, got -2 (at position 1)"),
    (lambda: staffing.erlang_c("many", 5), "traffic_erl must be a number"),
])
def test_bad_input_names_the_field(call, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call()


loads = st.floats(0.01, 2000, allow_nan=False)


@given(a=loads, extra=st.integers(0, 200), aht=st.floats(10, 1200), t=st.floats(0, 300))
def test_service_level_rises_with_agents(a, extra, aht, t):
    n = np.floor(a) + 1 + extra
    sl = staffing.service_level(a, np.array([n, n + 1]), aht, t)
    assert 0 <= sl[0] <= sl[1] <= 1
    assert staffing.asa(a, n + 1, aht) <= staffing.asa(a, n, aht)


@given(st.lists(st.tuples(loads, st.integers(0, 3000)), min_size=1, max_size=30))
def test_vectorised_equals_looped(pairs):
    a = np.array([p[0] for p in pairs])
    n = np.array([p[1] for p in pairs], dtype=float)
    together = _erlang_c(a, n)
    one_by_one = [staffing.erlang_c(x, y) for x, y in zip(a, n, strict=True)]
    np.testing.assert_allclose(together, one_by_one, rtol=1e-13)


@given(a=st.floats(0, 1e5), n=st.floats(0, 2e4))
def test_probabilities_in_unit_interval(a, n):
    for p in (staffing.erlang_b(a, n), staffing.erlang_c(a, n)):
        assert 0.0 <= p <= 1.0


@given(a=st.floats(0.1, 500), n=st.integers(1, 700))
def test_erlang_b_recursion_identity(a, n):
    # B(n) = a B(n-1) / (n + a B(n-1)) holds for the gamma-function form too.
    prev = staffing.erlang_b(a, n - 1)
    assert staffing.erlang_b(a, n) == pytest.approx(a * prev / (n + a * prev), rel=1e-9)


def test_no_agents_means_certain_blocking_exactly():
    # found by hypothesis: rounding in log space once gave 1.0000000000000002
    assert staffing.erlang_b(1 / 3, 0) == 1.0
    assert staffing.erlang_c(1 / 3, 0) == 1.0
