"""Capacity-plan benchmarks on the 2009 default scenario (writes the README's capacity block).

* both service goals for three weeks of forecast at 5 minutes, planned per quarter-hour:
  ``"interval"`` (target < 2 s) and ``"day"`` (target < 5 s, cost at most 0.80x the
  interval plan's, every day from 14 April at 80/20);
* an independent check of each plan: 20 simulation runs of its roster with seeds the
  plan's evaluator never uses, against the plan's own figures (within 2 points overall,
  3 on every day);
* a discrete-event simulation of the 2009 peak day (20 April) at minute resolution.
"""

import time

import numpy as np
import pandas as pd

from forecast import CallForecaster, load_scenario
from staffing.capacity import capacity_plan
from staffing.shifts import TempPolicy
from staffing.simulate import simulate

TZ = "Europe/Rome"
SETTINGS = dict(aht_s=240, patience_s=120, sl_target=0.8, target_s=20, shrinkage=0.3,
                policy=TempPolicy(hourly_cost=25, training_days=1, lead_time_days=1))


def independent_check(plan, fc: pd.DataFrame, runs: int = 20) -> dict:
    """Simulate the plan's roster with fresh seeds; the gaps to the plan's own figures."""
    on_phones = plan.requirements["on_phones"].reindex(fc.index, method="ffill").to_numpy()
    days = fc.index.normalize()
    num = den = ab = 0
    day_num = pd.Series(0.0, index=days.unique())
    day_den = day_num.copy()
    for seed in range(runs):
        run = simulate(fc["mean"].to_numpy(), 300, on_phones, aht_s=240, patience_s=120,
                       target_s=20, rng=np.random.default_rng(10_000 + seed))
        num += run.answered_in_target.sum()
        den += run.offered.sum()
        ab += run.abandoned.sum()
        day_num += pd.Series(run.answered_in_target, index=days).groupby(level=0).sum()
        day_den += pd.Series(run.offered, index=days).groupby(level=0).sum()
    busy = day_den > 0
    sim_day = day_num[busy] / day_den[busy]
    plan_day = plan.daily.loc[sim_day.index, "service_level"]
    return {"sl_gap": abs(num / den - plan.summary["service_level"]),
            "abandon_gap": abs(ab / den - plan.summary["abandon_rate"]),
            "worst_day_gap": float((sim_day - plan_day).abs().max()),
            "sim_worst_day": float(sim_day[sim_day.index >= pd.Timestamp("2009-04-14", tz=TZ)].min())}


def bench_capacity():
    sc = load_scenario()
    model = CallForecaster(holidays_closed=True).fit(sc.history, sc.spots)
    window = pd.date_range("2009-04-12", "2009-05-03", freq="5min", tz=TZ, inclusive="left")
    fc = model.predict(window, sc.spots)
    rows, plans = [], {}
    for goal in ("interval", "day"):
        start = time.perf_counter()
        plan = capacity_plan(fc, service_goal=goal, **SETTINGS)
        seconds = time.perf_counter() - start
        plans[goal] = plan
        s = plan.summary
        check = independent_check(plan, fc)
        rows.append((goal, seconds, s, check))
        print(f"service_goal={goal!r}: {seconds:.2f} s, {s['temps_hired']} temps, cost "
              f"{s['temp_cost']:,.0f}, service level {s['service_level']:.1%} (worst day "
              f"{s['worst_day_service_level']:.1%}), abandoned {s['abandon_rate']:.1%}; "
              f"independent simulation: gaps {check['sl_gap']:.2%} overall, "
              f"{check['worst_day_gap']:.2%} on the worst day; its worst day from 14 April "
              f"{check['sim_worst_day']:.1%}")
    ratio = plans["day"].summary["temp_cost"] / plans["interval"].summary["temp_cost"]
    print(f"day plan cost / interval plan cost: {ratio:.2f}")

    day = pd.date_range("2009-04-20", "2009-04-21", freq="1min", tz=TZ, inclusive="left")
    minute = model.predict(day, sc.spots)
    agents = plans["day"].requirements["on_phones"].reindex(day, method="ffill").to_numpy()
    start = time.perf_counter()
    run = simulate(minute["mean"].to_numpy(), 60, agents, aht_s=240, patience_s=120,
                   rng=np.random.default_rng(2009), redial_prob=0.3)
    t_sim = time.perf_counter() - start
    tot = run.totals()
    print(f"simulation of 20 April 2009 at minute resolution ({tot['offered']:,} calls incl. "
          f"{tot['redials']:,} redials): {t_sim:.2f} s")

    from readme import write_block

    lines = ["| service goal | seconds | temps | temp cost | service level | worst day | "
             "abandoned | simulation gap, overall / worst day |",
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for goal, seconds, s, check in rows:
        lines.append(f"| `{goal}` | {seconds:.1f} | {s['temps_hired']:,} | "
                     f"{s['temp_cost']:,.0f} {s.get('currency', '')} | {s['service_level']:.1%} | "
                     f"{s['worst_day_service_level']:.1%} | {s['abandon_rate']:.1%} | "
                     f"{check['sl_gap']:.1%} / {check['worst_day_gap']:.1%} |")
    peak = plans["interval"].summary
    lines += ["", f"The `day` plan costs {ratio:.2f}x the `interval` plan. Staffing every "
              f"quarter-hour to its worst minute asks for up to {peak['peak_agents']:,} agents "
              f"on the phones; the 20 April peak day simulates at minute resolution "
              f"({tot['offered']:,} calls) in {t_sim:.2f} s."]
    write_block("capacity-2009", "\n".join(lines) + "\n")


if __name__ == "__main__":
    bench_capacity()
