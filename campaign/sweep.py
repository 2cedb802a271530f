"""`sweep`: many capacity-plan scenarios at once, on a dask.distributed cluster.

A scenario is one schedule's forecast (its mean, a quantile or a sampled path, a queue's
share of it) planned with one set of staffing settings. The fitted model is scattered to
every worker once; each schedule's forecast is made once on the cluster and copied to
every worker; then each scenario is one task that receives the forecast's future and
returns one row. docs/design.md says why dask.distributed and how the time of a large
sweep is projected.
"""

from __future__ import annotations

import contextlib
import logging
import math
import os
import time
import uuid
from collections.abc import Iterator, Mapping
from pathlib import Path

import pandas as pd

from .progress import ProgressBar
from .sweep_spec import SweepSpec, parse_spec, read_spec
from .sweep_task import OUTPUTS, evaluate_scenario, forecast_notes, forecast_schedule

#: Seconds to wait for a scheduler given by its address (dask retries until then).
CONNECT_TIMEOUT_S = 10


def sweep(spec_or_scenarios, *, client=None, scheduler_address: str | None = None,
          n_workers: int | None = None, progress: bool = True) -> pd.DataFrame:
    """Plan every scenario of a sweep spec in parallel; one row per scenario.

    Parameters
    ----------
    spec_or_scenarios : SweepSpec, mapping, str or Path
        A spec (`campaign.sweep_spec.SweepSpec`), the mapping a YAML spec holds (files
        relative to the working folder) or the path of a YAML spec.
    client : distributed.Client, optional
        Run on this client's cluster (left open).
    scheduler_address : str, optional
        Connect to the scheduler at this address (e.g. ``tcp://10.0.0.5:8786``); its
        workers need picco installed.
    n_workers : int, optional
        Without a client or an address: worker processes of the `LocalCluster` started
        for the sweep (one thread each; default one per core).
    progress : bool
        Draw a progress bar on stderr.

    Returns
    -------
    DataFrame
        The scenarios' inputs (`campaign.sweep_grid.scenario_table`) and ``calls``,
        ``peak_agents`` (required), ``temps`` (hired), ``temp_cost``, ``total_cost``,
        ``service_level`` and ``abandon_rate`` (simulated), ``seconds`` (the scenario's
        own time) and ``error`` (empty, or why the scenario has no plan). ``attrs`` holds
        ``workers``, ``seconds`` (wall clock), ``scheduler`` and ``notes`` (schedule ->
        the forecaster's notes on it: unknown channels, GRP beyond the fitted range ...).

    Raises
    ------
    ValueError
        For a spec that does not hold (naming its key), or conflicting cluster options.

    Examples
    --------
    Two service-level targets on the 2009 peak day, on a cluster inside this process:

    >>> from distributed import Client, LocalCluster
    >>> spec = parse_spec({"model": "default_2009", "grid": {"sl_target": [0.8, 0.9]},
    ...                    "window": {"start": "2009-04-20", "end": "2009-04-21"},
    ...                    "settings": {"replications": 1}})
    >>> with (LocalCluster(processes=False, n_workers=1, dashboard_address=None) as cluster,
    ...       Client(cluster) as client):
    ...     out = sweep(spec, client=client, progress=False)
    >>> out["peak_agents"].tolist(), out["error"].tolist()
    ([759, 784], ['', ''])
    """
    if client is not None and scheduler_address is not None:
        raise ValueError("give client or scheduler_address, not both")
    if n_workers is not None and (client is not None or scheduler_address is not None):
        raise ValueError("n_workers is for the local cluster a sweep starts; a given client "
                         "or scheduler_address brings its own workers")
    if n_workers is not None and (isinstance(n_workers, bool) or not isinstance(n_workers, int)
                                  or not 1 <= n_workers <= 1024):
        raise ValueError(f"n_workers must be a whole number of workers from 1 to 1024, got {n_workers!r}")
    spec = _as_spec(spec_or_scenarios)
    clock = time.perf_counter()
    with _client(client, scheduler_address, n_workers) as c:
        rows, notes = _run(c, spec, progress)
        workers = len(c.scheduler_info().get("workers", {}))
        address = c.scheduler.address if c.scheduler is not None else None
    inputs = list(spec.scenarios.columns)
    out = pd.DataFrame(rows).sort_values("scenario", kind="stable").reset_index(drop=True)
    out = out[inputs + [c for c in OUTPUTS if c not in inputs]]
    out.attrs.update(workers=workers, seconds=time.perf_counter() - clock, scheduler=address,
                     notes=notes)
    return out


def _as_spec(value) -> SweepSpec:
    if isinstance(value, SweepSpec):
        return value
    if isinstance(value, (str, Path)):
        return read_spec(value)
    if isinstance(value, Mapping):
        return parse_spec(value)
    raise ValueError(f"spec_or_scenarios must be a SweepSpec, a spec mapping or the path of a "
                     f"YAML spec, got {type(value).__name__}")


@contextlib.contextmanager
def _client(client, address: str | None, n_workers: int | None) -> Iterator:
    """The client to run on: the one given, one connected to ``address``, or a local cluster's."""
    if client is not None:
        yield client
        return
    from distributed import Client, LocalCluster

    if address is not None:
        try:
            remote = Client(address, timeout=f"{CONNECT_TIMEOUT_S}s")
        except (OSError, TimeoutError, ValueError) as exc:
            raise ValueError(f"scheduler_address {address!r}: cannot connect "
                             f"({' '.join(str(exc).split())})") from None
        with remote:
            yield remote
        return
    # One thread per process: a plan is NumPy and HiGHS, which hold the GIL for much of it.
    workers = n_workers or os.cpu_count() or 1
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                      dashboard_address=None, silence_logs=logging.CRITICAL) as cluster, \
            Client(cluster) as local:
        yield local


def _run(client, spec: SweepSpec, progress: bool) -> tuple[list[dict], dict]:
    from distributed import as_completed, wait

    token = uuid.uuid4().hex[:8]  # keys of this sweep, apart from others on a shared cluster
    table = spec.scenarios
    used = list(dict.fromkeys(table["schedule"]))
    quantiles = sorted({float(q[1:]) / 100 for q in table["quantile"].unique() if q != "mean"})
    # A key of its own (hash=False): a model scattered under its content's hash by the
    # previous sweep may still be being released, and the forecasts would lose it.
    [model] = client.scatter([spec.model], broadcast=True, hash=False)
    forecasts = {name: client.submit(forecast_schedule, model, spec.schedules[name], spec.start,
                                     spec.end, spec.freq, quantiles,
                                     key=f"picco-forecast-{token}-{name}")
                 for name in used}
    wait(list(forecasts.values()))
    for future in forecasts.values():
        if future.status == "error":
            raise ValueError(f"forecast of schedule {future.key.split('-', 3)[-1]!r}: "
                             f"{' '.join(str(future.exception()).split())}")
    client.replicate(list(forecasts.values()))  # every worker holds each forecast once
    notes = {name: client.submit(forecast_notes, f, pure=False).result()
             for name, f in forecasts.items()}
    records = table.to_dict("records")
    # One map (one message to the scheduler) and results fetched in batches as they come:
    # a submit and a fetch per scenario cost a round trip each.
    futures = client.map(evaluate_scenario, [_plain(row) for row in records],
                         [forecasts[row["schedule"]] for row in records], [spec.seed] * len(records),
                         key=[f"picco-scenario-{token}-{i}" for i in range(len(records))], pure=False)
    bar = ProgressBar(len(futures), "scenarios") if progress else None
    rows = []
    try:
        for batch in as_completed(futures, with_results=True).batches():
            rows += [result for _, result in batch]
            for future, _ in batch:
                future.release()
            if bar is not None:
                bar.update(len(batch))
    finally:
        if bar is not None:
            bar.close()
    return rows, {name: n for name, n in notes.items() if n}


def _plain(row: dict) -> dict:
    """A row with NumPy scalars and NaN made plain Python (smaller to send, equal to read)."""
    out = {}
    for k, v in row.items():
        v = v.item() if hasattr(v, "item") else v
        out[k] = None if isinstance(v, float) and math.isnan(v) else v
    return out
