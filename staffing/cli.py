"""Command line: ``python -m staffing agents|sl|plan``.

User mistakes end with exit code 2 and one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import pandas as pd

from tabular import check_output_path, parse_time_option, resolve_dayfirst

from .capacity import capacity_plan
from .erlang import asa, erlang_c, occupancy, service_level
from .erlang_a import SL_DEFINITIONS, erlang_a
from .export import csv_text, write_csv, write_plan_workbook, write_workbook
from .frames import interval_seconds
from .goal import GOALS
from .io import read_volume
from .permanent import PermanentTeam
from .plan import METHODS, STAFF_TO, staffing_plan
from .required import MODELS, required_agents
from .shifts import TempPolicy, standard_templates
from .shrinkage import scheduled_agents


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse prints usage plus a line; we want one line
        raise _UsageError(f"{self.prog}: {message}")


def _add_queue(p: argparse.ArgumentParser, *, volume: bool = True) -> None:
    if volume:
        p.add_argument("--calls", type=float, required=True, help="calls offered per interval")
        p.add_argument("--interval-min", type=float, default=30.0,
                       help="interval length in minutes (default 30)")
    p.add_argument("--aht-s", type=float, required=volume, help="average handling time, seconds")
    p.add_argument("--target-s", type=float, default=20.0,
                   help="answer-time target, seconds (default 20; 0 = no wait)")
    p.add_argument("--model", choices=MODELS, default=None,
                   help="queue model (default erlang_c, or erlang_a when --patience-s is given)")
    p.add_argument("--patience-s", type=float, help="mean caller patience, seconds (Erlang A)")
    p.add_argument("--sl-definition", choices=SL_DEFINITIONS, default="offered",
                   help="service level over offered (default), answered, or virtual wait")


def _add_targets(p: argparse.ArgumentParser) -> None:
    p.add_argument("--sl", type=float, default=None, dest="sl_target",
                   help="service-level target as a fraction (default 0.8)")
    p.add_argument("--no-sl", action="store_true", help="no service-level target")
    p.add_argument("--asa-target-s", type=float, help="maximum average speed of answer, seconds")
    p.add_argument("--max-occupancy", type=float, help="maximum occupancy, fraction (no cap if absent)")
    p.add_argument("--max-abandon", type=float, help="maximum abandonment, fraction (Erlang A)")
    p.add_argument("--shrinkage", type=float, default=0.0, help="share of paid time off the phones")
    p.add_argument("--fractional", action="store_true", help="continuous (fractional) agents")


def _parser() -> _Parser:
    top = _Parser(prog="python -m staffing", description=__doc__)
    sub = top.add_subparsers(dest="command", required=True, parser_class=_Parser)
    agents = sub.add_parser("agents", help="agents needed for one interval")
    _add_queue(agents)
    _add_targets(agents)
    agents.add_argument("--json", action="store_true", help=_JSON_HELP)
    sl = sub.add_parser("sl", help="service level, ASA and abandonment for a given headcount")
    _add_queue(sl)
    sl.add_argument("--agents", type=float, required=True, help="agents on the phones")
    sl.add_argument("--json", action="store_true", help=_JSON_HELP)
    plan = sub.add_parser("plan", help="staffing plan for a volume file (CSV or Excel)")
    plan.add_argument("volumes", help="file with interval_start and calls (optional aht_s)")
    _add_queue(plan, volume=False)
    _add_targets(plan)
    plan.add_argument("--period", help="planning period dividing a day, e.g. 15min, 1h, 2h, 1D "
                      "(default: the volume interval; with --shifts 15min or the interval)")
    plan.add_argument("--method", choices=METHODS, default="sipp")
    plan.add_argument("--quantile", type=float, help="staff to this forecast quantile (pNN column)")
    plan.add_argument("--staff-to", choices=STAFF_TO, default=None,
                      help="staff to the mean, a quantile, or the expected SL over the forecast")
    plan.add_argument("--tz", default="Europe/Rome", help="time zone of naive timestamps")
    order = plan.add_mutually_exclusive_group()
    order.add_argument("--dayfirst", dest="dayfirst", action="store_const", const=True,
                       default=None, help="numeric dates (file, --holidays, --order-from) are "
                                          "day first: 04/05/2009 is 4 May (default, except for "
                                          "US time zones)")
    order.add_argument("--monthfirst", dest="dayfirst", action="store_const", const=False,
                       help="numeric dates are month first: 04/05/2009 is 5 April")
    plan.add_argument("-o", "--output", help="write the plan CSV here instead of stdout")
    plan.add_argument("--json", action="store_true",
                      help="print the summary as JSON instead of the plan CSV (with -o the CSV "
                           "still goes to the file); null where a figure is not finite")
    plan.add_argument("--xlsx", help="write a workbook (summary, assumptions, daily, orders, intervals, "
                                           "shifts; summary and intervals without --shifts)")
    shifts = plan.add_argument_group("shifts and temporary staff (planned when --shifts is given)")
    shifts.add_argument("--shifts", help="shift lengths in hours, e.g. 4,6,8")
    shifts.add_argument("--open", default="08:00", help="earliest shift start (default 08:00)")
    shifts.add_argument("--close", default="18:00", help="latest shift end (default 18:00)")
    shifts.add_argument("--shift-step-min", type=int, default=30, help="start-time grid, minutes")
    shifts.add_argument("--permanent", type=float, default=0.0,
                        help="agents of the permanent team (default 0)")
    shifts.add_argument("--permanent-hours", help="the team's shift, e.g. 08:00-16:00 "
                        "(default: 8 hours from --open)")
    shifts.add_argument("--permanent-days", help="the team's weekdays, e.g. mon-fri "
                        "(default: the working days)")
    shifts.add_argument("--permanent-cost", type=float,
                        help="cost of a permanent agent's hour (default: --temp-cost)")
    shifts.add_argument("--working-days", default="mon-sat",
                        help="weekdays the line works, e.g. mon-fri or mon,wed,fri "
                             "(default mon-sat); lead time and training count only these")
    shifts.add_argument("--holidays", default="",
                        help="dates the line does not work, e.g. 2009-04-13,2009-05-01")
    shifts.add_argument("--order-from", help="first day the agency can be called (default: "
                        "as early as the first day needs)")
    shifts.add_argument("--min-contract-hours", type=float, default=0.0,
                        help="paid hours each temp gets at least")
    shifts.add_argument("--currency", default="EUR", help="currency of the costs")
    shifts.add_argument("--temp-cost", type=float, default=25.0, help="cost of a temp hour")
    shifts.add_argument("--training-days", type=int, default=0)
    shifts.add_argument("--lead-time-days", type=int, default=0)
    shifts.add_argument("--under-penalty", type=float, default=250.0,
                        help="cost of one uncovered agent-hour")
    shifts.add_argument("--max-temps", type=int)
    goal = plan.add_argument_group("service goal and evaluation (with --shifts)")
    goal.add_argument("--service-goal", choices=GOALS, default="interval",
                      help="meet the target in every period (default), over each day, or over "
                           "the whole window")
    goal.add_argument("--sl-floor", type=float,
                      help="with a day or window goal: no period below this service level")
    goal.add_argument("--redial-prob", type=float, default=0.0,
                      help="share of callers who hang up or hear busy and call again")
    goal.add_argument("--redial-delay-s", type=float, default=300.0,
                      help="mean delay before calling again, seconds (default 300)")
    goal.add_argument("--trunk-limit", type=int,
                      help="most callers the line holds (talking or waiting); more hear busy")
    goal.add_argument("--replications", type=int, default=4,
                      help="simulation runs behind the service figures (default 4)")
    goal.add_argument("--daily", help="write the per-day figures (CSV) here")
    plan.set_defaults(shift_option_defaults={d: plan.get_default(d) for d in _SHIFT_OPTIONS})
    return top


_JSON_HELP = ("print JSON; a figure without a finite value is null (asa_s null: no finite wait, "
              "the agents cannot keep up with the calls)")
# Options that only the shift plan uses: given without --shifts they would change nothing.
_SHIFT_OPTIONS = ("open", "close", "shift_step_min", "permanent", "permanent_hours",
                  "permanent_days", "permanent_cost", "working_days", "holidays", "order_from",
                  "min_contract_hours", "currency", "temp_cost", "training_days",
                  "lead_time_days", "under_penalty", "max_temps", "service_goal", "sl_floor",
                  "redial_prob", "redial_delay_s", "trunk_limit", "replications", "daily")
_TEAM_OPTIONS = ("permanent_hours", "permanent_days", "permanent_cost")


def _flag(dest: str) -> str:
    return "--" + dest.replace("_", "-")


def _check_plan_options(args) -> None:
    """Refuse options that the other options given would leave without effect."""
    if args.shifts is None:
        given = [d for d, default in args.shift_option_defaults.items()
                 if getattr(args, d) != default]
        if given:
            raise ValueError(f"{_flag(given[0])} is an option of the shift plan: add --shifts "
                             "(e.g. --shifts 4,6,8) or leave it out")
    else:
        if not args.shifts.strip():
            raise ValueError("--shifts must list shift lengths in hours such as 4,6,8, got ''")
        for flag, given in (("--fractional", args.fractional),
                            ("--asa-target-s", args.asa_target_s is not None),
                            ("--no-sl", args.no_sl),
                            ("--sl-definition", args.sl_definition != "offered")):
            if given:
                raise ValueError(f"{flag} cannot be used with --shifts: the shift plan staffs "
                                 "whole agents to --sl over offered calls")
    if not args.permanent:
        team = [d for d in _TEAM_OPTIONS if getattr(args, d) is not None]
        if team:
            raise ValueError(f"{_flag(team[0])} describes the permanent team: add --permanent N "
                             "(its agents) or leave it out")
    if args.quantile is not None and args.staff_to not in (None, "quantile"):
        raise ValueError(f"--quantile {args.quantile:g} staffs to that forecast quantile and "
                         f"--staff-to {args.staff_to} to something else: give one of them")
    if args.staff_to == "quantile" and args.quantile is None:
        raise ValueError("--staff-to quantile needs --quantile, e.g. --quantile 0.9")
    args.staff_to = args.staff_to or "mean"


def _shift_period(volume) -> str:
    """15 minutes, or the volume's interval when 15 minutes is not a whole number of them."""
    step_min = interval_seconds(volume.index) / 60
    return "15min" if 15 % step_min == 0 else f"{step_min:g}min"


def _model(args) -> str:
    return args.model or ("erlang_a" if args.patience_s is not None else "erlang_c")


def _target_kwargs(args) -> dict:
    if args.no_sl and args.sl_target is not None:
        raise ValueError(f"--sl {args.sl_target:g} and --no-sl contradict each other: give one")
    sl_target = None if args.no_sl else 0.8 if args.sl_target is None else args.sl_target
    return dict(sl_target=sl_target, target_s=args.target_s,
                max_occupancy=args.max_occupancy, asa_target_s=args.asa_target_s,
                model=_model(args), patience_s=args.patience_s, max_abandon=args.max_abandon,
                sl_definition=args.sl_definition, fractional=args.fractional)


def _performance(args, agents: float) -> dict:
    interval_s = args.interval_min * 60
    if _model(args) == "erlang_a":
        if args.patience_s is None:
            raise ValueError("model erlang_a needs --patience-s (seconds)")
        r = erlang_a(args.calls, args.aht_s, interval_s, agents, args.patience_s, args.target_s,
                     sl_definition=args.sl_definition)
        return {"service_level": float(r.service_level), "asa_s": float(r.asa_s),
                "occupancy": float(r.occupancy), "p_wait": float(r.p_wait),
                "abandon_rate": float(r.p_abandon)}
    a = args.calls * args.aht_s / interval_s
    return {"service_level": service_level(a, agents, args.aht_s, args.target_s),
            "asa_s": asa(a, agents, args.aht_s), "occupancy": occupancy(a, agents),
            "p_wait": erlang_c(a, agents)}


def _json_text(result: dict, indent: int) -> str:
    """Strict JSON: a figure without a finite value (an overloaded queue's ASA) is null."""
    return json.dumps(_finite_or_null(result), indent=indent, allow_nan=False, default=str)


def _finite_or_null(value):
    if isinstance(value, dict):
        return {k: _finite_or_null(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite_or_null(v) for v in value]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value) if np.isfinite(value) else None
    return value


def _emit(result: dict, as_json: bool) -> None:
    if as_json:
        print(_json_text(result, indent=2))
        return
    width = max(len(k) for k in result)
    for key, value in result.items():
        text = f"{value:.6g}" if isinstance(value, float) else str(value)
        print(f"{key:<{width}}  {text}")


def _run(args) -> None:
    if args.command == "agents":
        n = required_agents(args.calls, args.aht_s, args.interval_min * 60, **_target_kwargs(args))
        result = {"model": _model(args), "traffic_erl": args.calls * args.aht_s /
                  (args.interval_min * 60), "agents": n,
                  "scheduled": scheduled_agents(n, args.shrinkage, fractional=args.fractional)}
        result.update(_performance(args, float(n)))
        _emit(result, args.json)
    elif args.command == "sl":
        if args.agents < 0 or not np.isfinite(args.agents):
            raise ValueError(f"agents must be >= 0, got {args.agents:g}")
        result = {"model": _model(args), "agents": args.agents}
        result.update(_performance(args, args.agents))
        _emit(result, args.json)
    else:
        _check_plan_options(args)
        _plan(args)


def _plan(args) -> None:
    for what, path in (("the plan CSV (--output)", args.output), ("the workbook (--xlsx)", args.xlsx),
                       ("the daily CSV (--daily)", args.daily)):
        if path:
            check_output_path(path, what)  # refused before the plan is computed
    volume = read_volume(args.volumes, tz=args.tz, dayfirst=args.dayfirst)
    first = resolve_dayfirst(args.dayfirst, args.tz)
    kwargs = _target_kwargs(args)
    plan = staffing_plan(volume, args.aht_s, period=args.period, method=args.method,
                         quantile=args.quantile, shrinkage=args.shrinkage,
                         staff_to=args.staff_to, **kwargs)
    summary: dict = {"periods": len(plan), "calls": float(plan["calls"].sum()),
                     "peak_agents": int(plan["agents"].max()),
                     "peak_scheduled": int(plan["scheduled"].max())}
    if args.shifts is not None:
        try:
            lengths = tuple(float(x) for x in args.shifts.split(","))
        except ValueError:
            raise ValueError(f"--shifts must be hour lengths such as 4,6,8, got {args.shifts!r}") \
                from None
        templates = standard_templates(lengths, args.open, args.close, args.shift_step_min)
        policy = TempPolicy(hourly_cost=args.temp_cost, training_days=args.training_days,
                            lead_time_days=args.lead_time_days,
                            under_penalty_per_hour=args.under_penalty, max_temps=args.max_temps,
                            working_days=_weekdays(args.working_days, "--working-days"),
                            holidays=tuple(_date(d, "--holidays", first)
                                           for d in args.holidays.split(",") if d.strip()),
                            order_from=_date(args.order_from, "--order-from", first)
                            if args.order_from else None,
                            min_contract_hours=args.min_contract_hours, currency=args.currency)
        permanent = _permanent(args, policy)
        cap = capacity_plan(volume, args.aht_s, period=args.period or _shift_period(volume),
                            method=args.method, model=kwargs["model"],
                            patience_s=kwargs["patience_s"], sl_target=kwargs["sl_target"],
                            target_s=kwargs["target_s"], shrinkage=args.shrinkage,
                            staff_to=args.staff_to, quantile=args.quantile,
                            max_occupancy=kwargs["max_occupancy"],
                            max_abandon=kwargs["max_abandon"], templates=templates,
                            permanent=permanent, policy=policy,
                            service_goal=args.service_goal, sl_floor=args.sl_floor,
                            redial_prob=args.redial_prob, redial_delay_s=args.redial_delay_s,
                            trunk_limit=args.trunk_limit, replications=args.replications)
        plan = cap.requirements
        summary = cap.summary
        if args.xlsx:
            write_plan_workbook(args.xlsx, cap, assumptions={
                "Volume file": args.volumes, "templates": templates, "policy": policy,
                "permanent": permanent, "max_occupancy": args.max_occupancy,
                "max_abandon": args.max_abandon, "redial_delay_s": args.redial_delay_s,
                "replications": args.replications})
        if args.daily:
            write_csv(args.daily, cap.daily)
    elif args.daily:
        raise ValueError("--daily needs --shifts (the per-day figures describe a roster)")
    if args.xlsx and not args.shifts:
        write_workbook(args.xlsx, summary, {"Intervals": plan})
    if args.output:
        write_csv(args.output, plan)
    if args.json:
        print(_json_text(summary, indent=1))
    elif not args.output:
        sys.stdout.write(csv_text(plan))


_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _date(text: str, option: str, dayfirst: bool) -> dt.date:
    """A date option, read day or month first as the volume file's dates."""
    return parse_time_option(text, option, dayfirst=dayfirst).date()


def _weekdays(text: str, option: str) -> tuple[int, ...]:
    """``mon-fri`` or ``mon,wed,fri`` (ranges and lists mix) as weekday numbers."""
    out: list[int] = []
    for part in (p.strip().lower() for p in text.split(",") if p.strip()):
        ends = [e.strip()[:3] for e in part.split("-")]
        if len(ends) > 2 or any(e not in _DAYS for e in ends):
            raise ValueError(f"{option} must list weekdays such as mon-fri or mon,wed,fri, "
                             f"got {text!r}")
        a, b = _DAYS.index(ends[0]), _DAYS.index(ends[-1])
        out += list(range(a, b + 1)) if a <= b else list(range(a, 7)) + list(range(b + 1))
    if not out:
        raise ValueError(f"{option} must name at least one weekday, got {text!r}")
    return tuple(sorted(set(out)))


def _permanent(args, policy: TempPolicy):
    if args.permanent != int(args.permanent) or args.permanent < 0:
        raise ValueError(f"--permanent must be a whole number of agents >= 0, "
                         f"got {args.permanent:g}")
    if not args.permanent:
        return 0
    hours = args.permanent_hours or (f"{args.open}-" + (
        pd.Timestamp(f"2000-01-01 {args.open}") + pd.Timedelta(hours=8)).strftime("%H:%M"))
    start, sep, end = hours.partition("-")
    if not sep:
        raise ValueError(f"--permanent-hours must be a shift such as 08:00-16:00, got {hours!r}")
    days = (_weekdays(args.permanent_days, "--permanent-days") if args.permanent_days
            else policy.working_days)
    cost = args.permanent_cost if args.permanent_cost is not None else args.temp_cost
    team = PermanentTeam.simple(int(args.permanent), start.strip(), end.strip(), days=days,
                                hourly_cost=cost)
    return replace(team, holidays=policy.holidays)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (0 ok, 2 bad input)."""
    try:
        args = _parser().parse_args(argv)
        _run(args)
    except (_UsageError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. piped into head
        return 0
    except OSError as exc:  # a folder given as a file, no permission, a full disk
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 2
    return 0
