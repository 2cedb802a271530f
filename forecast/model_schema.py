"""The schema of a saved model: what a hand-edited file must still hold to be loaded.

A model file is JSON a planner may open and edit. Every field is checked on load, so an
edit that would make forecasts negative, NaN or of the wrong length is refused with the
field and the value, instead of failing deep inside a forecast (or, worse, not failing).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable

import pandas as pd

from .baseline import N_TYPES, BaselineConfig
from .campaign import MAX_DAY_REL_SD, CampaignResponse
from .growth import MAX_DRIFT_PER_DAY as MAX_DRIFT
from .zones import check_zone, resolve_country

#: Top-level fields: required, then optional (files written before they existed lack them).
REQUIRED = ("format", "tz", "country", "fit_saturation", "baseline_config", "baseline",
            "response", "history_end", "spots")
OPTIONAL = ("holidays_closed", "calendar")
BASELINE_REQUIRED = ("interval_s", "level", "day_factor", "profile", "dispersion",
                     "level_rel_sd", "slot_s")
BASELINE_OPTIONAL = ("level_day", "level_deviation", "level_phi_per_day", "level_drift_per_day",
                     "level_var_by_days",
                     "yearly_coef", "dispersion_by_slots", "dispersion_shape", "after_closure",
                     "open_weekdays",
                     "closed_days", "last_day", "special_days", "info")
SECONDS_PER_DAY = 86400


def _is_number(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def _fail(field: str, allowed: str, value) -> ValueError:
    shown = repr(value)
    return ValueError(f"{field} must be {allowed}, got {shown[:60] + '...' if len(shown) > 60 else shown}")


def _number(field: str, value, low: float | None = None, *, above: bool = False,
            high: float | None = None) -> float:
    allowed = "a finite number" + (f" {'>' if above else '>='} {low:g}" if low is not None else "") \
        + (f" and < {high:g}" if high is not None else "")
    if not _is_number(value) or (low is not None and (value <= low if above else value < low)) \
            or (high is not None and value >= high):
        raise _fail(field, allowed, value)
    return float(value)


def _fields(field: str, data, required: tuple, optional: tuple) -> dict:
    if not isinstance(data, dict):
        raise _fail(field, "an object", data)
    missing = [k for k in required if k not in data]
    if missing:
        raise ValueError(f"{field} is incomplete or damaged: it lacks the field(s) {missing}")
    unknown = sorted(set(data) - set(required) - set(optional))
    if unknown:
        raise ValueError(f"{field} has unknown field(s) {unknown}; known: "
                         f"{', '.join(required + optional)}")
    return data


def _row(field: str, value, length: int, item: Callable[[str, object], None]) -> None:
    if not isinstance(value, list) or len(value) != length:
        got = f"{len(value)} values" if isinstance(value, list) else repr(value)[:40]
        raise ValueError(f"{field} must be a list of {length} values, got {got}")
    for i, x in enumerate(value):
        item(f"{field}[{i}]", x)


def _share(field: str, x) -> None:  # null: a day type never seen
    if x is not None:
        _number(field, x, 0)


def _pairs(field: str, value, first_low: int) -> None:
    if not isinstance(value, list):
        raise _fail(field, "a list of [number, number] pairs", value)
    for i, pair in enumerate(value):
        if not isinstance(pair, list) or len(pair) != 2:
            raise _fail(f"{field}[{i}]", "a pair [number, number]", pair)
        _number(f"{field}[{i}][0]", pair[0], first_low)
        _number(f"{field}[{i}][1]", pair[1], 0)


def check_baseline(data) -> None:
    """Check the ``baseline`` object of a model file.

    Examples
    --------
    >>> check_baseline({"interval_s": 900, "level": -5, "day_factor": [1] * 8,
    ...                 "profile": [[1 / 96] * 96] * 8, "dispersion": 0.1,
    ...                 "level_rel_sd": 0.05, "slot_s": 900})
    Traceback (most recent call last):
    ...
    ValueError: baseline.level must be a finite number >= 0, got -5
    """
    b = _fields("baseline", data, BASELINE_REQUIRED, BASELINE_OPTIONAL)
    slot_s = _number("baseline.slot_s", b["slot_s"], 0, above=True)
    if slot_s > SECONDS_PER_DAY or (SECONDS_PER_DAY / slot_s) % 1:
        raise _fail("baseline.slot_s", f"a number of seconds that divides a day ({SECONDS_PER_DAY})",
                    b["slot_s"])
    _number("baseline.interval_s", b["interval_s"], 0, above=True)
    for name in ("level", "dispersion", "level_rel_sd"):
        _number(f"baseline.{name}", b[name], 0)
    _row("baseline.day_factor", b["day_factor"], N_TYPES, _share)
    slots = round(SECONDS_PER_DAY / slot_s)
    _row("baseline.profile", b["profile"], N_TYPES,
         lambda field, row: _row(field, row, slots, _share))
    for name in ("level_day", "last_day"):
        _day_number(f"baseline.{name}", b.get(name), nullable=True)
    if "after_closure" in b:
        _number("baseline.after_closure", b["after_closure"], -1, above=True)
    weekdays = b.get("open_weekdays", [])
    _row("baseline.open_weekdays", weekdays, len(weekdays) if isinstance(weekdays, list) else -1,
         lambda field, x: _whole(field, x, 0, 6))
    closed = b.get("closed_days", [])
    _row("baseline.closed_days", closed, len(closed) if isinstance(closed, list) else -1,
         _day_number)
    if "level_deviation" in b:
        _number("baseline.level_deviation", b["level_deviation"])
    if "level_phi_per_day" in b:
        _number("baseline.level_phi_per_day", b["level_phi_per_day"], 0, high=1)
    if "level_drift_per_day" in b:  # a doubling or halving a year at most
        if abs(_number("baseline.level_drift_per_day", b["level_drift_per_day"])) > MAX_DRIFT:
            raise _fail("baseline.level_drift_per_day", f"between -{MAX_DRIFT:.4f} and "
                        f"{MAX_DRIFT:.4f} (log growth a day)", b["level_drift_per_day"])
    _pairs("baseline.level_var_by_days", b.get("level_var_by_days", []), 0)
    _pairs("baseline.dispersion_by_slots", b.get("dispersion_by_slots", []), 1)
    shape = b.get("dispersion_shape", [])
    if shape != []:
        _row("baseline.dispersion_shape", shape, slots, lambda field, x: _number(field, x, 0))
    coef = b.get("yearly_coef", [])
    _row("baseline.yearly_coef", coef, len(coef) if isinstance(coef, list) else -1,
         lambda field, x: _number(field, x))
    special = b.get("special_days", [])
    _row("baseline.special_days", special, len(special) if isinstance(special, list) else -1,
         _special_day)
    if not isinstance(b.get("info", {}), dict):
        raise _fail("baseline.info", "an object", b["info"])


def _special_day(field: str, pair) -> None:
    """``["MM-DD", log factor]``: a real calendar date and a factor from 1/20 to 20."""
    ok = isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], str)
    if ok:
        try:
            dt.date(2000, int(pair[0][:2]), int(pair[0][3:]))  # 2000: 29 February exists
            ok = len(pair[0]) == 5 and pair[0][2] == "-"
        except ValueError:
            ok = False
    if not ok:
        raise _fail(field, 'a pair ["MM-DD", log factor] of a calendar date', pair)
    _number(f"{field}[1]", pair[1], -3.0, high=3.0)


def _day_number(field: str, value, nullable: bool = False) -> None:
    if nullable and value is None:
        return
    if not isinstance(value, int) or isinstance(value, bool):
        raise _fail(field, "a whole number of days since 1970-01-01" + " or null" * nullable, value)


def _whole(field: str, value, low: int, high: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise _fail(field, f"a whole number from {low} to {high}", value)


def _matrix(field: str, value, size: int) -> None:
    if value is None:
        return
    _row(field, value, size, lambda f, row: _row(f, row, size, lambda g, x: (
        None if x is None else _number(g, x))))


def check_response(data) -> None:
    """Check the ``response`` object of a model file (values: `CampaignResponse` checks them).

    Examples
    --------
    >>> check_response({"channels": ["Rai 1"], "covariance": [[1.0]]})
    Traceback (most recent call last):
    ...
    ValueError: response.covariance must be a list of 2 values, got 1 values
    """
    fields = tuple(CampaignResponse.__dataclass_fields__)
    r = _fields("response", data, (), fields)
    for name in ("calls_per_grp", "lift_per_grp", "unrated_grp"):
        table = r.get(name, {})
        if not isinstance(table, dict):
            raise _fail(f"response.{name}", "an object of channel: number", table)
        for ch, value in table.items():
            _number(f"response.{name}[{ch!r}]", value, 0)
    for name in ("fast_half_life_min", "slow_half_life_days"):
        if name in r:
            _number(f"response.{name}", r[name], 0, above=True)
    if r.get("saturation_grp") is not None:  # null: no saturation
        _number("response.saturation_grp", r["saturation_grp"], 0, above=True)
    if "fast_rise_min" in r:
        _number("response.fast_rise_min", r["fast_rise_min"], 0)
    if "carryover_mix" in r:
        _number("response.carryover_mix", r["carryover_mix"], 0, high=1 + 1e-12)
    if "day_rel_sd" in r:
        _number("response.day_rel_sd", r["day_rel_sd"], 0, high=MAX_DAY_REL_SD)
    channels, shapes = r.get("channels", []), r.get("shape_names", [])
    for name, value in (("channels", channels), ("shape_names", shapes)):
        if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
            raise _fail(f"response.{name}", "a list of names", value)
    _matrix("response.covariance", r.get("covariance"), 2 * len(channels))
    _matrix("response.shape_covariance", r.get("shape_covariance"), len(shapes))


def check_model(data) -> None:
    """Check a model file's content; the message names the field and the value.

    Raises
    ------
    ValueError
        For a missing or unknown field, or a value of the wrong kind, sign or length.
    """
    d = _fields("the file", data, REQUIRED, OPTIONAL)
    for name in ("tz", "history_end"):
        if not isinstance(d[name], str):
            raise _fail(name, "a text", d[name])
    check_zone(d["tz"])
    if d["country"] is not None:
        if not isinstance(d["country"], str):
            raise _fail("country", "a holidays code such as 'IT', or null", d["country"])
        resolve_country(d["country"], d["tz"])
    try:
        end = pd.Timestamp(d["history_end"])
    except ValueError:
        end = None
    if end is None or end.tz is None:
        raise _fail("history_end", "a time with its UTC offset such as "
                    "'2024-02-05T00:00:00+01:00'", d["history_end"])
    if not isinstance(d["fit_saturation"], bool):
        raise _fail("fit_saturation", "true or false", d["fit_saturation"])
    if d.get("holidays_closed") not in (None, True, False):
        raise _fail("holidays_closed", "true, false or null", d["holidays_closed"])
    config = _fields("baseline_config", d["baseline_config"], (),
                     tuple(BaselineConfig.__dataclass_fields__))
    try:
        BaselineConfig(**config)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"baseline_config: {exc}") from None
    check_baseline(d["baseline"])
    check_response(d["response"])
    if not isinstance(d["spots"], list):
        raise _fail("spots", "a list of airings", d["spots"])
    if d.get("calendar") is not None and not isinstance(d["calendar"], dict):
        raise _fail("calendar", "an object", d["calendar"])
