import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, optimize, signal

from staffing.load import modified_offered_load


def calls_in_service(t, rate, aht, dt):
    """m(t) by the explicit cohort sum: the calls of every interval still in service at t.

    Interval k (arrival rate rate[k], handling time aht[k]) contributes the integral of
    rate[k] * exp(-(t - u) / aht[k]) over its arrival times u < t; before time 0 the
    first interval's rate and handling time have always held.
    """
    t = np.asarray(t, float)[:, None]
    lo = np.arange(rate.size) * dt
    hi = np.minimum(lo + dt, t)
    part = np.where(t > lo, rate * aht * (np.exp(-(t - hi) / aht) - np.exp(-(t - lo) / aht)), 0.0)
    return part.sum(axis=1) + rate[0] * aht[0] * np.exp(-t[:, 0] / aht[0])


def brute_force(rate, aht, dt, points=2001, adaptive=False):
    """Mean (Simpson on a fine grid, or adaptive quadrature) and peak (grid maximum, then
    refined) per interval."""
    mean, peak = np.empty(rate.size), np.empty(rate.size)
    for j in range(rate.size):
        grid = np.linspace(j * dt, (j + 1) * dt, points)
        m = calls_in_service(grid, rate, aht, dt)
        if adaptive:
            mean[j] = integrate.quad(lambda s: calls_in_service([s], rate, aht, dt)[0],
                                     grid[0], grid[-1], epsabs=0, epsrel=1e-10, limit=200)[0] / dt
        else:
            mean[j] = integrate.simpson(m, x=grid) / dt
        i = int(np.argmax(m))
        lo, hi = grid[max(i - 1, 0)], grid[min(i + 1, points - 1)]
        best = optimize.minimize_scalar(lambda s: -calls_in_service([s], rate, aht, dt)[0],
                                        bounds=(lo, hi), method="bounded",
                                        options={"xatol": 1e-10 * dt})
        peak[j] = max(m[i], -best.fun)
    return mean, peak


def single_recursion(rate, aht, dt):
    """The one-handling-time solution of m' = lam - m / aht, integrated exactly per interval."""
    keep = np.exp(-dt / aht)
    steady = rate * aht
    end, _ = signal.lfilter([1.0], [1.0, -keep], (1 - keep) * steady, zi=[keep * steady[0]])
    start = np.r_[steady[:1], end[:-1]]
    return steady + (start - steady) * (1 - keep) * aht / dt, np.maximum(start, end)


# Calls per minute and handling time over 5-minute intervals: the handling time jumps
# from 2 to 10 minutes and back, with a spike, a quiet interval and a drop.
JUMP_RATE = np.array([10, 10, 10, 30, 30, 10, 10, 10, 20, 20, 0, 10,
                      10, 30, 30, 10, 10, 5, 5, 5, 10, 10, 10, 10], float) / 60
JUMP_AHT = np.r_[np.full(6, 120.0), np.full(8, 600.0), np.full(10, 120.0)]


def test_constant_aht_matches_the_single_recursion():
    rng = np.random.default_rng(7)
    rate = rng.gamma(2.0, 0.1, 5000)
    rate[rng.random(rate.size) < 0.05] = 0.0
    for aht, dt in [(240.0, 60.0), (180.0, 900.0), (3600.0, 60.0), (60.0, 1.0)]:
        got = modified_offered_load(rate, np.full(rate.size, aht), dt)
        want = single_recursion(rate, aht, dt)
        for g, w in zip(got, want, strict=True):
            np.testing.assert_allclose(g, w, rtol=1e-12, atol=1e-12 * w.max())
    scalar = modified_offered_load(rate, 240.0, 60.0)
    np.testing.assert_array_equal(scalar[0], modified_offered_load(rate, np.full(rate.size, 240.0),
                                                                   60.0)[0])


def test_reference_is_the_defining_integral():
    # The cohort sum used as reference equals integral of lam(u) exp(-(t - u) / aht(u)) du.
    dt = 300.0
    for t in [0.0, 450.0, 1799.0, 4200.0, 7000.0]:
        edges = [u for u in np.arange(JUMP_RATE.size + 1) * dt if u < t] + [t]
        total = JUMP_RATE[0] * JUMP_AHT[0] * np.exp(-t / JUMP_AHT[0])
        for lo, hi in zip(edges[:-1], edges[1:], strict=True):
            k = int(lo // dt)
            total += integrate.quad(lambda u, k=k, t=t: JUMP_RATE[k] * np.exp(-(t - u) / JUMP_AHT[k]),
                                    lo, hi, epsabs=0, epsrel=1e-13)[0]
        assert calls_in_service([t], JUMP_RATE, JUMP_AHT, dt)[0] == pytest.approx(total, rel=1e-11)


@pytest.mark.parametrize("dt, repeat", [(300.0, 1), (60.0, 5)])
def test_aht_jump_matches_the_brute_force_cohort_sum(dt, repeat):
    rate, aht = np.repeat(JUMP_RATE, repeat), np.repeat(JUMP_AHT, repeat)
    mean, peak = modified_offered_load(rate, aht, dt)
    ref_mean, ref_peak = brute_force(rate, aht, dt)
    np.testing.assert_allclose(mean, ref_mean, rtol=1e-9)
    np.testing.assert_allclose(peak, ref_peak, rtol=1e-9)
    # Some peaks lie strictly inside an interval (long calls still leaving while
    # short ones pile up), which the boundary values alone would miss.
    bounds = calls_in_service(np.arange(rate.size + 1) * dt, rate, aht, dt)
    assert (peak > np.maximum(bounds[:-1], bounds[1:]) * (1 + 1e-6)).any()


def test_calls_keep_the_handling_time_of_their_arrival():
    # 10 calls/min with 10-minute calls until time 0... then 2-minute calls: the long calls
    # already in service still leave at their own pace.
    rate = np.full(4, 10 / 60)
    aht = np.array([600.0, 120.0, 120.0, 120.0])
    mean, peak = modified_offered_load(rate, aht, 600)
    t = 600.0 + np.array([0.0, 600.0, 1200.0])
    long_calls = 100 * np.exp(-(t - 600) / 600) - 100 * np.exp(-t / 600) + 100 * np.exp(-t / 600)
    short_calls = 20 * (1 - np.exp(-(t - 600) / 120))
    np.testing.assert_allclose(calls_in_service(t, rate, aht, 600), long_calls + short_calls,
                               rtol=1e-12)
    assert peak[0] == pytest.approx(100.0)
    assert peak[1] == pytest.approx(100.0)  # falling all the way: the start
    assert peak[2] == pytest.approx(long_calls[1] + short_calls[1], rel=1e-12)


rates = st.lists(st.floats(0, 2), min_size=1, max_size=12)
ahts = st.lists(st.one_of(st.sampled_from([30.0, 120.0, 240.0, 600.0, 1800.0]), st.floats(20, 2000)),
                min_size=1, max_size=12)


@settings(max_examples=60, deadline=None)
@given(rate=rates, aht=ahts, dt=st.sampled_from([60.0, 300.0, 900.0]))
def test_load_is_nonnegative_and_matches_the_cohort_sum(rate, aht, dt):
    n = min(len(rate), len(aht))
    rate, aht = np.array(rate[:n]), np.array(aht[:n])
    mean, peak = modified_offered_load(rate, aht, dt)
    assert (mean >= 0).all() and (peak >= 0).all()
    scale = 1e-9 * max((rate * aht).max(), 1e-12)
    assert (mean <= peak + scale).all()
    ref_mean, ref_peak = brute_force(rate, aht, dt, points=201, adaptive=True)
    np.testing.assert_allclose(mean, ref_mean, rtol=1e-9, atol=scale)
    assert (peak >= ref_peak * (1 - 1e-9) - scale).all()  # never below a sampled value
    np.testing.assert_allclose(peak, ref_peak, rtol=1e-9, atol=scale)


@settings(max_examples=60, deadline=None)
@given(rate=rates, aht=ahts, dt=st.sampled_from([60.0, 300.0, 900.0]),
       lam=st.floats(0.01, 2), a=st.sampled_from([30.0, 120.0, 240.0, 600.0, 1800.0]))
def test_constant_arrivals_converge_to_lambda_times_aht(rate, aht, dt, lam, a):
    n = min(len(rate), len(aht))
    settle = int(np.ceil(45 * max(max(aht[:n]), a) / dt))
    r = np.r_[rate[:n], np.full(settle, lam)]
    h = np.r_[aht[:n], np.full(settle, a)]
    mean, peak = modified_offered_load(r, h, dt)
    tol = 1e-12 * max((r * h).max(), lam * a)
    assert mean[-1] == pytest.approx(lam * a, rel=1e-9, abs=tol)
    assert peak[-1] == pytest.approx(lam * a, rel=1e-9, abs=tol)


def test_steady_from_the_start_and_empty_input():
    mean, peak = modified_offered_load(np.full(50, 0.5), np.full(50, 200.0), 60)
    np.testing.assert_allclose(mean, 100.0, rtol=1e-13)
    np.testing.assert_allclose(peak, 100.0, rtol=1e-13)
    assert modified_offered_load(np.zeros(0), np.zeros(0), 60)[0].size == 0
    quiet = modified_offered_load(np.zeros(5), np.full(5, 60.0), 60)
    assert (quiet[0] == 0).all() and (quiet[1] == 0).all()


@pytest.mark.parametrize("args, message", [
    ((np.array([1.0, -1.0]), 60.0, 60.0), "rate_per_s must be >= 0"),
    ((np.array([1.0, 1.0]), np.array([60.0, 0.0]), 60.0), "aht_s must be > 0"),
    ((np.array([1.0]), 60.0, 0.0), "interval_s must be > 0"),
])
def test_bad_inputs_are_named(args, message):
    with pytest.raises(ValueError, match=message):
        modified_offered_load(*args)
