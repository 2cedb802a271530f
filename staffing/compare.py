"""Capacity plans side by side: their figures, each one's difference from the first, and inputs.

`compare_table` and `daily_difference` keep raw numbers (for tests and export);
`format_compare` and `scenario_inputs` give the text a reader sees, with units, and
"-" where a value is missing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from .capacity import CapacityPlan

UNIT = "unit"
SHARE = "share"  # a fraction of calls: 0.8 is 80 %; differences are shown in percentage points
DATE = "date"
SECONDS = "s"
COUNTS = ("calls", "agents", "temps", "days", "hours")
MONEY = "money"  # stands for the plans' currency (empty if none says), which replaces it
# Row label, summary key, unit.
ROWS = (
    ("Total cost", "total_cost", MONEY),
    ("Cost of temps", "temp_cost", MONEY),
    ("Cost of the permanent team", "permanent_cost", MONEY),
    ("Service level", "service_level", SHARE),
    ("Service level ± (95 %)", "service_level_ci", SHARE),
    ("Worst day's service level", "worst_day_service_level", SHARE),
    ("Days below target", "days_below_target", "days"),
    ("Abandonment rate", "abandon_rate", SHARE),
    ("Abandoned calls", "abandoned_calls", "calls"),
    ("Average speed of answer", "asa_s", SECONDS),
    ("Calls offered", "calls", "calls"),
    ("Peak agents required", "peak_agents", "agents"),
    ("Peak agents on the phones", "peak_on_phones", "agents"),
    ("Temps hired", "temps_hired", "temps"),
    ("Temps' first working day", "first_day", DATE),
    ("Temps' last working day", "last_day", DATE),
    ("Temp hours on shifts", "temp_shift_hours", "hours"),
    ("Uncovered agent-hours", "uncovered_agent_hours", "hours"),
)
# Two simulation margins do not subtract into the margin of the difference, so that row
# gets none rather than a misleading one.
_NO_DIFFERENCE = frozenset({"service_level_ci"})
# Per-day measures of `daily_difference`: name (with the unit), daily column, scale.
_DAILY = (("Cost ({currency})", "cost", 1.0), ("Service level (pts)", "service_level", 100.0))
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def difference_column(name: str, first: str) -> str:
    """Name of the column holding scenario ``name`` minus scenario ``first``.

    Examples
    --------
    >>> difference_column("Day goal", "Interval goal")
    'Day goal vs Interval goal'
    """
    return f"{name} vs {first}"


def compare_table(plans: Mapping[str, CapacityPlan]) -> pd.DataFrame:
    """The plans' cost and service side by side, and each one minus the first.

    Parameters
    ----------
    plans : mapping of str to CapacityPlan
        Scenarios by name, the reference first. Every plan must state costs in the
        same currency.

    Returns
    -------
    DataFrame
        One row per figure, labelled in plain English (`ROWS`); column ``unit``
        (``"share"`` for fractions of calls, ``"s"``, ``"date"``, a count such as
        ``"calls"``, or the currency), one column of raw values per scenario (missing
        ones NaN or NaT) and one per later scenario, named by `difference_column`, with
        it minus the first (dates in days; fractions as fractions). The uncertainty
        row has no difference.

    Examples
    --------
    >>> from staffing.capacity import CapacityPlan
    >>> a = CapacityPlan(pd.DataFrame(), None, summary={
    ...     "total_cost": 864_450.0, "service_level": 0.964, "currency": "EUR"})
    >>> b = CapacityPlan(pd.DataFrame(), None, summary={
    ...     "total_cost": 569_600.0, "service_level": 0.834, "currency": "EUR"})
    >>> table = compare_table({"Interval goal": a, "Day goal": b})
    >>> list(table.columns)
    ['unit', 'Interval goal', 'Day goal', 'Day goal vs Interval goal']
    >>> table.loc["Total cost", "unit"], table.loc["Total cost", "Day goal"]
    ('EUR', 569600.0)
    >>> round(float(table.loc["Service level", "Day goal vs Interval goal"]), 3)
    -0.13
    """
    names = _names(plans)
    summaries = {name: _summary(name, plans[name]) for name in names}
    currency = _currency(summaries)
    first = names[0]
    rows = []
    for _, key, unit in ROWS:
        values = {name: _raw(name, key, summaries[name].get(key), unit) for name in names}
        row: dict[str, Any] = {UNIT: currency if unit == MONEY else unit, **values}
        for name in names[1:]:
            row[difference_column(name, first)] = (
                np.nan if key in _NO_DIFFERENCE else _minus(values[name], values[first], unit))
        rows.append(row)
    table = pd.DataFrame(rows, index=pd.Index([label for label, _, _ in ROWS], name="measure"))
    for name in names:
        # Object columns keep whole numbers whole and dates as dates next to the floats.
        table[name] = table[name].astype(object)
    return table


def format_compare(table: pd.DataFrame) -> pd.DataFrame:
    """`compare_table` as text: thousands separators, percentages, signed differences, units.

    Values carry their unit ("864,450 EUR", "96.4%", "1.4 s", "877 temps",
    "Tue 14/04/2009"); differences carry a sign and theirs ("-294,850 EUR",
    "-13.0 pts" for percentage points, "+2 days"); a missing value is "-".

    Examples
    --------
    >>> from staffing.capacity import CapacityPlan
    >>> a = CapacityPlan(pd.DataFrame(), None, summary={
    ...     "total_cost": 864_450.0, "service_level": 0.964, "currency": "EUR",
    ...     "temps_hired": 877, "first_day": "2009-04-14"})
    >>> b = CapacityPlan(pd.DataFrame(), None, summary={
    ...     "total_cost": 569_600.0, "service_level": 0.834, "currency": "EUR",
    ...     "temps_hired": 1, "first_day": None})
    >>> text = format_compare(compare_table({"A": a, "B": b}))
    >>> text.loc[["Total cost", "Service level", "Temps hired", "Temps' first working day"]]
                                           A            B        B vs A
    Total cost                   864,450 EUR  569,600 EUR  -294,850 EUR
    Service level                      96.4%        83.4%     -13.0 pts
    Temps hired                    877 temps       1 temp    -876 temps
    Temps' first working day  Tue 14/04/2009            -             -
    """
    if UNIT not in table.columns:
        raise ValueError(f"table must come from compare_table, with a {UNIT!r} column; "
                         f"its columns are {list(table.columns)}")
    names = [c for c in table.columns if c != UNIT]
    first = names[0] if names else None
    differences = {c for c in names if first is not None and any(
        c == difference_column(n, first) for n in names)}
    out = pd.DataFrame(index=table.index.rename(None), columns=names, dtype=object)
    for label, row in table.iterrows():
        unit = str(row[UNIT])
        for column in names:
            out.loc[label, column] = (_signed_text(row[column], unit) if column in differences
                                      else _text(row[column], unit))
    return out


def daily_difference(plans: Mapping[str, CapacityPlan]) -> pd.DataFrame:
    """Per day, each scenario's cost and service level minus the first's.

    Only days both plans cover are compared; a day's service level only where both
    have calls that day (a day without calls has no service level to compare).

    Parameters
    ----------
    plans : mapping of str to CapacityPlan
        Scenarios by name, the reference first (their ``daily`` frames).

    Returns
    -------
    DataFrame
        Long format, columns ``day`` (as in the plans' ``daily`` index), ``scenario``
        (the later scenario's name), ``measure`` (with its unit: ``"Cost (EUR)"``,
        ``"Service level (pts)"`` in percentage points) and ``difference``. Empty with
        those columns for a single scenario.

    Examples
    --------
    >>> from staffing.capacity import CapacityPlan
    >>> days = pd.date_range("2009-04-20", periods=2, freq="D", tz="Europe/Rome", name="day")
    >>> def plan(cost, sl):
    ...     daily = pd.DataFrame({"calls": [900.0, 0.0], "service_level": [sl, 1.0],
    ...                           "cost": cost}, index=days)
    ...     return CapacityPlan(pd.DataFrame(), None, summary={"currency": "EUR"}, daily=daily)
    >>> daily_difference({"A": plan([5000.0, 0.0], 0.90), "B": plan([4200.0, 0.0], 0.85)})
                            day scenario              measure  difference
    0 2009-04-20 00:00:00+02:00        B           Cost (EUR)      -800.0
    1 2009-04-21 00:00:00+02:00        B           Cost (EUR)         0.0
    2 2009-04-20 00:00:00+02:00        B  Service level (pts)        -5.0
    """
    names = _names(plans)
    currency = _currency({name: _summary(name, plans[name]) for name in names})
    first = names[0]
    base = _daily(first, plans[first])
    frames = []
    for name in names[1:]:
        other = _daily(name, plans[name])
        days = base.index.intersection(other.index)
        a, b = base.loc[days], other.loc[days]
        busy = ((a["calls"] > 0) & (b["calls"] > 0)).to_numpy()
        for measure, column, scale in _DAILY:
            keep = busy if column == "service_level" else np.ones(len(days), dtype=bool)
            diff = (b[column].to_numpy(float) - a[column].to_numpy(float)) * scale
            frames.append(pd.DataFrame({"day": days[keep], "scenario": name,
                                        "measure": measure.format(currency=currency)
                                        .replace(" ()", ""),
                                        "difference": diff[keep]}))
    columns = ["day", "scenario", "measure", "difference"]
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)[columns]


def scenario_inputs(settings: Mapping | None, shifts: Mapping | None = None,
                    airings: int | None = None, *, aht_s: float | None = None,
                    window: tuple | None = None,
                    forecast_model: str | None = None) -> pd.DataFrame:
    """What a scenario was planned with, in words, for the inputs table.

    Parameters
    ----------
    settings : mapping
        The plan's settings: keys of `staffing.capacity.capacity_plan` (``sl_target``,
        ``target_s``, ``service_goal``, ``model``, ``patience_s``, ``method``,
        ``shrinkage``, ``staff_to``, ``quantile``, ``max_occupancy``, ``max_abandon``,
        ``sl_floor``, ``period``), e.g. ``CapacityPlan.settings``.
    shifts : mapping, optional
        Shifts and terms: ``lengths`` (hours), ``open``, ``close``, ``working_days``
        (Monday = 0), ``temp_cost``, ``currency``, ``training_days``,
        ``lead_time_days``, ``min_contract_hours``, ``under_penalty``, ``permanent``
        (agents), ``permanent_start``, ``permanent_end``, ``permanent_cost``.
    airings : int, optional
        TV airings in the schedule.
    aht_s : float, optional
        Average handling time in seconds.
    window : (date, date), optional
        First and last day planned.
    forecast_model : str, optional
        Name of the forecast model the calls came from.

    Returns
    -------
    DataFrame
        Index: the input in plain English; column ``value``: text, "-" where the
        scenario does not say. An option left off reads as such ("no cap", "none").

    Examples
    --------
    >>> settings = {"sl_target": 0.8, "target_s": 20.0, "service_goal": "day",
    ...             "model": "erlang_a", "patience_s": 120.0, "max_occupancy": None}
    >>> shifts = {"lengths": (4, 6, 8), "open": "08:00", "close": "18:00",
    ...           "working_days": (0, 1, 2, 3, 4, 5), "permanent": 0}
    >>> table = scenario_inputs(settings, shifts, airings=212, aht_s=240)
    >>> table.loc[["Service level target", "Service goal", "Queue model",
    ...            "Maximum occupancy", "Shrinkage", "Shifts", "Working days",
    ...            "Permanent team", "TV airings"], "value"].to_list()
    ['80% of calls answered within 20 s', 'each day', 'Erlang A (mean patience 120 s)', \
'no cap', '-', '4, 6 or 8 hours between 08:00 and 18:00', 'Mon to Sat', 'none', '212']
    """
    s = dict(settings or {})
    h = dict(shifts or {})
    currency = h.get("currency") or ""
    rows = {
        "Planning window": _window(window),
        "Forecast model": _or_dash(forecast_model, str),
        "TV airings": _or_dash(airings, lambda n: f"{_int('airings', n):,}"),
        "Service level target": _target(s),
        "Service goal": _goal(s),
        "Service level floor per period": _or_dash_key(s, "sl_floor", _percent, off="none"),
        "Queue model": _queue_model(s),
        "Time-varying load": _choice_text(s, "method", {"mol": "MOL (peaks within the period)",
                                                        "sipp": "SIPP (period average)"}),
        "Staff to": _staff_to(s),
        "Average handling time": _or_dash(aht_s, lambda x: f"{_number('aht_s', x):g} s"),
        "Shrinkage": _or_dash_key(s, "shrinkage", _percent),
        "Maximum occupancy": _or_dash_key(s, "max_occupancy", _percent, off="no cap"),
        "Maximum abandonment": _or_dash_key(s, "max_abandon", _percent, off="no target"),
        "Shifts": _shifts(h),
        "Working days": _or_dash_key(h, "working_days", _weekdays),
        "Temp cost": _or_dash_key(h, "temp_cost", lambda x: f"{x:,.2f} {currency} per hour"
                                  .replace("  ", " ")),
        "Temp training (paid)": _or_dash_key(h, "training_days", lambda n: _plural(n, "day"),
                                             off="none", zero_is_off=True),
        "Hiring lead time": _or_dash_key(h, "lead_time_days",
                                         lambda n: _plural(n, "working day")),
        "Minimum paid hours per temp": _or_dash_key(h, "min_contract_hours",
                                                    lambda x: _plural(x, "hour"), off="none",
                                                    zero_is_off=True),
        "Penalty per uncovered hour": _or_dash_key(
            h, "under_penalty", lambda x: f"{x:,.0f} {currency}".strip()),
        "Permanent team": _permanent(h, currency),
    }
    return pd.DataFrame({"value": rows}).rename_axis("input")


# Checks ----------------------------------------------------------------------------------


def _names(plans: Mapping) -> list[str]:
    if not isinstance(plans, Mapping) or not plans:
        raise ValueError(f"plans must be a non-empty mapping of scenario names to capacity "
                         f"plans, got {plans!r}")
    names = list(plans)
    for name in names:
        if not isinstance(name, str) or not name.strip():
            raise ValueError(f"plans must be named by non-empty text, got the name {name!r}")
        if name == UNIT:
            raise ValueError(f"plans cannot hold a scenario named {UNIT!r}: the table's unit "
                             "column has that name")
        clash = [n for n in names[1:] if difference_column(n, names[0]) == name]
        if clash:
            raise ValueError(f"plans cannot hold a scenario named {name!r}: it is the name of "
                             f"the column of {clash[0]!r} minus {names[0]!r}; rename it")
    return names


def _summary(name: str, plan) -> Mapping:
    summary = getattr(plan, "summary", None)
    if not isinstance(summary, Mapping):
        raise ValueError(f"plans[{name!r}] must be a CapacityPlan (with a summary), "
                         f"got {type(plan).__name__}")
    return summary


def _daily(name: str, plan) -> pd.DataFrame:
    daily = getattr(plan, "daily", None)
    need = {column for _, column, _ in _DAILY} | {"calls"}
    if not isinstance(daily, pd.DataFrame) or not need <= set(daily.columns):
        have = list(daily.columns) if isinstance(daily, pd.DataFrame) else type(daily).__name__
        raise ValueError(f"plans[{name!r}] must have a daily frame with columns "
                         f"{sorted(need)}, got {have}")
    return daily


def _currency(summaries: Mapping[str, Mapping]) -> str:
    found = {name: s.get("currency") for name, s in summaries.items() if s.get("currency")}
    if len(set(found.values())) > 1:
        raise ValueError(f"currency must be the same in every plan to compare costs, "
                         f"got {found}")
    return str(next(iter(found.values()), ""))


def _missing(value) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _raw(name: str, key: str, value, unit: str):
    """A summary value as the table keeps it: a number, a Timestamp, NaN or NaT."""
    if unit == DATE:
        if _missing(value):
            return pd.NaT
        try:
            return pd.Timestamp(value)
        except (TypeError, ValueError):
            raise ValueError(f"plans[{name!r}].summary[{key!r}] must be a date, "
                             f"got {value!r}") from None
    if _missing(value):
        return np.nan
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.number)):
        raise ValueError(f"plans[{name!r}].summary[{key!r}] must be a number, got {value!r}")
    return value


def _minus(value, first, unit: str) -> float:
    if _missing(value) or _missing(first):
        return np.nan
    if unit == DATE:
        return float((value - first).days)
    return float(value - first)


def _int(name: str, value) -> int:
    number = _number(name, value)
    if number != int(number):
        raise ValueError(f"{name} must be a whole number, got {value!r}")
    return int(number)


def _number(name: str, value) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, got {value!r}") from None
    if not np.isfinite(number):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return number


# Text ------------------------------------------------------------------------------------


def _round(value: float, decimals: int, signed: bool) -> str:
    shown = round(float(value), decimals) + 0.0  # + 0.0 turns -0.0 into 0.0: no "-0"
    sign = "+" if signed and shown != 0 else ""
    return f"{shown:{sign},.{decimals}f}"


def _plural(value: float, unit: str, signed: bool = False) -> str:
    """``value`` with ``unit``, singular for one: "1 day", "+3 days", "0 hours"."""
    text = _round(value, 0, signed)
    one = text.lstrip("+-") == "1"
    return f"{text} {unit if one else unit + 's'}"


def _text(value, unit: str) -> str:
    if _missing(value):
        return "-"
    if unit == SHARE:
        return f"{_round(100 * value, 1, False)}%"
    if unit == DATE:
        return pd.Timestamp(value).strftime("%a %d/%m/%Y")
    if unit == SECONDS:
        return f"{_round(value, 1, False)} s"
    if unit in COUNTS:
        return _plural(value, unit[:-1])
    return f"{_round(value, 0, False)} {unit}".strip()


def _signed_text(value, unit: str) -> str:
    if _missing(value):
        return "-"
    if unit == SHARE:
        return f"{_round(100 * value, 1, True)} pts"
    if unit == DATE:
        return _plural(value, "day", signed=True)
    if unit == SECONDS:
        return f"{_round(value, 1, True)} s"
    if unit in COUNTS:
        return _plural(value, unit[:-1], signed=True)
    return f"{_round(value, 0, True)} {unit}".strip()


def _percent(value) -> str:
    return f"{round(100 * float(value), 1):g}%"


def _or_dash(value, text) -> str:
    return "-" if _missing(value) else text(value)


def _or_dash_key(d: Mapping, key: str, text, off: str | None = None,
                 zero_is_off: bool = False) -> str:
    """``d[key]`` as text: "-" if absent, ``off`` if None (or 0 with ``zero_is_off``)."""
    if key not in d:
        return "-"
    value = d[key]
    if value is None or (zero_is_off and value == 0):
        return off if off is not None else "-"
    return text(_number(key, value) if not isinstance(value, (tuple, list)) else value)


def _choice_text(d: Mapping, key: str, words: Mapping[str, str]) -> str:
    if d.get(key) is None:
        return "-"
    if d[key] not in words:
        options = ", ".join(repr(k) for k in words)
        raise ValueError(f"settings[{key!r}] must be one of {options}, got {d[key]!r}")
    return words[d[key]]


def _target(s: Mapping) -> str:
    if s.get("sl_target") is None:
        return "-"
    within = (f" within {_number('target_s', s['target_s']):g} s"
              if s.get("target_s") is not None else "")
    return f"{_percent(_number('sl_target', s['sl_target']))} of calls answered{within}"


def _period_words(period) -> str:
    try:
        minutes = pd.Timedelta(period).total_seconds() / 60
    except (TypeError, ValueError):
        raise ValueError(f"settings['period'] must be a duration such as '15min', "
                         f"got {period!r}") from None
    return {15.0: "quarter-hour", 30.0: "half-hour", 60.0: "hour"}.get(
        minutes, f"{minutes:g}-minute period")


def _goal(s: Mapping) -> str:
    period = _period_words(s.get("period") or "15min")
    return _choice_text(s, "service_goal", {"interval": f"every {period}", "day": "each day",
                                            "window": "the whole window"})


def _queue_model(s: Mapping) -> str:
    text = _choice_text(s, "model", {"erlang_a": "Erlang A", "erlang_c": "Erlang C"})
    if s.get("model") == "erlang_a" and s.get("patience_s") is not None:
        text += f" (mean patience {_number('patience_s', s['patience_s']):g} s)"
    elif s.get("model") == "erlang_c":
        text += " (nobody hangs up)"
    return text


def _staff_to(s: Mapping) -> str:
    if s.get("quantile") is not None:
        return f"the forecast's {_percent(_number('quantile', s['quantile']))} quantile"
    return _choice_text(s, "staff_to", {"mean": "the mean forecast",
                                        "expected_sl": "the target over the forecast range",
                                        "quantile": "a quantile of the forecast"})


def _shifts(h: Mapping) -> str:
    if h.get("lengths") is None:
        return "-"
    lengths = [f"{_number('lengths', x):g}" for x in h["lengths"]]
    if not lengths:
        return "none"
    listed = lengths[0] if len(lengths) == 1 else f"{', '.join(lengths[:-1])} or {lengths[-1]}"
    between = (f" between {h['open']} and {h['close']}"
               if h.get("open") and h.get("close") else "")
    return f"{listed} hours{between}"


def _weekdays(days) -> str:
    try:
        numbers = sorted({int(d) for d in days})
    except (TypeError, ValueError):
        raise ValueError(f"working_days must be weekday numbers (Monday = 0), "
                         f"got {days!r}") from None
    if any(not 0 <= d <= 6 for d in numbers):
        raise ValueError(f"working_days must be weekday numbers from 0 (Monday) to 6, "
                         f"got {days!r}")
    if not numbers:
        return "none"
    if len(numbers) > 2 and numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"{_WEEKDAYS[numbers[0]]} to {_WEEKDAYS[numbers[-1]]}"
    return ", ".join(_WEEKDAYS[d] for d in numbers)


def _permanent(h: Mapping, currency: str) -> str:
    if h.get("permanent") is None:
        return "-"
    agents = _int("permanent", h["permanent"])
    if agents == 0:
        return "none"
    parts = [_plural(agents, "agent")]
    if h.get("permanent_start") and h.get("permanent_end"):
        parts.append(f"{h['permanent_start']} to {h['permanent_end']}")
    if h.get("permanent_cost") is not None:
        cost = _number("permanent_cost", h["permanent_cost"])
        parts.append(f"{cost:,.2f} {currency} per hour".replace("  ", " "))
    return ", ".join(parts)


def _window(window) -> str:
    if window is None:
        return "-"
    try:
        first, last = (pd.Timestamp(d) for d in window)
    except (TypeError, ValueError):
        raise ValueError(f"window must be the first and last day planned, "
                         f"got {window!r}") from None
    return f"{first:%a %d/%m/%Y} to {last:%a %d/%m/%Y}"
