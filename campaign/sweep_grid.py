"""The scenarios of a sweep: the whole grid of settings, or a seeded sample of it.

One row per scenario: ``scenario`` (its number), ``schedule``, ``queue`` and ``share``
(when the spec has queues), ``path`` (when it samples forecast paths), then every
staffing setting of `campaign.sweep_settings.SETTINGS`.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping

import numpy as np
import pandas as pd

from .sweep_settings import DEFAULTS, NUMERIC, check_setting

MAX_SCENARIOS = 1_000_000


def scenario_table(schedules: list[str], *, grid=None, settings=None, queues=None, paths=None,
                   sample=None, seed: int = 0) -> pd.DataFrame:
    """Every scenario of the grid (or ``sample`` drawn from it), one row each.

    Parameters
    ----------
    schedules : list of str
        Schedule names; ``grid["schedule"]`` may pick some of them.
    grid : mapping, optional
        Setting -> list of values. With ``sample``, a ``{min, max}`` mapping draws a
        number uniformly.
    settings : mapping, optional
        Setting -> the one value every scenario uses.
    queues : mapping, optional
        Queue name -> ``{share: s, <setting>: value ...}``: each queue gets ``share`` of
        the forecast calls and its own settings.
    paths : int, optional
        Sampled forecast paths per scenario (instead of a ``quantile``).
    sample : int, optional
        Scenarios to draw (each setting independently) instead of the whole grid.
    seed : int
        Seed of the sample.

    Returns
    -------
    DataFrame

    Examples
    --------
    >>> t = scenario_table(["a", "b"], grid={"sl_target": [0.8, 0.9], "quantile": ["mean", 0.9]})
    >>> len(t), list(t.columns[:4]), sorted(t["quantile"].unique())
    (8, ['scenario', 'schedule', 'aht_s', 'sl_target'], ['mean', 'p90'])
    >>> drawn = scenario_table(["a"], grid={"aht_s": {"min": 200, "max": 260}}, sample=3, seed=1)
    >>> drawn["aht_s"].round(1).tolist()
    [230.7, 257.0, 208.6]
    """
    grid = _mapping("grid", grid)
    fixed = _mapping("settings", settings)
    both = set(grid) & set(fixed)
    if both:
        name = sorted(both)[0]
        raise ValueError(f"grid.{name} and settings.{name}: give a setting in one of them, not both")
    base = {**DEFAULTS, **{k: check_setting(f"settings.{k}", k, v) for k, v in fixed.items()}}
    n_paths = _paths(paths)
    if n_paths and ("quantile" in grid or "quantile" in fixed):
        raise ValueError("paths and quantile are two ways to plan for the forecast's "
                         "uncertainty: give one of them")
    axes: dict[str, list] = {"schedule": _schedules(grid.pop("schedule", None), schedules)}
    draws = _sample(sample)
    for name, values in grid.items():
        axes[name] = _axis(name, values, sampled=draws is not None)
    queue_rows = _queues(queues)
    if queue_rows:
        axes["queue"] = list(queue_rows)
    if n_paths:
        axes["path"] = list(range(n_paths))
    if draws is None:
        size = int(np.prod([len(v) for v in axes.values()]))
        if size > MAX_SCENARIOS:
            raise ValueError(f"grid has {size:,} scenarios, more than {MAX_SCENARIOS:,}: use "
                             "sample: N to draw some of them")
        combos: list[dict] = [dict(zip(axes, c, strict=True))
                              for c in itertools.product(*axes.values())]
    else:
        rng = np.random.default_rng(seed)
        combos = [{k: _draw(v, rng) for k, v in axes.items()} for _ in range(draws)]
    rows = []
    for i, combo in enumerate(combos):
        row = {"scenario": i, **{k: combo[k] for k in ("schedule", "queue", "path") if k in combo}}
        row.update(base)
        row.update({k: v for k, v in combo.items() if k not in ("schedule", "queue", "path")})
        if "queue" in combo:
            row.update(queue_rows[combo["queue"]])
        rows.append(row)
    order = ["scenario", "schedule"] + (["queue", "share"] if queue_rows else []) + (
        ["path"] if n_paths else []) + list(DEFAULTS)
    return pd.DataFrame(rows, columns=order)


def _mapping(key: str, value) -> dict:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ValueError(f"{key} must be a mapping of setting to value(s), got {value!r}")
    return dict(value)


def _paths(value) -> int:
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 10_000:
        raise ValueError(f"paths must be a whole number of sampled paths from 1 to 10000, got {value!r}")
    return value


def _sample(value) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_SCENARIOS:
        raise ValueError(f"sample must be a whole number of scenarios from 1 to "
                         f"{MAX_SCENARIOS:,}, got {value!r}")
    return value


def _schedules(value, names: list[str]) -> list[str]:
    if value is None:
        return list(names)
    picked = value if isinstance(value, list) else [value]
    missing = [v for v in picked if v not in names]
    if missing or not picked:
        raise ValueError(f"grid.schedule must list schedules of spots ({', '.join(names)}), "
                         f"got {value!r}")
    return picked


def _axis(name: str, values, *, sampled: bool) -> list:
    key = f"grid.{name}"
    if isinstance(values, Mapping):
        if not sampled:
            raise ValueError(f"{key} is a range {dict(values)!r}: ranges are drawn only with "
                             f"sample: N; list the values to sweep instead")
        if name not in NUMERIC or set(values) != {"min", "max"}:
            raise ValueError(f"{key} as a range must be {{min: a, max: b}} of a numeric setting "
                             f"({', '.join(NUMERIC)}), got {dict(values)!r}")
        low = check_setting(f"{key}.min", name, values["min"])
        high = check_setting(f"{key}.max", name, values["max"])
        if not high >= low:
            raise ValueError(f"{key}.max must be >= {key}.min, got min {low:g} and max {high:g}")
        return [("range", low, high)]
    if not isinstance(values, list) or not values:
        raise ValueError(f"{key} must be a list of values such as [0.8, 0.9], got {values!r}")
    return [check_setting(key, name, v) for v in values]


def _draw(values: list, rng: np.random.Generator):
    if len(values) == 1 and isinstance(values[0], tuple) and values[0][0] == "range":
        return float(rng.uniform(values[0][1], values[0][2]))
    return values[int(rng.integers(len(values)))]


def _queues(value) -> dict[str, dict]:
    if value is None:
        return {}
    if not isinstance(value, Mapping) or not value:
        raise ValueError(f"queues must map queue names to {{share: s, ...}}, got {value!r}")
    out = {}
    for name, queue in value.items():
        key = f"queues.{name}"
        if not isinstance(queue, Mapping) or "share" not in queue:
            raise ValueError(f"{key} must be a mapping with a share of the calls such as "
                             f"{{share: 0.6, aht_s: 300}}, got {queue!r}")
        share = queue["share"]
        if isinstance(share, bool) or not isinstance(share, (int, float)) or not 0 < share <= 1:
            raise ValueError(f"{key}.share must be a share of the calls in (0, 1], got {share!r}")
        if "quantile" in queue:
            raise ValueError(f"{key}.quantile: the forecast quantile is set for all queues (grid "
                             "or settings), not per queue")
        out[str(name)] = {"share": float(share), **{
            k: check_setting(f"{key}.{k}", k, v) for k, v in queue.items() if k != "share"}}
    total = sum(q["share"] for q in out.values())
    if total > 1 + 1e-9:
        raise ValueError(f"queues' shares must add up to at most 1, got {total:g}")
    return out
