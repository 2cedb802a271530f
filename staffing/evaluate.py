"""The service a roster delivers: one evaluator behind every service figure of a plan.

A roster (agents on the phones per volume interval) is run against the forecast by the
discrete-event simulation of `staffing.simulate`: Poisson callers at the forecast mean
within each interval, exponential handling (or the given variability) and patience, the
queue carried across interval and day boundaries, redials and busy signals when asked
for. Several independent replications with a fixed seed give the figures and their
95 % confidence intervals, so the same roster always reads the same numbers.

Why simulation and not the time-dependent chain of `staffing.transient`: the chain is
exact for the state distribution but needs the headcount held over a caller's wait, and
it takes about 100 s for three weeks at 5 minutes and 700 agents; four replications of
the simulation take about 1 s, carry every caller's actual wait, and take redials and
trunk limits in stride. The chain stays the reference the simulation is tested against.

Definitions (per interval, day or window; every ratio is a ratio of sums over all
replications, by the interval a call arrived in):

* ``service_level``: answered within ``target_s`` over offered attempts (callers who hang
  up or hear busy are misses);
* ``abandon_rate``: attempts that hung up over offered attempts;
* ``blocked_rate``: attempts that heard busy over offered attempts;
* ``asa_s``: mean wait of answered calls;
* ``attempts`` and ``unique_callers``: offered attempts per replication, with and without
  redials.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from tabular.days import days_of

from . import _validate as v
from .simulate import MAX_CALLS, simulate

MAX_REPLICATIONS = 1000
"""Most simulation runs one evaluation makes (each one adds a fixed cost)."""
MAX_SIMULATED_CALLS = 10 * MAX_CALLS
"""Most calls over all runs of one evaluation: 50 million, about one to two minutes."""

_COUNTS = ("offered", "answered", "in_target", "abandoned", "blocked", "redials", "wait_s")


@dataclass(frozen=True)
class RosterService:
    """Simulated outcome of a roster, per volume interval, summed over replications.

    Attributes
    ----------
    counts : DataFrame
        Per volume interval (the volume's index): ``calls`` (forecast mean), ``on_phones``
        and the sums over replications of ``offered``, ``answered``, ``in_target``,
        ``abandoned``, ``blocked``, ``redials`` and ``wait_s`` (seconds waited by
        answered calls).
    per_day : DataFrame
        The same sums per (replication, day), for the confidence intervals.
    replications : int
    """

    counts: pd.DataFrame
    per_day: pd.DataFrame
    replications: int

    def by(self, keys) -> pd.DataFrame:
        """Figures per group of volume intervals (``keys`` aligned with the index)."""
        return _figures(self.counts.groupby(np.asarray(keys), sort=True).sum(), self.replications)

    def daily(self) -> pd.DataFrame:
        """Figures per day, with 95 % confidence half-widths across replications.

        The half-widths are ``service_level_ci`` and ``abandon_rate_ci``.
        """
        days = _day_keys(self.counts.index)
        out = _figures(self.counts.groupby(days, sort=True).sum(), self.replications)
        by_rep = self.per_day.groupby(level="day")
        out["service_level_ci"] = by_rep.apply(lambda g: _half_width(g, "in_target"))
        out["abandon_rate_ci"] = by_rep.apply(lambda g: _half_width(g, "abandoned"))
        out.index.name = "day"
        return out

    def totals(self) -> dict:
        """Whole-window figures, with 95 % confidence half-widths across replications."""
        total = _figures(self.counts.sum().to_frame().T, self.replications).iloc[0].to_dict()
        reps = self.per_day.groupby(level="replication").sum()
        total["service_level_ci"] = _half_width(reps, "in_target")
        total["abandon_rate_ci"] = _half_width(reps, "abandoned")
        total["replications"] = self.replications
        return {k: float(x) if isinstance(x, (float, np.floating)) else x for k, x in total.items()}


def _day_keys(index: pd.DatetimeIndex) -> pd.DatetimeIndex:
    return days_of(index)


def _figures(sums: pd.DataFrame, reps: int) -> pd.DataFrame:
    offered = sums["offered"].to_numpy(float)
    answered = sums["answered"].to_numpy(float)
    out = pd.DataFrame(index=sums.index)
    out["calls"] = sums["calls"].to_numpy(float)
    out["attempts"] = offered / reps
    out["unique_callers"] = (offered - sums["redials"].to_numpy(float)) / reps
    out["service_level"] = np.divide(sums["in_target"], offered, out=np.ones(len(out)),
                                     where=offered > 0)
    out["abandon_rate"] = np.divide(sums["abandoned"], offered, out=np.zeros(len(out)),
                                    where=offered > 0)
    out["blocked_rate"] = np.divide(sums["blocked"], offered, out=np.zeros(len(out)),
                                    where=offered > 0)
    out["asa_s"] = np.divide(sums["wait_s"], answered, out=np.zeros(len(out)),
                             where=answered > 0)
    out["abandoned_calls"] = sums["abandoned"].to_numpy(float) / reps
    return out


def _half_width(g: pd.DataFrame, column: str) -> float:
    """95 % half-width of a ratio ``column / offered`` across replications."""
    offered = g["offered"].to_numpy(float)
    ok = offered > 0
    if ok.sum() < 2:
        return 0.0
    ratio = g[column].to_numpy(float)[ok] / offered[ok]
    return float(stats.t.ppf(0.975, ok.sum() - 1) * ratio.std(ddof=1) / np.sqrt(ok.sum()))


def evaluate_roster(calls, index: pd.DatetimeIndex, on_phones, *, aht_s, patience_s=None,
                    target_s: float = 20.0, replications: int = 4, seed: int = 2009,
                    aht_cv: float = 1.0, redial_prob: float = 0.0,
                    redial_delay_s: float = 300.0, trunk_limit: int | None = None,
                    at_close: str = "serve") -> RosterService:
    """Simulate a roster against a forecast and keep the per-interval sums.

    Parameters
    ----------
    calls : array_like
        Expected calls per volume interval (the forecast mean).
    index : DatetimeIndex
        Regular start times of the volume intervals (days are read from it).
    on_phones : array_like of int
        Agents on the phones in each volume interval.
    aht_s, patience_s, target_s, aht_cv, redial_prob, redial_delay_s, trunk_limit, at_close
        As in `staffing.simulate.simulate`.
    replications : int
        Independent runs, 1 to ``MAX_REPLICATIONS``; more narrow the confidence intervals
        (about 0.25 s per 100,000 calls each). All runs together may simulate at most
        ``MAX_SIMULATED_CALLS`` calls.
    seed : int
        Seed of the first run; the same inputs always give the same figures.

    Returns
    -------
    RosterService

    Examples
    --------
    Two hours at 100 calls per half-hour with 14 agents (Erlang C: 88.8 % in 20 s):

    >>> import pandas as pd
    >>> idx = pd.date_range("2009-04-20 08:00", periods=4, freq="30min")
    >>> r = evaluate_roster([100] * 4, idx, [14] * 4, aht_s=180, replications=20)
    >>> t = r.totals()
    >>> abs(t["service_level"] - 0.888) < 3 * t["service_level_ci"] + 0.02
    True
    """
    index = pd.DatetimeIndex(index)
    expected = v.nonnegative("calls", calls).ravel()
    staff = np.round(v.nonnegative("on_phones", on_phones)).ravel()
    if expected.size != len(index) or staff.size != len(index):
        raise ValueError(f"calls and on_phones need one value per interval of the index "
                         f"({len(index)}), got {expected.size} and {staff.size}")
    if len(index) < 2:
        raise ValueError("the roster needs at least two intervals to read their length")
    if not (int(replications) == replications and 1 <= replications <= MAX_REPLICATIONS):
        raise ValueError(f"replications must be a whole number from 1 to {MAX_REPLICATIONS}, "
                         f"got {replications}")
    if replications * expected.sum() > MAX_SIMULATED_CALLS:
        raise ValueError(f"replications={replications} runs of {expected.sum():,.0f} calls "
                         f"would simulate more than {MAX_SIMULATED_CALLS:,} calls (minutes of "
                         "work): use fewer replications or a shorter span")
    interval_s = (index[1] - index[0]).total_seconds()
    days = _day_keys(index)
    sums = {k: np.zeros(len(index)) for k in _COUNTS}
    per_day = []
    for rep in range(int(replications)):
        run = simulate(expected, interval_s, staff, aht_s=aht_s, patience_s=patience_s,
                       target_s=target_s, aht_cv=aht_cv, redial_prob=redial_prob,
                       redial_delay_s=redial_delay_s, trunk_limit=trunk_limit,
                       at_close=at_close, rng=np.random.default_rng([seed, rep]))
        one = {"offered": run.offered, "answered": run.answered,
               "in_target": run.answered_in_target, "abandoned": run.abandoned,
               "blocked": run.blocked, "redials": run.redials,
               "wait_s": np.nan_to_num(run.asa_s * run.answered)}
        for k in _COUNTS:
            sums[k] += one[k]
        frame = pd.DataFrame(one, index=days).groupby(level=0).sum()
        frame.index = pd.MultiIndex.from_arrays([np.full(len(frame), rep), frame.index],
                                                names=["replication", "day"])
        per_day.append(frame)
    counts = pd.DataFrame({"calls": expected, "on_phones": staff, **sums}, index=index)
    return RosterService(counts=counts, per_day=pd.concat(per_day),
                         replications=int(replications))
