"""The breaks an optimiser may book: the original schedule's and the candidate slots.

A *break* is one channel in one minute. Airings of a break reach the same audience, so
the forecaster adds their GRP before saturation (`forecast.campaign`); here they become
one bookable unit with the summed GRP (and cost), which keeps the response of any set of
breaks an exact sum of per-break curves. A candidate slot in the same break as an
original airing is that airing: the original's GRP is what the break delivers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from forecast import validate_spots
from tabular.days import days_of

#: Columns of the break table (besides the spot contract's start, channel, grp).
BREAK_COLUMNS = ("original", "fixed", "allowed", "week", "day", "rows")


def channel_key(name: str) -> str:
    """A channel name compared ignoring case and spacing, as the forecaster matches them.

    Examples
    --------
    >>> channel_key(" Rai  1 ") == channel_key("rai 1")
    True
    """
    return re.sub(r"\s+", " ", str(name)).strip().casefold()


def break_slots(spots: pd.DataFrame, days: Sequence | pd.DatetimeIndex, *,
                tz: str = "Europe/Rome") -> pd.DataFrame:
    """The schedule's break times (time of day per channel) on every one of ``days``.

    Each slot gets the median GRP (and cost, when ``spots`` has a ``cost`` column) of the
    schedule's airings at that channel and time of day: the audience that break had.

    Parameters
    ----------
    spots : DataFrame
        A spot schedule (spot contract).
    days : sequence of dates
        The days to offer each break time on.
    tz : str
        Time zone of naive times.

    Returns
    -------
    DataFrame
        Candidate airings: ``start``, ``channel``, ``grp`` (and ``cost``).

    Examples
    --------
    >>> s = pd.DataFrame({"start": ["2009-04-20 09:30", "2009-04-21 13:00"],
    ...                   "channel": ["Rai 1", "Rai 2"], "grp": [6.0, 4.0]})
    >>> slots = break_slots(s, pd.date_range("2009-04-20", "2009-04-21"))
    >>> [f"{t:%d %H:%M} {c} {g:g}" for t, c, g in slots[["start", "channel", "grp"]].values]
    ['20 09:30 Rai 1 6', '20 13:00 Rai 2 4', '21 09:30 Rai 1 6', '21 13:00 Rai 2 4']
    """
    frame = validate_spots(spots, tz=tz)
    if not len(frame):
        raise ValueError("spots must hold at least one airing to take break times from")
    clock = frame["start"].dt.strftime("%H:%M")
    value_cols = ["grp"] + (["cost"] if "cost" in frame else [])
    slots = frame.assign(clock=clock).groupby(["channel", "clock"], sort=True)[value_cols].median()
    dates = pd.DatetimeIndex(pd.to_datetime(list(days))).normalize()
    rows = []
    slots = slots.reset_index()
    for day in dates:
        for slot in slots.to_dict("records"):
            at = slot.pop("clock")
            rows.append({**slot, "start": pd.Timestamp(f"{day:%Y-%m-%d} {at}")})
    out = pd.DataFrame(rows)[["start", "channel", *value_cols]]
    out["start"] = pd.DatetimeIndex(out["start"]).tz_localize(tz, ambiguous=False,
                                                              nonexistent="shift_forward")
    return out.sort_values(["start", "channel"], kind="stable").reset_index(drop=True)


def break_table(spots: pd.DataFrame, candidates: pd.DataFrame, *, start: pd.Timestamp,
                end: pd.Timestamp, tz: str, fixed: pd.DataFrame | None = None,
                blackout=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The bookable breaks of the window, and the original airings outside it.

    Returns
    -------
    breaks : DataFrame
        One row per break in ``[start, end)``: ``start``, ``channel``, ``grp`` (summed over
        its airings), ``cost`` (when given), ``original`` (in the schedule), ``fixed``,
        ``allowed`` (outside every blackout), ``week`` (ISO year and week, ``"2009-W17"``),
        ``day`` and ``rows`` (positions of its airings in the schedule, for the output).
    outside : DataFrame
        The schedule's airings outside the window: they stay as they are. Its
        ``attrs["candidates_outside"]`` counts the candidates outside the window, left out.

    Raises
    ------
    ValueError
        For a fixed airing not in the schedule or inside a blackout, or a blackout that is
        not a pair of times.
    """
    original = validate_spots(spots, tz=tz).assign(_row=lambda f: np.arange(len(f)))
    offered = _validated(candidates, tz, "candidates")
    inside = (original["start"] >= start) & (original["start"] < end)
    outside = original.loc[~inside, [c for c in original.columns if c != "_row"]]
    kept = offered[(offered["start"] >= start) & (offered["start"] < end)]
    a = _breaks(original[inside], True)
    b = _breaks(kept.assign(_row=-1), False)
    b = b[~b.index.isin(a.index)]
    table = pd.concat([a, b]).sort_values(["start", "channel"], kind="stable")
    if "cost" in table:
        table["cost"] = table["cost"].fillna(0.0)
    table["fixed"] = _fixed_mask(table, fixed, tz)
    table["allowed"] = _allowed_mask(table, blackout, tz)
    clash = table["fixed"] & ~table["allowed"]
    if clash.any():
        row = table[clash].iloc[0]
        raise ValueError(f"fixed airing {describe(row)} lies in a blackout: unfix it or "
                         "change the blackout")
    iso = pd.DatetimeIndex(table["start"]).isocalendar()
    table["week"] = [f"{y}-W{w:02d}" for y, w in zip(iso["year"], iso["week"], strict=True)]
    table["day"] = days_of(pd.DatetimeIndex(table["start"]))
    outside = outside.reset_index(drop=True)
    outside.attrs["candidates_outside"] = int(len(offered) - len(kept))
    return table.reset_index(drop=True), outside


def _validated(frame, tz: str, name: str) -> pd.DataFrame:
    """`validate_spots`, its messages naming ``name`` rather than "spots"."""
    try:
        return validate_spots(frame, tz=tz)
    except ValueError as exc:
        raise ValueError(re.sub(r"(?m)^spots", name, str(exc))) from None


def describe(row) -> str:
    """An airing in words: ``"Rai 1 Mon 20 Apr 09:30"``.

    Examples
    --------
    >>> describe({"channel": "Rai 1", "start": pd.Timestamp("2009-04-20 09:30")})
    'Rai 1 Mon 20 Apr 09:30'
    """
    return f"{row['channel']} {when(row['start'])}"


def when(t: pd.Timestamp) -> str:
    """A time as a planner reads it: ``"Mon 20 Apr 09:30"``."""
    return f"{t:%a %d %b %H:%M}"


def _breaks(frame: pd.DataFrame, original: bool) -> pd.DataFrame:
    """Airings of one channel in one minute as one row, keyed by (channel, minute)."""
    minute = pd.DatetimeIndex(frame["start"]).floor("min")
    key = [f"{channel_key(c)}|{m.isoformat()}" for c, m in zip(frame["channel"], minute, strict=True)]
    grouped = frame.assign(_key=key, _minute=minute).groupby("_key", sort=False)
    out = pd.DataFrame({"start": grouped["_minute"].first(), "channel": grouped["channel"].first(),
                        "grp": grouped["grp"].sum(min_count=1)})
    if "cost" in frame:
        out["cost"] = pd.to_numeric(grouped["cost"].sum(), errors="coerce")
    out["original"] = original
    out["rows"] = grouped["_row"].agg(list) if original else [[] for _ in range(len(out))]
    out["start"] = grouped["start"].first()
    return out


def _fixed_mask(table: pd.DataFrame, fixed, tz: str) -> np.ndarray:
    """Breaks that must stay as booked: each fixed airing must be one of the schedule's."""
    mask = np.zeros(len(table), dtype=bool)
    if fixed is None:
        return mask
    wanted = validate_spots(fixed, tz=tz)
    keys = {k: i for i, k in enumerate(_keys(table))}
    for _, row in wanted.iterrows():
        key = _keys(pd.DataFrame([row]))[0]
        i = keys.get(key)
        if i is None or not table["original"].iloc[i]:
            raise ValueError(f"fixed airing {describe(row)} is not in the schedule's window: "
                             "fixed airings must be airings of the schedule, between start and end")
        mask[i] = True
    return mask


def _allowed_mask(table: pd.DataFrame, blackout, tz: str) -> np.ndarray:
    """Breaks outside every blackout ``[from, to)`` (a channel column limits one to it)."""
    allowed = np.ones(len(table), dtype=bool)
    if blackout is None:
        return allowed
    frame = blackout if isinstance(blackout, pd.DataFrame) else pd.DataFrame(
        list(blackout), columns=None)
    if frame.shape[1] < 2:
        raise ValueError(f"blackout must be pairs of times (from, to) or a frame with 'from' "
                         f"and 'to' columns, got {blackout!r}")
    if not {"from", "to"} <= set(frame.columns):
        frame = frame.rename(columns={frame.columns[0]: "from", frame.columns[1]: "to"})
    starts = pd.DatetimeIndex(table["start"])
    keys = table["channel"].map(channel_key).to_numpy()
    for i, row in enumerate(frame.to_dict("records")):
        try:
            lo, hi = (_aware(pd.Timestamp(row[k]), tz) for k in ("from", "to"))
        except (TypeError, ValueError):
            raise ValueError(f"blackout row {i + 1}: from and to must be times such as "
                             f"'2009-04-20 09:00', got {row['from']!r} and {row['to']!r}") from None
        if not hi > lo:
            raise ValueError(f"blackout row {i + 1}: 'to' must be after 'from', got {lo} and {hi}")
        hit = (starts >= lo) & (starts < hi)
        if "channel" in frame and isinstance(row["channel"], str) and row["channel"].strip():
            hit &= keys == channel_key(row["channel"])
        allowed &= ~np.asarray(hit)
    return allowed


def _aware(t: pd.Timestamp, tz: str) -> pd.Timestamp:
    return t.tz_localize(tz) if t.tz is None else t.tz_convert(tz)


def _keys(frame: pd.DataFrame) -> list[str]:
    minute = pd.DatetimeIndex(frame["start"]).floor("min")
    return [f"{channel_key(c)}|{m.isoformat()}" for c, m in zip(frame["channel"], minute, strict=True)]
