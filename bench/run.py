"""Benchmarks: picco against its peers, measured side by side in one run.

    make bench

Forecast: see bench_forecast.py.

Staffing: required agents at 80/20, AHT 240 s, for a year of 15-minute intervals
(35,040) with loads drawn uniformly between 1 and 300 Erlangs (seed 2009),
against pyworkforce's ErlangC on the same inputs; then Erlang A for the same year.
"""

import time

import numpy as np

import staffing


def best_of(fn, repeat=5):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return min(times), out


def bench_staffing():
    rng = np.random.default_rng(2009)
    interval_min, aht_s = 15, 240
    traffic = rng.uniform(1, 300, 35_040)
    calls = traffic * interval_min * 60 / aht_s

    t_picco, ours = best_of(lambda: staffing.required_agents(calls, aht_s, interval_min * 60))
    t_a, _ = best_of(lambda: staffing.required_agents(
        calls, aht_s, interval_min * 60, model="erlang_a", patience_s=120), repeat=3)
    print(f"{'required agents, 35,040 intervals':<44} {'seconds':>9}")
    print(f"{'picco Erlang C (80/20)':<44} {t_picco:>9.4f}")
    print(f"{'picco Erlang A (80/20, patience 120 s)':<44} {t_a:>9.4f}")
    try:
        from pyworkforce.queuing import ErlangC
    except ImportError:
        print("pyworkforce not installed: peer comparison skipped (pip install -e '.[bench]')")
        return

    def peer():
        return np.array([ErlangC(transactions=c, aht=aht_s / 60, asa=20 / 60,
                                 interval=interval_min).required_positions(0.8)["raw_positions"]
                         for c in calls])

    t_peer, theirs = best_of(peer, repeat=1)
    disagree = int(np.sum(theirs != ours))
    print(f"{'pyworkforce 0.5 ErlangC (Python loop)':<44} {t_peer:>9.4f}")
    print(f"speed-up picco vs pyworkforce: {t_peer / t_picco:,.0f}x; "
          f"disagreements: {disagree} of {calls.size}")
    from readme import write_block

    write_block("bench-staffing", "\n".join([
        "| | seconds |", "| --- | --- |", f"| picco, Erlang C | {t_picco:.3f} |",
        f"| picco, Erlang A (patience 120 s) | {t_a:.2f} |",
        f"| pyworkforce 0.5 `ErlangC` | {t_peer:.1f} (picco {t_peer / t_picco:,.0f}x faster, "
        f"{disagree} disagreements) |"]) + "\n")


if __name__ == "__main__":
    bench_staffing()
    print()
    from bench_capacity import bench_capacity
    from bench_forecast import bench_forecast, bench_forecast_large, readme_table

    large = bench_forecast_large()
    year = bench_forecast()
    from readme import write_block

    write_block("bench-forecast", readme_table(year, large))
    print()
    bench_capacity()
    print()
    from bench_optimise import bench_optimise

    bench_optimise()
    print()
    from bench_sweep import bench_sweep

    bench_sweep()
    print()
    from bench_app import bench_app

    bench_app()
    print()
    from accuracy import main as accuracy

    accuracy(write_readme=True)
    print()
    from catalogue import catalogue_counts, catalogue_text

    write_block("bad-inputs", catalogue_text(catalogue_counts()))
