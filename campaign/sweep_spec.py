"""Sweep specs: which schedules, window and staffing settings a scenario sweep covers.

A spec is a YAML file (or the same mapping in Python)::

    model: model.json            # a saved CallForecaster, or default_2009
    spots: [plan_a.csv, plan_b.csv]   # schedules; default_2009 alone may leave them out
    window: {start: 2009-04-20, end: 2009-04-21}
    freq: 5min                   # forecast interval (default 5min)
    settings: {patience_s: 120}  # one value for every scenario
    grid: {sl_target: [0.8, 0.9], aht_s: [220, 240], quantile: [mean, p90]}
    queues: {sales: {share: 0.6, aht_s: 300}, care: {share: 0.4}}   # optional
    paths: 20                    # optional: sampled forecast paths instead of quantiles
    sample: 100                  # optional: draw 100 scenarios instead of the whole grid
    seed: 1

Files are read relative to the spec's folder. Every message names the key, the value and
what is allowed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from forecast import CallForecaster, read_spots

from . import checks
from .sweep_grid import scenario_table

DEFAULT_MODEL = "default_2009"
KEYS = ("model", "spots", "window", "freq", "settings", "grid", "queues", "paths", "sample",
        "seed")
FREQS = ("1min", "5min", "10min", "15min", "30min")


@dataclass(frozen=True)
class SweepSpec:
    """A sweep ready to run: the model, the schedules, the window and the scenarios.

    Attributes
    ----------
    model : CallForecaster
        The fitted forecaster every schedule is forecast with.
    schedules : dict of str to DataFrame
        Spot schedules by name (a file's stem).
    start, end : Timestamp
        The window planned, end exclusive, in the model's zone.
    freq : str
        Interval of the forecasts.
    scenarios : DataFrame
        One row per scenario (`campaign.sweep_grid.scenario_table`).
    seed : int
        Seed of the sampled paths (and of the sample drawn).
    """

    model: CallForecaster
    schedules: dict
    start: pd.Timestamp
    end: pd.Timestamp
    freq: str
    scenarios: pd.DataFrame
    seed: int = 0


def read_spec(path: str | Path) -> SweepSpec:
    """Read a YAML sweep spec; files it names are read relative to its folder."""
    import yaml

    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ValueError(f"spec {str(path)!r}: cannot read it ({exc.strerror or exc})") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ValueError(f"spec {str(path)!r}: not valid YAML ({' '.join(str(exc).split())})") from None
    return parse_spec(data, base=path.parent)


def parse_spec(data, base: str | Path = ".") -> SweepSpec:
    """Check a spec mapping and load what it names.

    Examples
    --------
    >>> parse_spec({"window": {"start": "2009-04-20"}})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: window must have start and end, e.g. {start: 2009-04-20, ...}, got {'start': '2009-04-20'}
    >>> parse_spec({"model": "default_2009", "window": {"start": "2009-04-20", "end": "2009-04-21"},
    ...             "grid": {"sl_target": [0.8, 80]}})
    Traceback (most recent call last):
    ...
    ValueError: grid.sl_target must be a share in (0, 1) such as 0.8, got 80; did you mean 0.8?
    """
    if not isinstance(data, Mapping):
        raise ValueError(f"a spec must be a mapping of keys ({', '.join(KEYS)}), got "
                         f"{type(data).__name__}")
    unknown = [k for k in data if k not in KEYS]
    if unknown:
        raise ValueError(f"{unknown[0]} is not a spec key; allowed: {', '.join(KEYS)}")
    window = data.get("window")
    if not isinstance(window, Mapping) or not {"start", "end"} <= set(window):
        raise ValueError(f"window must have start and end, e.g. {{start: 2009-04-20, end: "
                         f"2009-04-21}}, got {window!r}")
    freq = data.get("freq", "5min")
    if freq not in FREQS:
        raise ValueError(f"freq must be one of {', '.join(FREQS)}, got {freq!r}")
    seed = data.get("seed", 0)
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed must be a whole number >= 0, got {seed!r}")
    # Settings first: a mistake there is cheaper to report than after loading the model.
    base = Path(base)
    spots_given = data.get("spots")
    names = _schedule_names(spots_given, data.get("model", DEFAULT_MODEL))
    table = scenario_table(names, grid=data.get("grid"), settings=data.get("settings"),
                           queues=data.get("queues"), paths=data.get("paths"),
                           sample=data.get("sample"), seed=seed)
    model, schedules = _load(data.get("model", DEFAULT_MODEL), spots_given, base)
    start = checks.time("window.start", str(window["start"]), model.tz)
    end = checks.time("window.end", str(window["end"]), model.tz)
    if not end > start:
        raise ValueError(f"window.end must be after window.start, got start {start} and end {end}")
    return SweepSpec(model=model, schedules=schedules, start=start, end=end, freq=freq,
                     scenarios=table, seed=seed)


def _schedule_names(spots, model) -> list[str]:
    if spots is None:
        if model != DEFAULT_MODEL:
            raise ValueError(f"spots must list one or more schedule files (CSV/Excel) when the "
                             f"model is not {DEFAULT_MODEL}, got none")
        return ["2009"]
    if isinstance(spots, str):
        spots = [spots]
    if not isinstance(spots, list) or not spots or not all(isinstance(s, str) for s in spots):
        raise ValueError(f"spots must be a list of schedule files (CSV/Excel), got {spots!r}")
    names = [Path(s).stem for s in spots]
    if len(set(names)) < len(names):
        raise ValueError(f"spots must name files with different names (a schedule is known by "
                         f"its file's stem), got {spots!r}")
    return names


def _load(model_key, spots, base: Path) -> tuple[CallForecaster, dict]:
    if not isinstance(model_key, str) or not model_key:
        raise ValueError(f"model must be a saved model file (JSON) or {DEFAULT_MODEL}, got {model_key!r}")
    if model_key == DEFAULT_MODEL:
        model, default_spots = default_2009()
    else:
        path = base / model_key
        try:
            model = CallForecaster.load(path)
        except (OSError, KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"model {model_key!r}: cannot read a saved model "
                             f"({' '.join(str(exc).split())})") from None
        default_spots = None
    if spots is None:
        return model, {"2009": default_spots}
    schedules = {}
    for name in [spots] if isinstance(spots, str) else spots:
        try:
            schedules[Path(name).stem] = read_spots(base / name, tz=model.tz)
        except (OSError, ValueError) as exc:
            raise ValueError(f"spots {name!r}: {' '.join(str(exc).split())}") from None
    return model, schedules


def default_2009() -> tuple[CallForecaster, pd.DataFrame]:
    """The 2009 scenario's model and schedule, fitted as the app's shipped file is."""
    from forecast import load_scenario

    sc = load_scenario("bonus_elettrico_2009")
    model = CallForecaster(holidays_closed=True).fit(sc.history, sc.spots)
    return model, sc.spots[["start", "channel", "grp"]]
