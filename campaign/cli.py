"""Command line: ``python -m campaign optimise`` and ``python -m campaign sweep``.

``optimise`` prints the capacity plans of the original and the proposed schedule side by
side, the bound, and the moves. ``sweep`` plans every scenario of a YAML spec on a dask
cluster and writes one row per scenario. User mistakes end with exit code 2 and one line
on stderr.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Sequence

import pandas as pd

from forecast import CallForecaster, read_spots
from staffing.shifts import TempPolicy
from tabular import atomic_path, check_output_path

from .optimise import optimise_schedule
from .program import OBJECTIVES


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):
        raise _UsageError(f"{self.prog}: {message}")


def _parser() -> _Parser:
    top = _Parser(prog="python -m campaign", description=__doc__)
    sub = top.add_subparsers(dest="command", required=True, parser_class=_Parser)
    p = sub.add_parser("optimise", help="move airings so that the call centre needs fewer staff")
    p.add_argument("--model", required=True, help="model JSON written by 'python -m forecast fit'")
    p.add_argument("--spots", required=True, help="CSV/Excel of the planned schedule")
    p.add_argument("--candidates", required=True,
                   help="CSV/Excel of the airings that may be booked (channel, start, grp[, cost])")
    p.add_argument("--start", required=True, help="first day planned, e.g. 2009-04-12")
    p.add_argument("--end", required=True, help="end of the window (exclusive)")
    p.add_argument("--objective", choices=OBJECTIVES, default="cost",
                   help="cost: lowest staff cost at the service goal; lost_calls: fewest "
                        "abandoned calls with the original plan's staff")
    p.add_argument("--grp-tolerance", type=float, default=0.05,
                   help="GRP per channel and ISO week within this share of the original's")
    p.add_argument("--reach-tolerance", type=float, default=0.05,
                   help="campaign-driven calls within this share of the original's")
    p.add_argument("--max-per-day-channel", type=int, help="most airings per channel and day")
    p.add_argument("--fixed", help="CSV/Excel of airings of the schedule (start, channel) "
                                   "that must stay where they are")
    p.add_argument("--blackout", help="CSV of times no airing may be booked in: columns from, "
                                      "to and optionally channel")
    p.add_argument("--time-limit-s", type=float, default=60.0, help="time for the whole run")
    p.add_argument("--aht-s", type=float, default=240.0, help="average handling time, seconds")
    p.add_argument("--patience-s", type=float, default=120.0, help="mean caller patience, seconds")
    p.add_argument("--sl", type=float, default=0.8, dest="sl_target", help="service-level target")
    p.add_argument("--target-s", type=float, default=20.0, help="answer-time target, seconds")
    p.add_argument("--shrinkage", type=float, default=0.3, help="share of shift time off the phones")
    p.add_argument("--service-goal", choices=("interval", "day", "window"), default="interval")
    p.add_argument("--hourly-cost", type=float, default=25.0, help="cost of a temp's hour")
    p.add_argument("--dayfirst", dest="dayfirst", action="store_const", const=True, default=None,
                   help="numeric dates in the files are day first (04/05/2009 is 4 May)")
    p.add_argument("--monthfirst", dest="dayfirst", action="store_const", const=False,
                   help="numeric dates in the files are month first")
    p.add_argument("-o", "--output", help="write the proposed schedule (CSV) here")
    p.add_argument("--moves", help="write the moves (CSV) here")
    w = sub.add_parser("sweep", help="plan many scenarios (schedules x settings) on a dask cluster")
    w.add_argument("spec", help="YAML sweep spec (model, spots, window, grid ...)")
    w.add_argument("--scheduler", help="address of a running dask scheduler, e.g. "
                                       "tcp://10.0.0.5:8786 (default: a local cluster)")
    w.add_argument("--workers", type=int, help="worker processes of the local cluster "
                                               "(default: one per core)")
    w.add_argument("-o", "--output", help="write the results (CSV) here; default: stdout")
    w.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    return top


def _load_model(path: str) -> CallForecaster:
    try:
        return CallForecaster.load(path)
    except (OSError, KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"--model {path}: cannot read a saved model ({exc})") from None


def _blackout(path: str) -> pd.DataFrame:
    """The blackout file: ``from``, ``to`` and an optional ``channel`` per row."""
    try:
        frame = pd.read_csv(path, dtype=str, sep=None, engine="python")
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        raise ValueError(f"--blackout {path}: cannot read it as CSV ({exc})") from None
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    if not {"from", "to"} <= set(frame.columns):
        raise ValueError(f"--blackout {path}: needs 'from' and 'to' columns (and optionally "
                         f"'channel'), got {list(frame.columns)}")
    return frame


def _sweep(args) -> None:
    from .sweep import sweep

    if args.output:
        check_output_path(args.output, "--output")  # before the work, not after
    if args.workers is not None and args.scheduler:
        raise ValueError("--workers is for the local cluster; a --scheduler brings its own workers")
    if args.workers is not None and not 1 <= args.workers <= 1024:
        raise ValueError(f"--workers must be from 1 to 1024, got {args.workers}")
    results = sweep(args.spec, scheduler_address=args.scheduler, n_workers=args.workers,
                    progress=not args.no_progress)
    for name, notes in results.attrs.get("notes", {}).items():
        for note in notes:
            print(f"warning: schedule {name}: {' '.join(str(note).split())}", file=sys.stderr)
    if args.output:
        with atomic_path(args.output, "--output") as tmp:
            results.to_csv(tmp, index=False)
        failed = int((results["error"] != "").sum())
        print(f"{len(results):,} scenarios on {results.attrs['workers']} worker(s) in "
              f"{results.attrs['seconds']:.1f} s" + (f"; {failed} without a plan (see the error "
                                                      "column)" if failed else ""))
    else:
        results.to_csv(sys.stdout, index=False)


def _run(args) -> None:
    if args.command == "sweep":
        _sweep(args)
        return
    for path, option in ((args.output, "--output"), (args.moves, "--moves")):
        if path:
            check_output_path(path, option)  # before the work, not after
    model = _load_model(args.model)
    spots = read_spots(args.spots, tz=model.tz, dayfirst=args.dayfirst)
    candidates = read_spots(args.candidates, tz=model.tz, dayfirst=args.dayfirst)
    fixed = read_spots(args.fixed, tz=model.tz, dayfirst=args.dayfirst) if args.fixed else None
    blackout = _blackout(args.blackout) if args.blackout else None
    if not args.hourly_cost > 0:
        raise ValueError(f"--hourly-cost must be > 0, got {args.hourly_cost:g}")
    result = optimise_schedule(
        model, spots, candidates, start=args.start, end=args.end, objective=args.objective,
        grp_tolerance=args.grp_tolerance, reach_tolerance=args.reach_tolerance,
        max_per_day_channel=args.max_per_day_channel, fixed=fixed, blackout=blackout,
        time_limit_s=args.time_limit_s,
        aht_s=args.aht_s, patience_s=args.patience_s, sl_target=args.sl_target,
        target_s=args.target_s, shrinkage=args.shrinkage, service_goal=args.service_goal,
        policy=TempPolicy(hourly_cost=args.hourly_cost))
    for path, option, frame in ((args.output, "--output", result.schedule),
                                (args.moves, "--moves", result.moves)):
        if path:
            with atomic_path(path, option) as tmp:
                frame.to_csv(tmp, index=False)
    print(result.text())


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (0 ok, 2 bad input)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # forecast notes on the schedules are not the point here
        try:
            _run(_parser().parse_args(argv))
        except (_UsageError, ValueError) as exc:
            print(f"error: {' '.join(str(exc).split())}", file=sys.stderr)
            return 2
        except BrokenPipeError:
            return 0
    return 0
