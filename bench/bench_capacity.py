"""Capacity-plan benchmarks on the 2009 default scenario.

* the whole chain (forecast frame -> requirements -> shifts -> summary) for three weeks
  at 15-minute intervals (target under 2 s);
* a discrete-event simulation of the 2009 peak day (20 April) at minute resolution
  against its plan (target under 5 s).
"""

import time

import numpy as np
import pandas as pd

from forecast import CallForecaster, load_scenario
from staffing import staffing_plan
from staffing.capacity import capacity_plan
from staffing.simulate import simulate

TZ = "Europe/Rome"


def bench_capacity():
    sc = load_scenario()
    model = CallForecaster(holidays_closed=True).fit(sc.history, sc.spots)
    weeks = pd.date_range("2009-04-12", "2009-05-03", freq="15min", tz=TZ, inclusive="left")
    fc = model.predict(weeks, sc.spots)
    t0 = time.perf_counter()
    plan = capacity_plan(fc, 240, patience_s=120)
    t_chain = time.perf_counter() - t0
    s = plan.summary
    print(f"capacity chain, 3 weeks at 15 min ({len(fc):,} intervals): {t_chain:.2f} s "
          f"(peak {s['peak_agents']} agents on the phones, {s['temps_hired']} temps, "
          f"cost {s['temp_cost']:,.0f})")

    day = pd.date_range("2009-04-20", "2009-04-21", freq="1min", tz=TZ, inclusive="left")
    minute = model.predict(day, sc.spots)
    req = staffing_plan(minute, 240, period="15min", method="mol", model="erlang_a",
                        patience_s=120)
    agents = np.repeat(req["agents"].to_numpy(), 15)
    t0 = time.perf_counter()
    run = simulate(minute["mean"].to_numpy(), 60, agents, aht_s=240, patience_s=120,
                   rng=np.random.default_rng(2009), redial_prob=0.3)
    t_sim = time.perf_counter() - t0
    tot = run.totals()
    print(f"simulation of 20 April 2009 ({tot['offered']:,} calls incl. redials, peak "
          f"{agents.max()} agents): {t_sim:.2f} s; service level {tot['service_level']:.1%}, "
          f"abandoned {tot['abandon_rate']:.1%} (plan expected "
          f"{(req['service_level'] * req['calls']).sum() / req['calls'].sum():.1%})")


if __name__ == "__main__":
    bench_capacity()
