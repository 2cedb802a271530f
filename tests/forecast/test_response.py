import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from forecast.response import kernel_mass, mean_stock, saturate

times = st.lists(st.floats(-7200, 86_000), min_size=0, max_size=20)


@given(spots=times, half_life=st.floats(10, 20_000))
def test_resolution_invariance_and_mass(spots, half_life):
    t = np.array(spots)
    w = np.linspace(1, 2, t.size)
    minute = kernel_mass(0, 60, 1440, t, w, half_life)
    hourly = kernel_mass(0, 3600, 24, t, w, half_life)
    daily = kernel_mass(0, 86400, 1, t, w, half_life)
    np.testing.assert_allclose(minute.reshape(24, 60).sum(axis=1), hourly, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(hourly.sum(), daily[0], rtol=1e-9, atol=1e-9)
    assert np.all(minute >= -1e-12)
    # never more than the weight aired; all of it for spots inside, given time to decay
    assert daily[0] <= w.sum() + 1e-9


def test_zero_spots_add_nothing():
    assert not kernel_mass(0, 300, 10, np.array([]), np.array([]), 60).any()
    assert not mean_stock(0, 300, 10, np.array([1e6]), np.array([5.0]), 60).any()  # after the grid


def test_half_life_is_respected():
    m = kernel_mass(0, 60, 4, np.array([0.0]), np.array([1.0]), 120)
    # half of the response arrives within one half-life (two one-minute intervals)
    assert m[:2].sum() == pytest.approx(0.5)
    stock = mean_stock(0, 1.0, 10_000, np.array([0.0]), np.array([1.0]), 1000.0)
    assert stock[999] == pytest.approx(0.5, rel=1e-3) and stock[1999] == pytest.approx(0.25, rel=1e-3)


def test_channels_are_rows():
    w = np.array([[1.0, 0.0], [0.0, 2.0]])
    m = kernel_mass(0, 60, 5, np.array([0.0, 30.0]), w, 60)
    assert m.shape == (2, 5)
    np.testing.assert_allclose(m.sum(axis=0), kernel_mass(0, 60, 5, np.array([0.0, 30.0]),
                                                          np.array([1.0, 2.0]), 60))


@given(g=st.lists(st.floats(0, 500), min_size=2, max_size=10), k=st.floats(0.5, 1000))
def test_more_grp_never_lowers_the_response(g, k):
    g = np.sort(np.array(g))
    eff = saturate(g, k)
    assert np.all(np.diff(eff) >= -1e-12) and np.all(eff <= k + 1e-9) and np.all(eff <= g + 1e-12)
