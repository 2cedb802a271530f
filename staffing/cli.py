"""Command line: ``python -m staffing agents|sl|plan``.

User mistakes end with exit code 2 and one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

import numpy as np

from .erlang import asa, erlang_c, occupancy, service_level
from .erlang_a import SL_DEFINITIONS, erlang_a
from .io import read_volume
from .plan import METHODS, staffing_plan
from .required import MODELS, required_agents
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
    p.add_argument("--sl", type=float, default=0.8, dest="sl_target",
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
    agents.add_argument("--json", action="store_true", help="print JSON")
    sl = sub.add_parser("sl", help="service level, ASA and abandonment for a given headcount")
    _add_queue(sl)
    sl.add_argument("--agents", type=float, required=True, help="agents on the phones")
    sl.add_argument("--json", action="store_true", help="print JSON")
    plan = sub.add_parser("plan", help="staffing plan for a volume file (CSV or Excel)")
    plan.add_argument("volumes", help="file with interval_start and calls (optional aht_s)")
    _add_queue(plan, volume=False)
    _add_targets(plan)
    plan.add_argument("--period", help="planning period, e.g. 15min, 30min, 1h")
    plan.add_argument("--method", choices=METHODS, default="sipp")
    plan.add_argument("--quantile", type=float, help="staff to this forecast quantile (pNN column)")
    plan.add_argument("--tz", default="Europe/Rome", help="time zone of naive timestamps")
    plan.add_argument("-o", "--output", help="write the plan CSV here instead of stdout")
    return top


def _model(args) -> str:
    return args.model or ("erlang_a" if args.patience_s is not None else "erlang_c")


def _target_kwargs(args) -> dict:
    return dict(sl_target=None if args.no_sl else args.sl_target, target_s=args.target_s,
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


def _emit(result: dict, as_json: bool) -> None:
    if as_json:
        print(json.dumps(result, indent=2, allow_nan=True))
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
        volume = read_volume(args.volumes, tz=args.tz)
        plan = staffing_plan(volume, args.aht_s, period=args.period, method=args.method,
                             quantile=args.quantile, shrinkage=args.shrinkage,
                             **_target_kwargs(args))
        plan.to_csv(args.output if args.output else sys.stdout)


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
    return 0
