"""Which constraint makes a spot-schedule request impossible, in words.

Checked before the programme is built, group by group (a channel's GRP in one ISO week,
its airings on one day), so that the message names the constraint to blame rather than
"infeasible": ``Rai 1 needs 114-126 GRP in week 2009-W16 but the candidate slots offer
84``. What only the whole programme can tell (the campaign-driven calls against the GRP
ranges) is checked by its LP bounds.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, milp


def check_groups(breaks: pd.DataFrame, low: pd.Series, high: pd.Series, cap: float,
                 cap_name: str = "max_per_day_channel") -> None:
    """Raise when a channel-week's GRP range or a channel-day's cap cannot be met.

    Parameters
    ----------
    breaks : DataFrame
        The break table (`campaign.candidates.break_table`).
    low, high : Series
        GRP range per ``(channel, week)``.
    cap : float
        Most airings per channel and day (``inf``: none).
    cap_name : str
        How the caller calls the cap, for the message.

    Raises
    ------
    ValueError
        Naming the channel, the week or day, what is needed and what is on offer.

    Examples
    --------
    >>> b = pd.DataFrame({"channel": ["Rai 1", "Rai 1"], "week": ["2009-W16"] * 2,
    ...                   "day": pd.to_datetime(["2009-04-14", "2009-04-15"]),
    ...                   "grp": [40.0, 44.0], "fixed": [False, False], "allowed": [True, True]})
    >>> key = pd.MultiIndex.from_tuples([("Rai 1", "2009-W16")])
    >>> check_groups(b, pd.Series([114.0], key), pd.Series([126.0], key), np.inf)
    Traceback (most recent call last):
    ...
    ValueError: Rai 1 needs 114-126 GRP in week 2009-W16 (grp_tolerance) but the candidate slots offer 84

    A blackout that takes the slots away is named:

    >>> big = b.assign(grp=[60.0, 60.0], allowed=[True, False])
    >>> check_groups(big, pd.Series([114.0], key), pd.Series([126.0], key), np.inf)
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: Rai 1 needs 114-126 GRP ... offer 60 outside the blackout; with it lifted ... 120 (blackout)
    """
    for (channel, day), group in breaks.groupby(["channel", "day"]):
        pinned = int(group["fixed"].sum())
        if pinned > cap:
            raise ValueError(f"{channel} has {pinned} fixed airings on {day:%a %d %b} but "
                             f"{cap_name} allows {cap:g} a day")
    for (channel, week), group in breaks.groupby(["channel", "week"]):
        lo, hi = float(low.get((channel, week), 0.0)), float(high.get((channel, week), 0.0))
        fixed = float(group.loc[group["fixed"], "grp"].sum())
        if fixed > hi + 1e-9:
            raise ValueError(f"the fixed airings of {channel} in week {week} give {fixed:g} GRP, "
                             f"above the {hi:g} allowed (grp_tolerance)")
        most = _most_grp(group, cap)
        if most < lo - 1e-9:
            what = f"{lo:.4g}-{hi:.4g}" if hi > lo + 1e-9 else f"{lo:.4g}"
            capped = f" (at most {cap:g} a day, {cap_name})" if np.isfinite(cap) else ""
            open_all = _most_grp(group.assign(allowed=True), cap)
            blamed = (f" outside the blackout; with it lifted they would offer {open_all:.4g} "
                      "(blackout)" if open_all >= lo - 1e-9 > most else "")
            raise ValueError(f"{channel} needs {what} GRP in week {week} (grp_tolerance) but "
                             f"the candidate slots offer {most:.4g}{capped}{blamed}")
        if not _reachable(group, lo, hi, cap):
            raise ValueError(f"no set of {channel}'s candidate slots in week {week} adds up "
                             f"to {lo:.4g}-{hi:.4g} GRP (grp_tolerance): widen the tolerance "
                             "or offer slots of other sizes")


def reach_range(calls: np.ndarray, grp: np.ndarray, member: np.ndarray, low: np.ndarray,
                high: np.ndarray, fixed: np.ndarray, allowed: np.ndarray,
                day_group: np.ndarray | None = None, cap: float = np.inf,
                time_limit_s: float = 10.0) -> tuple[float, float]:
    """Least and most campaign-driven calls of the schedules within the GRP ranges and cap.

    Two small 0/1 programmes (no load rows): a schedule outside this range cannot exist.
    NaN when no schedule meets the GRP ranges, the cap and the fixed airings together;
    ``-inf, inf`` when the solver ran out of time before it found one.

    Examples
    --------
    >>> reach_range(np.array([10.0, 30.0]), np.array([1.0, 1.0]), np.array([0, 0]),
    ...             np.array([1.0]), np.array([1.0]), np.array([False, False]),
    ...             np.array([True, True]))
    (10.0, 30.0)
    """
    n = len(calls)
    rows = np.zeros((len(low), n))
    rows[member, np.arange(n)] = grp
    lo, hi = list(low), list(high)
    if day_group is not None and np.isfinite(cap):
        days = np.zeros((int(day_group.max(initial=-1)) + 1, n))
        days[day_group, np.arange(n)] = 1.0
        rows = np.vstack([rows, days])
        lo += [-np.inf] * len(days)
        hi += [cap] * len(days)
    cons = LinearConstraint(rows, lo, hi)
    bounds = Bounds(fixed.astype(float), allowed.astype(float))
    out = []
    for sign in (1.0, -1.0):
        res = milp(sign * calls, constraints=cons, bounds=bounds, integrality=np.ones(n, dtype=int),
                   options={"time_limit": time_limit_s, "mip_rel_gap": 1e-4})
        if res.x is not None:
            out.append(sign * float(res.fun))
        else:  # proved infeasible: NaN; out of time without a schedule: no limit known
            out.append(np.nan if res.status == 2 else -sign * np.inf)
    return out[0], out[1]


def _most_grp(group: pd.DataFrame, cap: float) -> float:
    """Most GRP the allowed slots give with at most ``cap`` a day (fixed ones first)."""
    total = 0.0
    for _, day in group.groupby("day"):
        usable = day[day["allowed"]]
        fixed = usable[usable["fixed"]]["grp"].to_numpy()
        free = np.sort(usable[~usable["fixed"]]["grp"].to_numpy())[::-1]
        room = len(usable) if not np.isfinite(cap) else max(int(cap) - len(fixed), 0)
        total += float(fixed.sum() + free[:room].sum())
    return total


def _reachable(group: pd.DataFrame, lo: float, hi: float, cap: float) -> bool:
    """Whether some set of the group's slots has GRP in ``[lo, hi]`` (a small MILP)."""
    grp = group["grp"].to_numpy(float)
    n = len(grp)
    if n == 0:
        return lo <= 1e-9
    rows, low, high = [grp], [lo], [hi]
    if np.isfinite(cap):
        for _, idx in group.reset_index(drop=True).groupby("day").groups.items():
            row = np.zeros(n)
            row[np.asarray(idx)] = 1.0
            rows.append(row)
            low.append(-np.inf)
            high.append(cap)
    res = milp(np.zeros(n), integrality=np.ones(n, dtype=int),
               bounds=Bounds(group["fixed"].to_numpy(float), group["allowed"].to_numpy(float)),
               constraints=LinearConstraint(np.array(rows), low, high),
               options={"time_limit": 5.0})
    return res.x is not None or res.status == 1  # out of time: let the programme decide
