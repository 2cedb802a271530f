"""Command line: ``python -m forecast fit|predict|backtest|scenario``.

User mistakes end with exit code 2 and one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from collections.abc import Sequence

import pandas as pd

from tabular import atomic_path, check_output_folder, check_output_path, parse_time_option, resolve_dayfirst
from tabular.days import day_starts, local_date

from .backtest import backtest, reforecast_backtest
from .calendar import zone_name
from .campaign import carryover_form
from .checks import MAX_INTERVALS, count, quantiles, step
from .io import read_history
from .model import CallForecaster
from .notes import ForecastWarning
from .persist import json_ready
from .scenario import SCENARIOS, load_scenario
from .spots import read_spots


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):
        raise _UsageError(f"{self.prog}: {message}")


def _holidays_closed(text: str | None) -> bool | None:
    return {None: None, "auto": None, "yes": True, "no": False}[text]


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--tz", default="auto",
                   help="IANA time zone (auto: the zone of the times' UTC offsets, else "
                        "Europe/Rome for naive times)")
    p.add_argument("--country", default="auto",
                   help="public holidays, a holidays package code (auto: the time zone's "
                        "country; none: no public holidays)")
    p.add_argument("--holidays-closed", choices=["auto", "yes", "no"], default="auto",
                   help="is the line closed on public holidays (auto: learn from history)")


def _dates(p: argparse.ArgumentParser) -> None:
    order = p.add_mutually_exclusive_group()
    order.add_argument("--dayfirst", dest="dayfirst", action="store_const", const=True,
                       default=None, help="numeric dates are day first: 04/05/2009 is 4 May "
                                          "(default, except for US time zones)")
    order.add_argument("--monthfirst", dest="dayfirst", action="store_const", const=False,
                       help="numeric dates are month first: 04/05/2009 is 5 April")


def _parser() -> _Parser:
    top = _Parser(prog="python -m forecast", description=__doc__)
    sub = top.add_subparsers(dest="command", required=True, parser_class=_Parser)
    fit = sub.add_parser("fit", help="fit a model on a history (and its spots)")
    fit.add_argument("history", help="CSV/Excel with interval_start and calls")
    fit.add_argument("--spots", help="CSV/Excel of the spots that aired in the history")
    fit.add_argument("--save", required=True, help="write the fitted model (JSON) here")
    _common(fit)
    _dates(fit)
    pred = sub.add_parser("predict", help="forecast a window for a spot schedule")
    pred.add_argument("model", help="model JSON written by 'fit'")
    pred.add_argument("--spots", help="CSV/Excel of the planned spots")
    pred.add_argument("--start", required=True, help="first interval, e.g. 2009-04-12")
    pred.add_argument("--end", required=True, help="end of the window (exclusive)")
    pred.add_argument("--freq", default="15min", help="interval length, e.g. 5min, 1h, 1D")
    pred.add_argument("--quantiles", default="0.1,0.5,0.9", help="comma-separated quantiles")
    pred.add_argument("--components", action="store_true",
                      help="add baseline / fast / slow calls per channel")
    pred.add_argument("--actuals", help="CSV/Excel of calls observed so far (interval_start, "
                                        "calls): re-forecast the rest of their day(s)")
    _dates(pred)
    bt = sub.add_parser("backtest", help="rolling-origin backtest with error metrics")
    bt.add_argument("history")
    bt.add_argument("--spots")
    bt.add_argument("--freq", help="resolution of the comparison (default: the history's)")
    bt.add_argument("--origins", type=int, default=20, help="number of target days (default 20)")
    bt.add_argument("--horizon-days", type=int, default=1, help="1 = next day, 7 = a week ahead")
    bt.add_argument("--table", help="also write forecast-vs-actual rows to this CSV")
    bt.add_argument("--cutoff", help="HH:MM: forecast each target day from this time, without "
                                     "and with its calls before it (within-day re-forecast)")
    _common(bt)
    _dates(bt)
    sc = sub.add_parser("scenario", help="write an embedded scenario's history and spots as CSV")
    sc.add_argument("name", choices=sorted(SCENARIOS))
    sc.add_argument("--out", required=True, help="folder for history.csv and spots.csv")
    return top


def _model(args) -> CallForecaster:
    country = None if str(args.country).strip().lower() in ("", "none") else args.country
    return CallForecaster(tz=args.tz, country=country,
                          holidays_closed=_holidays_closed(args.holidays_closed))


def _records(frame: pd.DataFrame) -> list[dict]:
    """Rows as JSON-ready dicts."""
    return frame.reset_index().to_dict("records")


def _window(args, model: CallForecaster) -> tuple[pd.DatetimeIndex, int]:
    """The intervals ``--start``, ``--end`` and ``--freq`` ask for, checked, and their number.

    A forecast needs two intervals to know their length: a window of one gets the next
    one added, for the caller to drop.
    """
    width = step("--freq", args.freq)
    assert model.baseline_ is not None
    slot = pd.Timedelta(seconds=model.baseline_.slot_s)
    if width < slot:
        raise ValueError(f"--freq {args.freq} is finer than the model's history step "
                         f"({_duration(slot)}); use {_duration(slot)} or longer")
    given = _start_end(args, model.tz)  # its own message: which option, which convention
    try:
        start, end = (t.tz_localize(model.tz, ambiguous=False, nonexistent="shift_forward")
                      if t.tz is None else t.tz_convert(model.tz)
                      for t in given)
    except ValueError:
        raise ValueError(f"--start/--end must be dates or times such as 2024-02-20 or "
                         f"'2024-02-20 08:00', got {args.start!r} and {args.end!r}") from None
    if end <= start:
        raise ValueError(f"--end must be after --start, got --start {args.start} and "
                         f"--end {args.end}")
    if (end - start) / width > MAX_INTERVALS:  # refused before the times are built
        raise ValueError(f"--start {args.start} to --end {args.end} holds about "
                         f"{(end - start) / width:,.0f} intervals of {args.freq}; at most "
                         f"{MAX_INTERVALS:,} are forecast at once: split the window or use a "
                         "longer --freq")
    if width == pd.Timedelta(days=1):  # local days: 23 or 25 hours, some without a midnight
        days = pd.date_range(local_date(start), local_date(end - pd.Timedelta(1, "ns")), freq="D")
        wanted = len(days)
        if wanted == 1:
            days = days.append(days + pd.Timedelta(days=1))
        return day_starts(days, model.tz).rename("interval_start"), wanted
    index = pd.date_range(start, end, freq=width, inclusive="left", name="interval_start")
    if len(index) == 1:
        return pd.date_range(index[0], periods=2, freq=width, name=index.name), 1
    return index, len(index)


def _start_end(args, zone: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """``--start`` and ``--end`` read as the files' dates are (``04/05/2009`` day first)."""
    first = resolve_dayfirst(args.dayfirst, zone)
    return (parse_time_option(args.start, "--start", dayfirst=first),
            parse_time_option(args.end, "--end", dayfirst=first))


def _duration(width: pd.Timedelta) -> str:
    return pd.tseries.frequencies.to_offset(width).freqstr


def _run(args) -> None:
    if args.command == "fit":
        check_output_path(args.save, "--save")  # before the fit, not after
        history = read_history(args.history, tz=args.tz, dayfirst=args.dayfirst)
        zone = zone_name(pd.DatetimeIndex(history.index).tz)  # spots' naive times read in it
        spots = read_spots(args.spots, tz=zone, dayfirst=args.dayfirst) if args.spots else None
        model = _model(args).fit(history, spots)
        with atomic_path(args.save, "--save") as tmp:
            model.save(tmp)
        r = model.response
        assert r is not None
        # Shapes of a response that is not used (none kept: strengths 0) are not measured.
        used = r.measurable
        print(json.dumps(json_ready({"saved": args.save,
                          "fast_half_life_min": r.fast_half_life_min if used else None,
                          "slow_half_life_days": r.slow_half_life_days if used else None,
                          "saturation_grp": None if r.saturation_grp == float("inf") or not used
                          else r.saturation_grp,
                          "fast_rise_min": r.fast_rise_min if used else None,
                          "carryover": carryover_form(r.carryover_mix) if used else None,
                          "pooled_over_channels": r.pooled,
                          "carryover_shared_by_channels": r.slow_pooled,
                          "day_rel_sd": r.day_rel_sd,
                          "response": r.note or ("measurable response" if r.measurable
                                                 else "no response: no spots were given"),
                          "effects": _records(model.effect_summary()),
                          **model.diagnostics_}), indent=1, default=float, allow_nan=False))
    elif args.command == "predict":
        model = CallForecaster.load(args.model)
        spots = read_spots(args.spots, tz=model.tz, dayfirst=args.dayfirst) if args.spots else None
        index, wanted = _window(args, model)
        levels = quantiles("--quantiles", args.quantiles.split(","))
        actuals = read_history(args.actuals, tz=model.tz, dayfirst=args.dayfirst) \
            if args.actuals else None
        frame = model.predict(index, spots, quantiles=levels, actuals=actuals)
        if args.components:
            frame = frame.join(model.decompose(index, spots))
        frame.iloc[:wanted].to_csv(sys.stdout)
    elif args.command == "backtest":
        count("--origins", args.origins)
        count("--horizon-days", args.horizon_days)
        if args.freq:
            step("--freq", args.freq)
        if args.table:
            check_output_path(args.table, "--table")  # before the backtest, not after
        history = read_history(args.history, tz=args.tz, dayfirst=args.dayfirst)
        zone = zone_name(pd.DatetimeIndex(history.index).tz)  # spots' naive times read in it
        spots = read_spots(args.spots, tz=zone, dayfirst=args.dayfirst) if args.spots else None
        if args.cutoff:
            within = reforecast_backtest(history, spots, cutoff=args.cutoff, origins=args.origins,
                                         freq=args.freq or "30min", model=lambda: _model(args),
                                         tz=args.tz)
            print(within.summary().to_string(float_format=lambda x: f"{x:.4f}"))
            if args.table:
                with atomic_path(args.table, "--table") as tmp:
                    within.table.to_csv(tmp)
            return
        result = backtest(history, spots, origins=args.origins, horizon_days=args.horizon_days,
                          freq=args.freq, model=lambda: _model(args), tz=args.tz)
        print(result.summary().to_string(float_format=lambda x: f"{x:.4f}"))
        if args.table:
            with atomic_path(args.table, "--table") as tmp:
                result.table.to_csv(tmp)
    else:
        out = check_output_folder(args.out, "--out")  # before the scenario is built
        sc = load_scenario(args.name)
        with atomic_path(out / "history.csv", "--out") as tmp:
            sc.history.to_csv(tmp)
        with atomic_path(out / "spots.csv", "--out") as tmp:
            sc.spots.to_csv(tmp, index=False)
        print(json.dumps(sc.settings, indent=1, default=str))


def _one_line(text: object) -> str:
    """A message on one line: a refusal listing several rows joins them with '; '."""
    return "; ".join(line.strip() for line in str(text).splitlines() if line.strip())


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (0 ok, 2 bad input).

    A successful run prints each `forecast.notes.ForecastWarning` once, as one
    ``warning:`` line on stderr; numerical warnings from inside a fit are not shown.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            _run(_parser().parse_args(argv))
        except (_UsageError, ValueError) as exc:
            print(f"error: {_one_line(exc)}", file=sys.stderr)
            return 2
        except BrokenPipeError:
            return 0
    shown = dict.fromkeys(_one_line(w.message) for w in caught
                          if issubclass(w.category, ForecastWarning))
    for message in shown:
        print(f"warning: {message}", file=sys.stderr)
    return 0
