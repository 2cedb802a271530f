import numpy as np
import pandas as pd
import pytest

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


def test_bad_headcount_length():
    with pytest.raises(ValueError, match="one headcount per interval"):
        time_varying_queue([10, 10], 180, 900, [3])
