"""Spot-schedule optimiser on the 2009 default scenario (writes the README's optimise block).

Candidate slots: the 2009 schedule's airings plus its break times (time of day per
channel, at the median GRP of that break) on every campaign day, 12-30 April. Kept: each
channel's GRP per ISO week and the campaign-driven calls within 5 %. Targets against the
2009 schedule at the same service goal: peak agents required at least 30 % lower, temp
cost at least 15 % lower, in at most 60 s.

    python bench/bench_optimise.py                 # the README figures
    python bench/bench_optimise.py --alternatives  # the proxies compared in docs/design.md
"""

import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app_pages.default_scenario import load_default  # noqa: E402
from campaign import break_slots, optimise_schedule  # noqa: E402
from staffing.shifts import TempPolicy  # noqa: E402

SETTINGS = dict(aht_s=240, patience_s=120, sl_target=0.8, target_s=20, shrinkage=0.3,
                policy=TempPolicy(hourly_cost=25, training_days=1, lead_time_days=1))
WINDOW = ("2009-04-12", "2009-05-03")
CAMPAIGN_DAYS = pd.date_range("2009-04-12", "2009-04-30", freq="D")
TARGETS = {"peak": 0.30, "temp_cost": 0.15, "seconds": 60.0}
# (peak_block, peak_weight) of the "cost" proxy: the default first, then the alternatives.
PROXIES = tuple((b, float(w)) for b, w in (a.split(":") for a in sys.argv[2:])) or (
    ("1D", 0.7), ("1D", 0.0), ("1h", 0.7), ("15min", 0.7), ("1D", 100.0))


def run(goal: str = "interval", **proxy):
    model, spots = load_default()
    candidates = break_slots(spots, CAMPAIGN_DAYS, tz=model.tz)
    start = time.perf_counter()
    result = optimise_schedule(model, spots, candidates, start=WINDOW[0], end=WINDOW[1],
                               service_goal=goal, **proxy, **SETTINGS)
    return result, time.perf_counter() - start, len(candidates)


def change(before: float, after: float) -> str:
    """A relative change as a reader writes it: "−19%", "+2%"."""
    return f"{after / before - 1:+.0%}".replace("-", "−")


def figures(result, seconds: float) -> dict:
    b, a = result.before.summary, result.after.summary
    grp = result.checks["grp"]
    share = ((grp["proposed"] - grp["original"]).abs() / grp["original"]).max()
    calls = result.checks["campaign_calls"]
    return {"seconds": seconds, "peak_before": b["peak_agents"], "peak_after": a["peak_agents"],
            "peak_cut": 1 - a["peak_agents"] / b["peak_agents"],
            "cost_before": b["temp_cost"], "cost_after": a["temp_cost"],
            "cost_cut": 1 - a["temp_cost"] / b["temp_cost"],
            "sl_before": b["service_level"], "sl_after": a["service_level"],
            "uncovered_before": b.get("uncovered_agent_hours", 0.0),
            "uncovered_after": a.get("uncovered_agent_hours", 0.0),
            "grp_share": share, "calls_share": calls["proposed"] / calls["original"] - 1,
            "moves": len(result.moves), "bound": result.bound,
            "currency": b.get("currency", "")}


def bench_optimise(write: bool = True):
    rows = []
    for goal in ("interval", "day"):
        result, seconds, n = run(goal)
        f = figures(result, seconds)
        rows.append((goal, f))
        met = (f["peak_cut"] >= TARGETS["peak"] and f["cost_cut"] >= TARGETS["temp_cost"]
               and seconds <= TARGETS["seconds"])
        print(f"service_goal={goal!r}: {n} candidate slots, {seconds:.1f} s; peak agents "
              f"{f['peak_before']} -> {f['peak_after']} ({f['peak_cut']:.1%} lower); temp cost "
              f"{f['cost_before']:,.0f} -> {f['cost_after']:,.0f} ({f['cost_cut']:.1%} lower); "
              f"service level {f['sl_before']:.1%} -> {f['sl_after']:.1%}; GRP per channel-week "
              f"within {f['grp_share']:.1%}, campaign calls {f['calls_share']:+.1%}; "
              f"{f['moves']} changes; targets {'met' if met else 'NOT met'}")
        print("  " + f["bound"].text())
        if goal == "interval":
            print(result.text())
    if not write:
        return rows
    from readme import write_block

    lines = ["| service goal | seconds | peak agents required | temp cost | service level | "
             "GRP per channel-week | campaign calls | changes |",
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for goal, f in rows:
        calls = f"{f['calls_share']:+.1%}".replace("-", "−")
        lines.append(
            f"| `{goal}` | {f['seconds']:.0f} | {f['peak_before']} → {f['peak_after']} "
            f"({change(f['peak_before'], f['peak_after'])}) | {f['cost_before']:,.0f} → "
            f"{f['cost_after']:,.0f} {f['currency']} ({change(f['cost_before'], f['cost_after'])}) "
            f"| {f['sl_before']:.1%} → {f['sl_after']:.1%} | within {f['grp_share']:.1%} | "
            f"{calls} | {f['moves']} |")
    b = rows[0][1]["bound"]
    lines += ["", f"With the `interval` goal the programme's proxy ends within {b.gap:.1%} of "
              f"its lower bound; no schedule within the constraints could take the peak staffing "
              f"load (modified offered load) below {b.peak_load_lower:,.0f} Erlangs (the 2009 "
              f"schedule's: {b.peak_load_original:,.0f}; the proposal's: "
              f"{b.peak_load_result:,.0f})."]
    write_block("optimise-2009", "\n".join(lines) + "\n")
    return rows


def alternatives():
    """The ``"cost"`` proxies of docs/design.md, each checked by the full capacity plan."""
    print("| proxy | seconds | peak agents | temp cost | service level | uncovered agent-hours "
          "| gap to bound |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for block, weight in PROXIES:
        result, seconds, _ = run("interval", peak_block=block, peak_weight=weight)
        f = figures(result, seconds)
        print(f"| {block} blocks, peak weight {weight:g} | {seconds:.0f} | {f['peak_before']} → "
              f"{f['peak_after']} ({change(f['peak_before'], f['peak_after'])}) | "
              f"{f['cost_before']:,.0f} → {f['cost_after']:,.0f} "
              f"({change(f['cost_before'], f['cost_after'])}) | {f['sl_before']:.1%} → "
              f"{f['sl_after']:.1%} | {f['uncovered_before']:,.0f} → {f['uncovered_after']:,.0f} "
              f"| {f['bound'].gap:.1%} |",
              flush=True)


if __name__ == "__main__":
    if "--alternatives" in sys.argv:
        alternatives()
    else:
        bench_optimise()
