"""Scenario sweeps on dask.distributed (writes the README's sweep block).

1,000 capacity-plan scenarios of the 2009 peak day (20 April at 5 minutes, the 2009
schedule; interval service goal, shifts of 4/6/8 hours, one simulation run each): SL
target x AHT x patience x shrinkage x forecast mean or p90, on a local cluster of 1 and
then 2 worker processes. Measured: throughput, parallel efficiency, each scenario's own
time (t_task), the scheduler's time per task (2,000 empty tasks: t_sched) and the time to
start a cluster and make the forecast (t_startup). Projected for a large sweep:

    T(N, W) = N * t_task / W + N * t_sched + t_startup

(the tasks share out over W workers; the scheduler handles them one by one).

    python bench/bench_sweep.py
"""

import logging
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from campaign import parse_spec, sweep  # noqa: E402

SPEC = {"model": "default_2009", "window": {"start": "2009-04-20", "end": "2009-04-21"},
        "settings": {"replications": 1},
        "grid": {"sl_target": [0.7, 0.75, 0.8, 0.85, 0.9], "aht_s": [200, 220, 240, 260, 280],
                 "patience_s": [60, 90, 120, 180, 240], "shrinkage": [0.25, 0.3, 0.35, 0.4],
                 "quantile": ["mean", "p90"]}}
PROJECT = (100_000, 50)  # scenarios, workers


def _noop(i):
    return i


def scheduler_overhead(client, n: int = 2_000) -> float:
    """Seconds per task of the scheduler and client alone: ``n`` empty tasks."""
    from distributed import as_completed

    start = time.perf_counter()
    futures = client.map(_noop, range(n), pure=False)  # as campaign.sweep submits and collects
    for batch in as_completed(futures, with_results=True).batches():
        for future, _ in batch:
            future.release()
    return (time.perf_counter() - start) / n


def run(spec, workers: int) -> dict:
    from distributed import Client, LocalCluster

    start = time.perf_counter()
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                      dashboard_address=None, silence_logs=logging.CRITICAL) as cluster, \
            Client(cluster) as client:
        client.wait_for_workers(workers)
        small = parse_spec({**SPEC, "grid": {"sl_target": [0.8]}})
        warm = sweep(small, client=client, progress=False)  # imports and the forecast, once
        startup = time.perf_counter() - start
        out = sweep(spec, client=client, progress=True)
        sched = scheduler_overhead(client)
    failed = int((out["error"] != "").sum()) + int((warm["error"] != "").sum())
    return {"workers": workers, "seconds": out.attrs["seconds"], "n": len(out),
            "t_task": float(out["seconds"].mean()), "t_sched": sched, "t_startup": startup,
            "failed": failed, "peak_agents": (int(out["peak_agents"].min()),
                                              int(out["peak_agents"].max()))}


def bench_sweep(write: bool = True) -> list[dict]:
    spec = parse_spec(SPEC)
    rows = [run(spec, w) for w in (1, 2)]
    one, two = rows
    for r in rows:
        print(f"{r['n']:,} scenarios on {r['workers']} worker(s): {r['seconds']:.1f} s, "
              f"{r['n'] / r['seconds']:.1f} scenarios/s; t_task {r['t_task'] * 1e3:.0f} ms, "
              f"t_sched {r['t_sched'] * 1e3:.2f} ms, start-up {r['t_startup']:.1f} s; "
              f"{r['failed']} failed; peak agents {r['peak_agents'][0]}-{r['peak_agents'][1]}")
    efficiency = one["seconds"] / (2 * two["seconds"])
    t_task = one["t_task"]  # measured alone on the machine: no neighbour slows it
    t_sched = max(one["t_sched"], two["t_sched"])
    t_startup = two["t_startup"]
    n, w = PROJECT
    # The model checked on each run with that run's own t_task (start-up excluded: the
    # runs are timed on a cluster already up).
    model_one = one["n"] * one["t_task"] + one["n"] * one["t_sched"]
    model_two = two["n"] * two["t_task"] / 2 + two["n"] * two["t_sched"]
    projected = n * t_task / w + n * t_sched + t_startup
    print(f"parallel efficiency on 2 workers: {efficiency:.0%}; the model gives "
          f"{model_one:.0f} s and {model_two:.0f} s, measured {one['seconds']:.0f} s and "
          f"{two['seconds']:.0f} s")
    print(f"projected {n:,} scenarios on {w} workers: {projected / 60:.1f} min "
          f"({n * t_task / w:.0f} s of plans, {n * t_sched:.0f} s of scheduling, "
          f"{t_startup:.0f} s start-up)")
    if not write:
        return rows
    from readme import write_block

    lines = ["| workers | seconds | scenarios per second | parallel efficiency | t_task (mean) "
             "| T from the model |", "| --- | --- | --- | --- | --- | --- |"]
    for r, modelled in ((one, model_one), (two, model_two)):
        eff = "1 (reference)" if r is one else f"{efficiency:.0%}"
        lines.append(f"| {r['workers']} | {r['seconds']:.0f} | {r['n'] / r['seconds']:.1f} | {eff} "
                     f"| {r['t_task'] * 1e3:.0f} ms | {modelled:.0f} s |")
    lines += ["", f"Model: T = N·t_task/W + N·t_sched + t_startup. The scheduler spends t_sched = "
              f"{t_sched * 1e3:.2f} ms per task (2,000 empty tasks, submitted and collected as "
              f"the sweep does); starting a cluster and making the forecast takes t_startup = "
              f"{t_startup:.1f} s. With each run's own t_task the model gives the measured times "
              f"(last column, start-up left out). With two workers on this machine's 2 cores a "
              f"task took {two['t_task'] / one['t_task']:.2f}x as long as with one (they share "
              f"the cores with each other, the scheduler and the client). Projected with t_task "
              f"of a worker alone on "
              f"the machine ({t_task * 1e3:.0f} ms): {n:,} such scenarios on {w} workers take about "
              f"{projected / 60:.0f} minutes ({n * t_task / w:.0f} s of plans, {n * t_sched:.0f} s "
              f"of scheduling, {t_startup:.0f} s start-up)."]
    write_block("sweep", "\n".join(lines) + "\n")
    return rows


if __name__ == "__main__":
    bench_sweep()
