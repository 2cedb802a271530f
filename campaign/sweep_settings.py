"""The staffing settings a sweep can vary, each with its check.

A setting's values come from a sweep spec (`campaign.sweep_spec`): one value under
``settings``, a list (or, with ``sample``, a ``{min, max}`` range) under ``grid``. Every
message names the key, the value and what is allowed.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

GOALS = ("interval", "day", "window")
MODELS = ("erlang_a", "erlang_c")
_QUANTILE = re.compile(r"^p(\d{2}(\.\d+)?)$")


def _number(key: str, value, low: float, high: float, *, open_low: bool, open_high: bool,
            allowed: str, whole: bool = False) -> float:
    try:
        x = float(value)
        ok = not isinstance(value, bool) and math.isfinite(x)
    except (TypeError, ValueError):
        x, ok = math.nan, False
    ok = ok and (x > low if open_low else x >= low) and (x < high if open_high else x <= high)
    ok = ok and (not whole or x == int(x))
    if not ok:
        hint = f"; did you mean {x / 100:g}?" if high == 1 and 1 < x <= 100 else ""
        raise ValueError(f"{key} must be {allowed}, got {value!r}{hint}")
    return int(x) if whole else x


def _share(key, value):
    return _number(key, value, 0, 1, open_low=True, open_high=True, allowed="a share in (0, 1) such as 0.8")


def _seconds(key, value):
    return _number(key, value, 0, math.inf, open_low=True, open_high=True,
                   allowed="a number of seconds > 0")


def _target_s(key, value):
    return _number(key, value, 0, math.inf, open_low=False, open_high=True,
                   allowed="a number of seconds >= 0")


def _shrinkage(key, value):
    return _number(key, value, 0, 1, open_low=False, open_high=True,
                   allowed="a share in [0, 1) such as 0.3")


def _cost(key, value):
    return _number(key, value, 0, math.inf, open_low=True, open_high=True,
                   allowed="a cost per hour > 0")


def _agents(key, value):
    return _number(key, value, 0, math.inf, open_low=False, open_high=True, whole=True,
                   allowed="a whole number of agents >= 0")


def _replications(key, value):
    return _number(key, value, 1, 1000, open_low=False, open_high=False, whole=True,
                   allowed="a whole number of simulation runs from 1 to 1000")


def _choice(allowed: tuple[str, ...]) -> Callable:
    def check(key, value):
        if value not in allowed:
            raise ValueError(f"{key} must be one of {', '.join(allowed)}, got {value!r}")
        return value
    return check


def _shifts(key, value) -> str:
    """Shift lengths in hours, as ``"4,6,8"`` (a list such as ``[4, 6, 8]`` is joined).

    Examples
    --------
    >>> _shifts("grid.shifts", [4, 6, 8]), _shifts("settings.shifts", "8")
    ('4,6,8', '8')
    """
    parts = value if isinstance(value, (list, tuple)) else str(value).split(",")
    try:
        hours = [float(p) for p in parts]
    except (TypeError, ValueError):
        hours = []
    if not hours or not all(1 <= h <= 12 for h in hours):
        raise ValueError(f"{key} must be shift lengths in hours from 1 to 12 such as [4, 6, 8] "
                         f"or '4,6,8', got {value!r}")
    return ",".join(f"{h:g}" for h in hours)


def _clock(key, value) -> str:
    text = str(value).strip()
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", text)
    if not match or int(match[1]) > 24 or int(match[2]) > 59:
        raise ValueError(f"{key} must be a time of day such as '08:00', got {value!r}")
    return f"{int(match[1]):02d}:{match[2]}"


def quantile_value(key, value) -> str:
    """``"mean"`` or a forecast quantile column ``pNN``; 0.9 and 90 are read as ``"p90"``.

    Examples
    --------
    >>> quantile_value("grid.quantile", "p90"), quantile_value("grid.quantile", 0.975)
    ('p90', 'p97.5')
    >>> quantile_value("grid.quantile", "high")
    Traceback (most recent call last):
    ...
    ValueError: grid.quantile must be 'mean' or a quantile such as p90 (or 0.9), got 'high'
    """
    if isinstance(value, str) and (value == "mean" or _QUANTILE.match(value)):
        q = 0.5 if value == "mean" else float(value[1:]) / 100
        if 0 < q < 1:
            return value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 < value < 1:
        return f"p{100 * value:02.10g}"
    raise ValueError(f"{key} must be 'mean' or a quantile such as p90 (or 0.9), got {value!r}")


#: Setting name -> its check (key shown in messages, value) -> the value as planned.
SETTINGS: dict[str, Callable] = {
    "aht_s": _seconds, "sl_target": _share, "target_s": _target_s, "patience_s": _seconds,
    "shrinkage": _shrinkage, "service_goal": _choice(GOALS), "model": _choice(MODELS),
    "period": _choice(("5min", "10min", "15min", "30min", "1h")), "shifts": _shifts,
    "open": _clock, "close": _clock, "hourly_cost": _cost, "permanent": _agents,
    "replications": _replications, "quantile": quantile_value,
}
#: What a scenario plans with unless the spec says otherwise (the capacity plan's defaults).
DEFAULTS = {"aht_s": 240.0, "sl_target": 0.8, "target_s": 20.0, "patience_s": 120.0,
            "shrinkage": 0.3, "service_goal": "interval", "model": "erlang_a",
            "period": "15min", "shifts": "4,6,8", "open": "08:00", "close": "18:00",
            "hourly_cost": 25.0, "permanent": 0, "replications": 4, "quantile": "mean"}
#: Settings a ``{min, max}`` range may be drawn for (numbers only).
NUMERIC = ("aht_s", "sl_target", "target_s", "patience_s", "shrinkage", "hourly_cost")


def check_setting(key: str, name: str, value):
    """``value`` of setting ``name`` checked; ``key`` is how the spec spells it."""
    if name not in SETTINGS:
        raise ValueError(f"{key} is not a setting a sweep can vary; allowed: "
                         f"{', '.join(SETTINGS)}")
    return SETTINGS[name](key, value)
