"""Export of a capacity plan: an Excel workbook planners can use, and CSV text.

Times are written as local wall-clock times without an offset: Excel has no time zones,
and a planner reads the time on the office clock. The workbook's sheets have plain-English
headers, number formats (percentages, counts, money, day-first dates), a frozen header
row, filters and column widths fitted to their content. The CSV files keep the column
names of the data contracts, so that picco (`staffing.io.read_volume`) reads them back.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from tabular import atomic_path, write_text_atomic
from tabular.days import days_of

from . import schema as S
from .capacity import CapacityPlan
from .permanent import PermanentTeam
from .shifts import ShiftTemplate, TempPolicy

# Number formats by kind of value. "agents" is a count unless a value is fractional (a
# permanent team's break that does not line up with the planning grid).
_FORMATS = {"rate": "0.0%", "count": "#,##0", "agents": "#,##0", "decimal": "#,##0.0",
            "money": "#,##0.00", "number": "#,##0.00", "time": "dd/mm/yyyy hh:mm",
            "date": "dd/mm/yyyy", "text": "General"}
_TINY = 1e-9  # below this a figure is rounding noise of the simulation or the solver
_DECIMALS = 10  # digits a float keeps in the workbook: far beyond any format shown
_CSV_DECIMALS = 6
_MAX_WIDTH = 50  # characters; longer headers wrap
_NOTES_WIDTH = 120  # characters across the summary's columns, where the notes wrap
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_BAD_SHEET_CHARS = set("[]:*?/\\")

# Column name -> (header, kind); "{cur}" in a header is the plan's currency.
_COLUMNS: dict[str, tuple[str, str]] = {
    S.INDEX: ("Start", "time"),
    S.CALLS: ("Calls", "decimal"),
    S.AHT_S: ("Average handling time (s)", "decimal"),
    S.TRAFFIC_ERL: ("Traffic (Erlang)", "decimal"),
    S.STAFFING_LOAD_ERL: ("Load staffed to (Erlang)", "decimal"),
    S.AGENTS: ("Agents required", "count"),
    S.SCHEDULED: ("Agents to schedule (with shrinkage)", "count"),
    S.BINDING: ("Target that sets the headcount", "text"),
    "staffed": ("Agents on duty", "agents"),
    "on_phones": ("Agents on the phones", "agents"),
    S.SERVICE_LEVEL: ("Service level", "rate"),
    S.ABANDON_RATE: ("Abandoned", "rate"),
    S.ASA_S: ("Average speed of answer (s)", "decimal"),
    S.OCCUPANCY: ("Occupancy", "rate"),
    S.P_WAIT: ("Callers who wait", "rate"),
    S.EXPECTED_SL: ("Service level over the forecast range", "rate"),
    S.P_MEET: ("Chance of meeting the target", "rate"),
    S.EXPECTED_ABANDONED: ("Abandoned calls over the forecast range", "decimal"),
    "sl_over_forecast": ("Service level over the forecast range", "rate"),
    "p_meet_target_over_forecast": ("Chance of meeting the target", "rate"),
    "abandoned_over_forecast": ("Abandoned calls over the forecast range", "decimal"),
    # per day
    "day": ("Day", "date"),
    "weekday": ("Weekday", "text"),
    "attempts": ("Call attempts (simulated, redials included)", "count"),
    "unique_callers": ("Callers (simulated)", "count"),
    "blocked_rate": ("Busy signals", "rate"),
    "abandoned_calls": ("Abandoned calls", "count"),
    "service_level_ci": ("Service level ± (95 %)", "rate"),
    "abandon_rate_ci": ("Abandoned ± (95 %)", "rate"),
    "agents_on_phones_hours": ("Agent-hours on the phones", "decimal"),
    "temps": ("Temps", "count"),
    "temp_shift_cost": ("Temps' shift cost ({cur})", "money"),
    "permanent_cost": ("Permanent team's cost ({cur})", "money"),
    "cost": ("Cost ({cur})", "money"),
    # the agency's orders and the shifts
    "order_by": ("Call the agency by", "date"),
    "training_start": ("Training from", "date"),
    "training_days": ("Training days", "count"),
    "first_work_day": ("First working day", "date"),
    "last_work_day": ("Last working day", "date"),
    "date": ("Day", "date"),
    "shift": ("Shift", "text"),
    "start": ("Start", "time"),
    "end": ("End", "time"),
    "paid_hours": ("Paid hours", "decimal"),
    # forecast and spots
    S.MEAN: ("Expected calls", "decimal"),
    "baseline": ("Calls without the campaign", "decimal"),
    "channel": ("Channel", "text"),
    "grp": ("GRP", "decimal"),
    "duration_s": ("Spot length (s)", "count"),
    "campaign": ("Campaign", "text"),
    "creative": ("Creative", "text"),
}
# The Daily sheet's own columns (some names mean something else elsewhere).
_DAILY_COLUMNS = {"calls": ("Calls", "count"), "temps": ("Temps working", "count"),
                  "peak_agents": ("Peak agents required", "count"),
                  "peak_scheduled": ("Peak agents to schedule", "count"),
                  "peak_on_phones": ("Peak agents on the phones", "agents"),
                  "new_temps": ("Temps starting", "count")}

# Summary key -> (label, kind, about). Keys neither listed nor hidden are written with a
# label made from the key, so that a figure added to the summary is not lost.
_SUMMARY: dict[str, tuple[str, str, str]] = {
    "periods": ("Planning periods", "count", ""),
    "calls": ("Calls forecast", "count", "Calls offered over the plan"),
    "service_level": ("Service level", "rate", "Share of calls answered within the target "
                      "time, by simulation of the roster"),
    "service_level_ci": ("Service level ± (95 %)", "rate", "Sampling error of the simulation"),
    "worst_day_service_level": ("Worst day's service level", "rate", "Days with calls"),
    "days_below_target": ("Days below the target", "count", "Days with calls"),
    "periods_below_target": ("Planning periods below the target", "count", "Periods with calls"),
    "p_meet_target_over_forecast": ("Chance of meeting the target", "rate",
                                     "Per period over the forecast's range, weighted by calls"),
    "abandon_rate": ("Abandoned", "rate", "Share of callers who hang up before an answer"),
    "abandon_rate_ci": ("Abandoned ± (95 %)", "rate", "Sampling error of the simulation"),
    "abandoned_calls": ("Abandoned calls", "count", ""),
    "asa_s": ("Average speed of answer (s)", "decimal", ""),
    "blocked_rate": ("Busy signals", "rate", "Share of call attempts that found the line full"),
    "attempts": ("Call attempts (simulated, redials included)", "count", ""),
    "unique_callers": ("Callers (simulated)", "count", ""),
    "peak_agents": ("Peak agents required", "count", "On the phones, busiest planning period"),
    "peak_scheduled": ("Peak agents to schedule (with shrinkage)", "count", ""),
    "peak_on_phones": ("Peak agents on the phones", "count", "As rostered"),
    "peak_staffed": ("Peak agents on duty", "agents", "As rostered"),
    "required_agent_hours": ("Agent-hours to schedule", "decimal",
                             "The requirement with shrinkage, over all periods"),
    "temps_hired": ("Temps to hire", "count", "The Orders sheet says when to call the agency"),
    "first_day": ("First day temps work", "date", ""),
    "last_day": ("Last day temps work", "date", ""),
    "peak_temps_in_a_day": ("Most temps working in a day", "count", ""),
    "temp_shift_hours": ("Temps' shift hours", "decimal", ""),
    "temp_training_hours": ("Temps' training hours", "decimal", ""),
    "idle_paid_hours": ("Temps' paid idle hours", "decimal", "Short of the minimum contract"),
    "permanent_hours": ("Permanent team's paid hours", "decimal", ""),
    "uncovered_agent_hours": ("Agent-hours left uncovered", "decimal",
                              "Requirement no shift covers; the notes say why"),
    "over_coverage_hours": ("Agent-hours on duty beyond the requirement", "decimal",
                            "Shifts are bought whole"),
    "temp_shift_cost": ("Temps' shift cost", "money", ""),
    "temp_training_cost": ("Temps' training cost", "money", ""),
    "temp_idle_cost": ("Temps' idle cost", "money", "Short of the minimum contract"),
    "temp_cost": ("Temps' cost", "money", "Shifts, training and idle hours"),
    "permanent_cost": ("Permanent team's cost", "money", ""),
    "total_cost": ("Total cost", "money", "Temps and permanent team"),
    "simulation_replications": ("Simulation runs behind the service figures", "count", ""),
}
# Solver status, the currency (it is in every money format) and a repeated figure.
_HIDDEN = {"optimal", "solver", "notes", "currency", "over_agent_hours"}

# Inputs of `capacity_plan` the Assumptions sheet describes in words.
_INPUTS = ("period", "model", "patience_s", "sl_target", "target_s", "method", "staff_to",
           "quantile", "shrinkage", "templates", "service_goal", "sl_floor", "max_occupancy",
           "max_abandon", "redial_prob", "redial_delay_s", "trunk_limit", "policy",
           "permanent", "replications", "seed")

# A row of the Summary or Assumptions sheet: label, value, kind of the value, details.
_Item = tuple[str, Any, str, str]


def _clean(x) -> float | None:
    """A float as the workbook holds it: no noise digits, no NaN, no minus zero."""
    if x is None:
        return None
    x = float(x)
    if not math.isfinite(x):
        return None
    return 0.0 if abs(x) < _TINY else round(x, _DECIMALS) + 0.0


def _blank(v) -> bool:
    return v is None or v is pd.NaT or (isinstance(v, float) and math.isnan(v))


def _naive(values, tz):
    """Local wall-clock times of ``values`` (an index or Series) without their time zone."""
    if isinstance(values, pd.DatetimeIndex):
        if values.tz is None:
            return values
        return (values.tz_convert(tz) if tz is not None else values).tz_localize(None)
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        return (values.dt.tz_convert(tz) if tz is not None else values).dt.tz_localize(None)
    return values


def _is_dates(series: pd.Series) -> bool:
    """Whether ``series`` holds calendar dates (or datetimes) and blanks only."""
    if pd.api.types.is_datetime64_any_dtype(series):
        return True
    if series.dtype != object:
        return False
    present = [v for v in series if not _blank(v)]
    return bool(present) and all(isinstance(v, dt.date) for v in present)


def _humanise(name) -> str:
    """A header from a column or key name: ``"peak_wait_s"`` -> ``"Peak wait (s)"``."""
    text = str(name)
    for suffix, unit in (("_s", " (s)"), ("_h", " (h)"), ("_hours", " (h)"),
                         ("_erl", " (Erlang)")):
        if text.endswith(suffix):
            text = text[: -len(suffix)] + unit
            break
    text = text.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def _ordinal(pct: float) -> str:
    """``10`` -> ``"10th"``, ``2`` -> ``"2nd"``, ``97.5`` -> ``"97.5th"``."""
    if pct != int(pct):
        return f"{pct:g}th"
    n = int(pct)
    return f"{n}" + ("th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th"))


def _column(name, series: pd.Series, currency: str) -> tuple[str, str]:
    """Header and kind of a column: a known name, a forecast column, else by its dtype."""
    text = str(name)
    if text in _COLUMNS:
        header, kind = _COLUMNS[text]
    elif S.is_quantile_column(text):
        header, kind = f"Calls, {_ordinal(float(text[1:]))} percentile", "decimal"
    elif text.startswith(("fast:", "slow:")):
        what = "immediate" if text.startswith("fast:") else "carry-over"
        header, kind = f"Calls from spots on {text[5:]}, {what}", "decimal"
    else:
        header = _humanise(text)
        if pd.api.types.is_datetime64_any_dtype(series):
            kind = "time"
        elif _is_dates(series):
            kind = "date"
        elif pd.api.types.is_bool_dtype(series):
            kind = "text"
        elif pd.api.types.is_integer_dtype(series):
            kind = "count"
        elif pd.api.types.is_float_dtype(series):
            kind = "number"
        else:
            kind = "text"
    if kind in ("time", "date") and not _is_dates(series):
        kind = "text"  # times given as text are written as they are
    elif kind not in ("time", "date", "text") and not pd.api.types.is_numeric_dtype(series):
        kind = "text"
    return header.format(cur=currency), kind


# ---- cells and sheets -------------------------------------------------------------------

def _values(series: pd.Series, kind: str) -> list:
    """The cells of a column: Python numbers, naive datetimes, dates or text."""
    if kind in ("time", "date"):
        if pd.api.types.is_datetime64_any_dtype(series):
            return [None if _blank(v) else v.to_pydatetime() for v in series]
        return [None if _blank(v) else v for v in series]
    if kind == "text":
        return [None if _blank(v) else str(v) for v in series]
    out = [_clean(v) for v in series.to_numpy(dtype=float, na_value=np.nan)]
    if kind == "count":
        return [int(v) if v is not None and v.is_integer() else v for v in out]
    return out


def _format(kind: str, values: list, currency: str = "") -> str:
    fmt = _FORMATS[kind]
    if kind == "agents" and any(v is not None and not float(v).is_integer() for v in values):
        fmt = _FORMATS["decimal"]
    if kind == "money" and currency:
        fmt += ' "' + currency.replace('"', "") + '"'
    return fmt


def _shown(value, fmt: str) -> int:
    """Characters ``value`` takes in its cell under ``fmt``, for the column's width."""
    if value is None:
        return 0
    if isinstance(value, dt.datetime):
        return 16 if "hh" in fmt else 10
    if isinstance(value, dt.date):
        return 10
    if isinstance(value, str):
        return len(value)
    if fmt.startswith("0.0%"):
        return len(f"{value:.1%}")
    for prefix, pattern in (("#,##0.00", "{:,.2f}"), ("#,##0.0", "{:,.1f}"), ("#,##0", "{:,.0f}")):
        if fmt.startswith(prefix):
            return len(pattern.format(value)) + len(fmt) - len(prefix) - 2 * ('"' in fmt)
    return len(f"{value:g}")


_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", start_color="DDE5F0")
_WRAP = Alignment(wrap_text=True, vertical="top")


def _write_grid(ws, headers: list[str], rows: list[list], formats: list[list[str]]) -> None:
    """Header row and cells with their number formats; frozen header, filter, widths."""
    for j, header in enumerate(headers):
        ws.cell(row=1, column=j + 1, value=header)
    widths = [len(h) for h in headers]
    for i, (values, fmts) in enumerate(zip(rows, formats, strict=True)):
        for j, (value, fmt) in enumerate(zip(values, fmts, strict=True)):
            cell = ws.cell(row=i + 2, column=j + 1, value=value)
            if fmt != "General":
                cell.number_format = fmt
            widths[j] = max(widths[j], _shown(value, fmt))
    lines = 1
    for j, header in enumerate(headers):
        width = min(max(widths[j], 4) + 2, _MAX_WIDTH)
        ws.column_dimensions[get_column_letter(j + 1)].width = width
        lines = max(lines, math.ceil(len(header) / (width - 1)))
        cell = ws.cell(row=1, column=j + 1)
        cell.font, cell.fill, cell.alignment = _HEADER_FONT, _HEADER_FILL, _WRAP
    if lines > 1:  # Excel does not grow a row for wrapped text it did not type itself
        ws.row_dimensions[1].height = 15 * lines
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"


def _write_frame(ws, frame: pd.DataFrame, currency: str, tz, *, index: bool,
                 headers: Mapping[str, tuple[str, str]] | None = None) -> None:
    """A frame as a table, its index (when it means something) the first column."""
    data = frame.reset_index() if index else frame.reset_index(drop=True)
    names, columns, fmts = [], [], []
    for name in data.columns:
        series = _naive(data[name], tz)
        if headers and name in headers:
            header, kind = headers[name]
        else:
            header, kind = _column(name, series, currency)
        values = _values(series, kind)
        names.append(header)
        columns.append(values)
        fmts.append(_format(kind, values))  # the currency is in the header
    rows = [list(r) for r in zip(*columns, strict=True)]
    _write_grid(ws, names, rows, [fmts] * len(rows))


def _write_items(ws, headers: list[str], items: list[_Item], currency: str,
                 notes: Sequence[str] = ()) -> None:
    """Rows of label, value and details; ``notes`` as wrapped lines below them."""
    rows, formats = [], []
    for label, value, kind, details in items:
        if kind not in ("text", "date", "time"):
            value = _clean(value)
            if kind == "count" and value is not None and value.is_integer():
                value = int(value)
        rows.append([label, value, details][:len(headers)])
        formats.append(["General", _format(kind, [value], currency), "General"][:len(headers)])
    _write_grid(ws, headers, rows, formats)
    if not notes:
        return
    ws.append([])
    ws.append(["Notes"])
    ws.cell(row=ws.max_row, column=1).font = _HEADER_FONT
    last = get_column_letter(len(headers))
    total = sum(ws.column_dimensions[get_column_letter(j + 1)].width for j in range(len(headers)))
    if total < _NOTES_WIDTH:  # room for the notes in the last column
        ws.column_dimensions[last].width += _NOTES_WIDTH - total
        total = _NOTES_WIDTH
    for note in notes:
        ws.append([str(note)])
        r = ws.max_row
        ws.merge_cells(f"A{r}:{last}{r}")
        ws.cell(row=r, column=1).alignment = _WRAP
        ws.row_dimensions[r].height = 15 * math.ceil(len(str(note)) * 1.1 / total)


def _summary_items(summary: Mapping, first: Sequence[_Item] = ()) -> list[_Item]:
    items = list(first)
    keys = [k for k in _SUMMARY if k in summary]
    keys += [k for k in summary if k not in _SUMMARY and k not in _HIDDEN]
    for key in keys:
        value = summary[key]
        label, kind, about = _SUMMARY.get(key, (_humanise(key), "number", ""))
        if kind == "date":
            items.append((label, pd.Timestamp(value).date(), "date", about) if not _blank(value)
                         else (label, "none", "text", about))
        elif isinstance(value, (bool, np.bool_)):
            items.append((label, "yes" if value else "no", "text", about))
        elif isinstance(value, (int, float, np.integer, np.floating)):
            items.append((label, float(value), kind, about))
        elif _blank(value):
            items.append((label, "none", "text", about))
        elif isinstance(value, (list, tuple)):
            items.append((label, ", ".join(str(v) for v in value), "text", about))
        else:
            items.append((label, str(value), "text", about))
    return items


# ---- assumptions in words ---------------------------------------------------------------

def _period_text(period) -> str:
    minutes = pd.Timedelta(period).total_seconds() / 60
    if minutes % 60 == 0:
        return f"{minutes / 60:g} hour{'s' if minutes != 60 else ''}"
    return f"{minutes:g} minutes"


def _days_text(days) -> str:
    """``(0, 1, 2, 3, 4)`` -> ``"Mon-Fri"``; with gaps ``"Mon, Wed, Fri"``."""
    days = sorted(days)
    if len(days) > 2 and days == list(range(days[0], days[-1] + 1)):
        return f"{_WEEKDAYS[days[0]]}-{_WEEKDAYS[days[-1]]}"
    return ", ".join(_WEEKDAYS[d] for d in days)


def _clock(start: str, hours: float) -> str:
    return (pd.Timestamp(f"2000-01-01 {start}") + pd.Timedelta(hours=hours)).strftime("%H:%M")


def _duration(hours: float) -> str:
    """``2.75`` -> ``"2 h 45 min"``."""
    h, m = divmod(round(hours * 60), 60)
    return " ".join(p for p in (f"{h} h" if h else "", f"{m} min" if m else "") if p) or "0 min"


def _template_text(t: ShiftTemplate) -> str:
    starts = list(t.starts)
    times = [pd.Timestamp(f"2000-01-01 {s}") for s in starts]
    steps = {(b - a).total_seconds() / 60 for a, b in zip(times, times[1:], strict=False)}
    if len(starts) > 2 and len(steps) == 1:
        when = f"starts {starts[0]} to {starts[-1]} every {steps.pop():g} min"
    else:
        when = "starts " + ", ".join(starts)
    breaks = "; ".join(f"a {mins:g}-minute break {_duration(off)} after the start"
                       for off, mins in t.breaks) or "no break"
    return f"{when}; {breaks}"


def _as(key: str, value, cls, allowed: str):
    if not isinstance(value, cls):
        raise ValueError(f"assumptions[{key!r}] must be {allowed}, got {type(value).__name__}")
    return value


def _model_items(g, has, req: pd.DataFrame) -> list[_Item]:
    """Queue model, targets and how the load is staffed."""
    items: list[_Item] = []
    if g("period") is not None:
        items.append(("Planning period", _period_text(g("period")), "text",
                      "Agents are planned per period of this length"))
    if S.AHT_S in req and len(req):
        aht = req[S.AHT_S].to_numpy(float)
        calls = req[S.CALLS].to_numpy(float) if S.CALLS in req else np.ones_like(aht)
        if np.ptp(aht) < _TINY:
            items.append(("Average handling time (s)", aht[0], "decimal",
                          "Talk, hold and after-call work per call"))
        else:
            mean = (aht * calls).sum() / calls.sum() if calls.sum() > 0 else aht.mean()
            items.append(("Average handling time (s)", mean, "decimal",
                          "Varies by period; this is its mean over the calls"))
    model = g("model")
    if model is not None:
        items.append(("Queue model", {"erlang_a": "Erlang A", "erlang_c": "Erlang C"}.get(
            model, str(model)), "text",
            {"erlang_a": "Callers hang up once they have waited longer than their patience",
             "erlang_c": "Callers wait as long as it takes"}.get(model, "")))
    if g("patience_s") is not None and model != "erlang_c":
        items.append(("Mean caller patience (s)", g("patience_s"), "decimal",
                      "How long callers wait, on average, before they hang up"))
    if has("sl_target"):
        within = f" within {g('target_s'):g} s" if g("target_s") is not None else ""
        items.append(("Service level target", "none", "text", "") if g("sl_target") is None
                     else ("Service level target", g("sl_target"), "rate",
                           f"Share of calls answered{within}"))
    if g("target_s") is not None:
        items.append(("Answered within (s)", g("target_s"), "decimal",
                      "The answer time the service level counts"))
    if g("method") is not None:
        items.append(("Time-varying load", {"mol": "MOL", "sipp": "SIPP"}.get(
            g("method"), str(g("method"))), "text",
            {"mol": "Each period is staffed to its busiest minute (modified offered load), "
                    "so the peaks of TV spots inside it are covered",
             "sipp": "Each period is staffed to its average load"}.get(g("method"), "")))
    staff_to, quantile = g("staff_to"), g("quantile")
    if staff_to is not None:
        if quantile is not None and staff_to != "expected_sl":
            what = f"the forecast's {_ordinal(round(quantile * 100, 6))} percentile"
        else:
            what = {"mean": "the mean forecast", "expected_sl": "the target over the forecast "
                    "range"}.get(staff_to, str(staff_to))
        items.append(("Staff to", what, "text", ""))
    return items


def _goal_items(g, has) -> list[_Item]:
    """Shrinkage, service goal, caps, redials and the line's size."""
    items: list[_Item] = []
    if has("shrinkage"):
        items.append(("Shrinkage", g("shrinkage") or 0.0, "rate",
                      "Share of the time on duty spent off the phones besides the breaks of the "
                      "shift templates (absence, meetings, coaching, after-call work not in the "
                      "handling time); the templates' breaks are already off the phones and "
                      "are not counted again"))
    goal = g("service_goal")
    if goal is not None:
        items.append(("Service goal", {"interval": "every planning period", "day": "each day",
                                       "window": "the whole window"}.get(goal, str(goal)), "text",
                      {"interval": "Every period is staffed to the target at its own load",
                       "day": "The cheapest roster whose calls of each day meet the target, "
                              "checked by simulation",
                       "window": "The cheapest roster whose calls of the whole window meet "
                                 "the target, checked by simulation"}.get(goal, "")))

    def optional(key, label, none_text, kind, details=""):
        if has(key):
            value = g(key)
            items.append((label, none_text, "text", details) if value is None
                         else (label, value, kind, details))

    optional("sl_floor", "Service level floor per period", "none", "rate",
             "With a day or window goal, no period is staffed below it")
    optional("max_occupancy", "Maximum occupancy", "no cap", "rate",
             "Share of the agents' time on calls")
    optional("max_abandon", "Maximum abandonment", "no target", "rate")
    if has("redial_prob"):
        items.append(("Callers who call again", g("redial_prob") or 0.0, "rate",
                      "Of those who hang up or hear busy"))
    if g("redial_delay_s") is not None and (g("redial_prob") or 0) > 0:
        items.append(("Mean delay before calling again (s)", g("redial_delay_s"), "decimal", ""))
    optional("trunk_limit", "Most callers the line holds", "no limit", "count",
             "Talking or waiting; callers beyond it hear busy")
    return items


def _staff_items(g) -> list[_Item]:
    """Shift templates, the temps' terms, the permanent team and the evaluation."""
    items: list[_Item] = []
    templates = g("templates")
    if templates is not None:
        for t in _as("templates", templates, (list, tuple), "a list of ShiftTemplate"):
            _as("templates", t, ShiftTemplate, "a list of ShiftTemplate")
            items.append((f"Shift template {t.name}", f"{t.length_h:g} h paid", "text",
                          _template_text(t)))
    policy = g("policy")
    if policy is not None:
        p = _as("policy", policy, TempPolicy, "a TempPolicy")
        items += [
            ("Temp cost per hour", p.hourly_cost, "money",
             "Shifts, training and contract top-ups are paid at this rate"),
            ("Training (paid working days)", p.training_days, "count",
             f"{p.training_hours_per_day:g} paid hours a day, before the first shift"),
            ("Agency lead time (working days)", p.lead_time_days, "count",
             "From the day the agency is called to the first day of training"),
            ("Penalty per uncovered agent-hour", p.under_penalty_per_hour, "money",
             "What an hour of requirement left uncovered is taken to cost"),
            ("Most temps", "no limit", "text", "") if p.max_temps is None
            else ("Most temps", p.max_temps, "count", ""),
            ("Working days of the line", _days_text(p.working_days), "text",
             "Temps work, train and count lead time on these days only"),
            ("Holidays", ", ".join(f"{d:%d/%m/%Y}" for d in p.holidays) or "none", "text",
             "Days the line does not work")]
        if p.order_from is not None:
            items.append(("Agency can be called from", p.order_from, "date", ""))
        items += [("Minimum paid hours per temp", p.min_contract_hours, "decimal",
                   "Hours short of it are paid idle"),
                  ("Currency", p.currency, "text", "")]
    team = g("permanent")
    if isinstance(team, PermanentTeam):
        items.append(("Permanent team (agents)", team.agents, "count", ""))
        for s in team.shifts:
            breaks = "; ".join(f"a {mins:g}-minute break at {_clock(s.start, off)}"
                               for off, mins in s.breaks) or "no break"
            items.append(("Permanent shift", f"{s.agents} agents {s.start}-"
                          f"{_clock(s.start, s.length_h)} {_days_text(s.days)}", "text", breaks))
        if team.agents:
            items.append(("Permanent cost per hour", team.hourly_cost, "money",
                          "Breaks are paid"))
    elif isinstance(team, pd.Series):
        items.append(("Permanent team", f"given per period, at most {team.max():g} agents on "
                      "duty", "text", ""))
    elif team is not None and not team:
        items.append(("Permanent team", "none", "text", ""))
    elif team is not None:
        items.append(("Permanent team (agents on duty)", _as(
            "permanent", team, (int, float, np.integer, np.floating),
            "a PermanentTeam, a Series or a number of agents"), "count", ""))
    if g("replications") is not None:
        items.append(("Simulation runs behind the service figures", g("replications"), "count",
                      "Seeded simulations of the forecast calls against the roster"))
    if g("seed") is not None:
        items.append(("Seed of the first simulation run", g("seed"), "count", ""))
    return items


def _listed(v) -> str:
    if isinstance(v, dt.date):
        return f"{v:%d/%m/%Y}"
    return f"{v:g}" if isinstance(v, (float, np.floating)) else str(v)


def _free_items(assumptions: Mapping, *, strict: bool = True) -> list[_Item]:
    """Labels and values written as given (``strict``: refuse what is not plain data)."""
    items: list[_Item] = []
    for label, value in assumptions.items():
        if isinstance(value, dt.datetime):
            ts = pd.Timestamp(value)
            ts = ts.tz_localize(None) if ts.tz is not None else ts
            items.append((str(label), ts.to_pydatetime(),
                          "date" if ts == ts.normalize() else "time", ""))
        elif isinstance(value, dt.date):
            items.append((str(label), value, "date", ""))
        elif isinstance(value, (bool, np.bool_)):
            items.append((str(label), "yes" if value else "no", "text", ""))
        elif isinstance(value, (int, float, np.integer, np.floating)):
            items.append((str(label), value, "number" if float(value) % 1 else "count", ""))
        elif isinstance(value, str):
            items.append((str(label), value, "text", ""))
        elif value is None:
            items.append((str(label), "none", "text", ""))
        elif isinstance(value, (list, tuple)) and all(
                isinstance(v, (str, int, float, np.number, dt.date)) for v in value):
            items.append((str(label), ", ".join(_listed(v) for v in value), "text", ""))
        elif not strict:
            items.append((str(label), str(value), "text", ""))
        else:
            raise ValueError(f"assumptions[{label!r}] must be a number, text, date or a list "
                             f"of them, got {type(value).__name__}")
    return items


def _other_settings(settings: Mapping, inputs: Mapping) -> list[_Item]:
    """Settings the plan records besides `capacity_plan`'s parameters.

    A shorter account of the templates and the temps' terms, written only when the full
    one (``templates``, ``policy``) is not given; any other key under a label made from it.
    """
    shown = {"shift_lengths_h": ("Shift lengths (h)", "templates"),
             "hourly_cost": ("Temp cost per hour", "policy"),
             "currency": ("Currency", "policy")}
    items: list[_Item] = []
    for key, value in settings.items():
        if key in _INPUTS:
            continue
        label, covered_by = shown.get(key, (_humanise(key), None))
        if covered_by is not None and inputs.get(covered_by) is not None:
            continue
        if key == "hourly_cost" and isinstance(value, (int, float, np.number)):
            items.append((label, value, "money", "Shifts, training and contract top-ups"))
        else:
            items += _free_items({label: value}, strict=False)
    return items


# ---- the sheets of a plan ---------------------------------------------------------------

def _daily_frame(plan: CapacityPlan) -> pd.DataFrame:
    """Per day: the plan's daily figures, the day's peaks and the temps who start."""
    daily, req = plan.daily, plan.requirements
    days = days_of(req.index)
    out = pd.DataFrame(index=daily.index)
    out["weekday"] = [_WEEKDAYS[d.weekday()] for d in daily.index]
    out["calls"] = daily["calls"]
    for name, col in (("peak_agents", S.AGENTS), ("peak_scheduled", S.SCHEDULED),
                      ("peak_on_phones", "on_phones")):
        if col in req:
            out[name] = req[col].groupby(days).max().reindex(daily.index).fillna(0.0)
    for col in ("agents_on_phones_hours", "temps"):
        if col in daily:
            out[col] = daily[col]
    hires = plan.shifts.hires
    if "new_temps" in hires:
        starting = dict(zip(pd.to_datetime(hires.index).date, hires["new_temps"], strict=True))
        out["new_temps"] = [starting.get(d.date(), 0) for d in daily.index]
    # Costs last, the total at the right edge where a planner looks for it.
    money = [c for c in ("temp_shift_cost", "permanent_cost", "cost") if c in daily]
    for col in [c for c in daily.columns if c not in out.columns and c not in money] + money:
        out[col] = daily[col]
    return out


def _shift_frame(shifts: pd.DataFrame) -> pd.DataFrame:
    out = shifts.copy()
    if {"start", "end", "temps"} <= set(out.columns):
        hours = (out["end"] - out["start"]).dt.total_seconds() / 3600
        out["paid_hours"] = hours * out["temps"]
    return out


def _check_frame(name: str, frame, *, times: bool) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"{name} must be a DataFrame or None, got {type(frame).__name__}")
    if times and not isinstance(frame.index, pd.DatetimeIndex):
        raise ValueError(f"{name} must be indexed by interval start times (a DatetimeIndex), "
                         f"got a {type(frame.index).__name__}")


def _meaningful_index(frame: pd.DataFrame) -> bool:
    """Whether the index says something (it is not a bare row number)."""
    return not (isinstance(frame.index, pd.RangeIndex) and frame.index.name is None)


def _save(wb: Workbook, path_or_buffer) -> None:
    if isinstance(path_or_buffer, (str, Path)):
        path = Path(path_or_buffer)
        if path.suffix.lower() != ".xlsx":
            raise ValueError(f"the workbook's path must end in .xlsx, got {str(path)!r}")
        with atomic_path(path, "the workbook") as tmp:  # a failed save leaves no half workbook
            wb.save(tmp)
    elif hasattr(path_or_buffer, "write"):
        wb.save(path_or_buffer)
    else:
        raise ValueError("path_or_buffer must be a path ending in .xlsx or a binary file "
                         f"object, got {type(path_or_buffer).__name__}")


def write_plan_workbook(path_or_buffer: str | Path | IO[bytes], plan: CapacityPlan, *,
                        forecast: pd.DataFrame | None = None, spots: pd.DataFrame | None = None,
                        assumptions: Mapping[str, Any] | None = None) -> None:
    """Write a capacity plan as one Excel workbook planners can read, filter and add up.

    Sheets, in order: **Summary** (the plan's figures in words, with units, and its notes),
    **Assumptions** (the plan's inputs), **Daily**, **Orders** (the agency's order list),
    **Spots** (with ``spots``), **Intervals** (the requirement and the roster's service per
    planning period), **Shifts** and **Forecast** (with ``forecast``). Every sheet has a
    frozen header row, a filter and number formats; times are local wall-clock times in
    the plan's time zone, without an offset.

    Parameters
    ----------
    path_or_buffer : str, Path or binary file object
        A path ending in ``.xlsx``, or e.g. an ``io.BytesIO``.
    plan : CapacityPlan
        From `staffing.capacity.capacity_plan`.
    forecast : DataFrame, optional
        The forecast (``mean``, ``pNN``, and components such as ``baseline`` or
        ``fast:<channel>``), indexed by interval start.
    spots : DataFrame, optional
        The spot schedule (``start``, ``channel``, ``grp``, ...).
    assumptions : mapping, optional
        Inputs the plan does not record. The keys ``templates`` (list of `ShiftTemplate`),
        ``policy`` (`TempPolicy`), ``permanent`` (`PermanentTeam`, Series or agents),
        ``replications``, ``seed``, ``max_occupancy``, ``max_abandon`` and
        ``redial_delay_s`` are `capacity_plan`'s parameters, described in words (they take
        precedence over ``plan.settings``); any other key is a label, written first with
        its value (a number, text, date or list of them), e.g. ``{"Forecast model":
        "2009 fitted"}``.

    Raises
    ------
    ValueError
        On an argument of the wrong type, a path not ending in ``.xlsx``, or a file that
        cannot be written (naming the path and the reason).

    Examples
    --------
    >>> import io, openpyxl
    >>> from staffing.capacity import capacity_plan
    >>> idx = pd.date_range("2009-04-20 08:00", "2009-04-20 12:00", freq="15min",
    ...                     inclusive="left", tz="Europe/Rome", name="interval_start")
    >>> plan = capacity_plan(pd.DataFrame({"calls": 40.0}, index=idx), 240)
    >>> buffer = io.BytesIO()
    >>> write_plan_workbook(buffer, plan, assumptions={"Forecast model": "flat 40 calls"})
    >>> book = openpyxl.load_workbook(buffer)
    >>> book.sheetnames
    ['Summary', 'Assumptions', 'Daily', 'Orders', 'Intervals', 'Shifts']
    >>> cell = book["Intervals"]["A2"]
    >>> cell.value, cell.number_format
    (datetime.datetime(2009, 4, 20, 8, 0), 'dd/mm/yyyy hh:mm')
    """
    if not isinstance(plan, CapacityPlan):
        raise ValueError(f"plan must be a CapacityPlan (from capacity_plan), got "
                         f"{type(plan).__name__}")
    if forecast is not None:
        _check_frame("forecast", forecast, times=True)
    if spots is not None:
        _check_frame("spots", spots, times=False)
    if assumptions is not None and not isinstance(assumptions, Mapping):
        raise ValueError(f"assumptions must be a mapping of label to value, got "
                         f"{type(assumptions).__name__}")
    assumptions = dict(assumptions or {})
    req = plan.requirements
    index = pd.DatetimeIndex(req.index)
    tz = index.tz
    currency = str(plan.summary.get("currency") or "")
    inputs = {**plan.settings, **{k: v for k, v in assumptions.items() if k in _INPUTS}}
    if inputs.get("replications") is None:  # the evaluation reports how many it ran
        inputs["replications"] = plan.summary.get("simulation_replications")
    given = _free_items({k: v for k, v in assumptions.items() if k not in _INPUTS})
    if tz is not None:
        given.append(("Time zone", str(tz), "text",
                      "Every time in this workbook is local wall-clock time there"))
    described = (given + _model_items(inputs.get, inputs.__contains__, req)
                 + _goal_items(inputs.get, inputs.__contains__) + _staff_items(inputs.get)
                 + _other_settings(plan.settings, inputs))

    wb = Workbook()
    ws = wb.active
    ws.title = "Summary"
    window: list[_Item] = []
    if len(index):
        first, last = _naive(index[[0, -1]], tz)
        window = [("Plan from", first.date(), "date", ""), ("Plan to", last.date(), "date", "")]
    _write_items(ws, ["Figure", "Value", "About"], _summary_items(plan.summary, window),
                 currency, notes=list(plan.summary.get("notes") or []))
    _write_items(wb.create_sheet("Assumptions"), ["Setting", "Value", "Details"], described,
                 currency)
    _write_frame(wb.create_sheet("Daily"), _daily_frame(plan), currency, tz, index=True,
                 headers=_DAILY_COLUMNS)
    _write_frame(wb.create_sheet("Orders"), plan.shifts.orders, currency, tz, index=False)
    if spots is not None:
        _write_frame(wb.create_sheet("Spots"), spots, currency, tz,
                     index=_meaningful_index(spots), headers={"start": ("Airing", "time")})
    _write_frame(wb.create_sheet("Intervals"), req, currency, tz, index=True)
    _write_frame(wb.create_sheet("Shifts"), _shift_frame(plan.shifts.shifts), currency, tz,
                 index=False, headers={"temps": ("Temps", "count")})
    if forecast is not None:
        _write_frame(wb.create_sheet("Forecast"), forecast, currency, tz, index=True)
    _save(wb, path_or_buffer)


def write_workbook(path: str | Path | IO[bytes], summary: Mapping[str, Any],
                   sheets: Mapping[str, pd.DataFrame]) -> None:
    r"""Write figures and tables as a workbook: a **Summary** sheet, then one per table.

    For tables without a capacity plan (a staffing plan alone); with one, use
    `write_plan_workbook`. Headers, number formats and local times as there.

    Parameters
    ----------
    path : str, Path or binary file object
        A path ending in ``.xlsx``, or e.g. an ``io.BytesIO``.
    summary : mapping
        Figures by key, e.g. ``{"calls": 300.0, "peak_agents": 14}``.
    sheets : mapping of str to DataFrame
        Sheet name (1 to 31 characters, none of ``[]:*?/\``) to table.

    Raises
    ------
    ValueError
        On a bad sheet name or argument, or a file that cannot be written (naming the
        path and the reason).

    Examples
    --------
    >>> import io, openpyxl
    >>> idx = pd.date_range("2009-04-20 08:00", periods=2, freq="30min", tz="Europe/Rome",
    ...                     name="interval_start")
    >>> table = pd.DataFrame({"calls": [100.0, 200.0], "service_level": [0.81, 0.8]}, idx)
    >>> buffer = io.BytesIO()
    >>> write_workbook(buffer, {"calls": 300.0, "peak_agents": 14}, {"Intervals": table})
    >>> ws = openpyxl.load_workbook(buffer)["Intervals"]
    >>> [c.value for c in ws[1]], ws["A3"].value, ws["C2"].number_format
    (['Start', 'Calls', 'Service level'], datetime.datetime(2009, 4, 20, 8, 30), '0.0%')
    """
    if not isinstance(summary, Mapping):
        raise ValueError(f"summary must be a mapping of figure to value, got "
                         f"{type(summary).__name__}")
    if not isinstance(sheets, Mapping):
        raise ValueError(f"sheets must be a mapping of sheet name to DataFrame, got "
                         f"{type(sheets).__name__}")
    currency = str(summary.get("currency") or "")
    wb = Workbook()
    ws = wb.active
    ws.title = "Summary"
    _write_items(ws, ["Figure", "Value", "About"], _summary_items(summary), currency,
                 notes=list(summary.get("notes") or []))
    seen = {"summary"}
    for name, frame in sheets.items():
        if (not isinstance(name, str) or not 0 < len(name) <= 31
                or _BAD_SHEET_CHARS & set(name) or name.lower() in seen):
            raise ValueError("sheet names must be 1-31 characters without []:*?/\\ and "
                             f"differ from each other and from 'Summary', got {name!r}")
        seen.add(name.lower())
        _check_frame(f"sheets[{name!r}]", frame, times=False)
        _write_frame(wb.create_sheet(name), frame, currency, None,
                     index=_meaningful_index(frame))
    _save(wb, path)


# ---- CSV --------------------------------------------------------------------------------

def _time_text(values: pd.Series) -> pd.Series:
    """Naive times as ``YYYY-MM-DD HH:MM``, blanks left blank.

    With seconds only when some have them, the date alone when all are midnights.
    """
    present = values.dropna()
    if len(present) and (present == present.dt.normalize()).all():
        fmt = "%Y-%m-%d"
    elif (present.dt.second != 0).any():
        fmt = "%Y-%m-%d %H:%M:%S"
    else:
        fmt = "%Y-%m-%d %H:%M"
    return values.dt.strftime(fmt).astype(object).where(values.notna(), None)


def csv_text(frame: pd.DataFrame, *, index: bool | None = None) -> str:
    """A frame as CSV text people can read: local wall-clock times without an offset.

    Times are written ``YYYY-MM-DD HH:MM`` in their own time zone (``YYYY-MM-DD`` when
    all are midnights), which Excel and `staffing.io.read_volume` read as local times;
    floats are rounded to 6 decimals, so simulation noise such as ``1e-129`` reads ``0.0``.
    Column names are kept, so the files load back as the frames they came from.

    Parameters
    ----------
    frame : DataFrame
    index : bool, optional
        Write the index as the first column; by default when it is named or is not a bare
        row number.

    Raises
    ------
    ValueError
        If ``frame`` is not a DataFrame.

    Examples
    --------
    >>> idx = pd.date_range("2009-04-20 09:30", periods=2, freq="15min", tz="Europe/Rome",
    ...                     name="interval_start")
    >>> print(csv_text(pd.DataFrame({"calls": [12.5, 1.97e-129]}, idx)), end="")
    interval_start,calls
    2009-04-20 09:30,12.5
    2009-04-20 09:45,0.0
    """
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"frame must be a DataFrame, got {type(frame).__name__}")
    if index is None:
        index = _meaningful_index(frame)
    out = frame.reset_index() if index else frame.reset_index(drop=True)
    for col in out.columns:
        series = out[col]
        if pd.api.types.is_datetime64_any_dtype(series):
            out[col] = _time_text(_naive(series, None))
        elif pd.api.types.is_float_dtype(series):
            out[col] = series.round(_CSV_DECIMALS) + 0.0
    buffer = io.StringIO()
    out.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue()


def write_csv(path: str | Path, frame: pd.DataFrame, *, index: bool | None = None) -> None:
    """Write `csv_text` of ``frame`` to ``path``, whole or not at all (`tabular.atomic_path`).

    Raises
    ------
    ValueError
        If the file cannot be written, naming the path and the reason.
    """
    write_text_atomic(path, csv_text(frame, index=index), "the CSV file")
