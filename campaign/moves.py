"""The changes from one schedule to another, as a planner would phone them to a broadcaster.

Within each channel, airings dropped and airings added are paired into moves so that the
time moved in total is least (an assignment problem); what is left unpaired is a plain
drop or add.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

from .candidates import channel_key, when

#: Columns of the moves frame.
MOVE_COLUMNS = ("action", "channel", "from_start", "to_start", "from_grp", "to_grp", "text")


def schedule_moves(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """What turns the ``before`` breaks into the ``after`` ones.

    Parameters
    ----------
    before, after : DataFrame
        Breaks (``start``, ``channel``, ``grp``), one row per channel and minute.

    Returns
    -------
    DataFrame
        One row per change, in time order, with columns `MOVE_COLUMNS`: ``action`` is
        ``"move"``, ``"drop"`` or ``"add"``; ``text`` says it in words.

    Examples
    --------
    >>> b = pd.DataFrame({"start": pd.to_datetime(["2009-04-20 09:30", "2009-04-20 13:00"]),
    ...                   "channel": ["Rai 1", "Rai 2"], "grp": [6.0, 4.0]})
    >>> a = pd.DataFrame({"start": pd.to_datetime(["2009-04-21 13:30", "2009-04-20 13:00"]),
    ...                   "channel": ["Rai 1", "Rai 2"], "grp": [6.0, 4.0]})
    >>> schedule_moves(b, a)["text"].tolist()
    ['move Rai 1 Mon 20 Apr 09:30 to Tue 21 Apr 13:30']
    """
    old, new = _keyed(before), _keyed(after)
    gone = old[~old.index.isin(new.index)]
    came = new[~new.index.isin(old.index)]
    rows = []
    for key in sorted(set(gone["_channel"]) | set(came["_channel"])):
        g = gone[gone["_channel"] == key].sort_values("start")
        c = came[came["_channel"] == key].sort_values("start")
        pairs: list[tuple[int, int]] = []
        if len(g) and len(c):
            t_g = pd.DatetimeIndex(g["start"]).as_unit("s").asi8.astype(float)
            t_c = pd.DatetimeIndex(c["start"]).as_unit("s").asi8.astype(float)
            cost = np.abs(t_g[:, None] - t_c[None, :])
            pairs = list(zip(*linear_sum_assignment(cost), strict=True))
        paired_g = {i for i, _ in pairs}
        paired_c = {j for _, j in pairs}
        for i, j in pairs:
            rows.append(_row("move", g.iloc[i], c.iloc[j]))
        rows += [_row("drop", g.iloc[i], None) for i in range(len(g)) if i not in paired_g]
        rows += [_row("add", None, c.iloc[j]) for j in range(len(c)) if j not in paired_c]
    out = pd.DataFrame(rows, columns=list(MOVE_COLUMNS))
    if len(out):
        first = out["from_start"].fillna(out["to_start"])
        out = out.assign(_t=first).sort_values(["_t", "channel"], kind="stable").drop(columns="_t")
    return out.reset_index(drop=True)


def _keyed(frame: pd.DataFrame) -> pd.DataFrame:
    minute = pd.DatetimeIndex(frame["start"]).floor("min")
    keys = [f"{channel_key(c)}|{m.isoformat()}" for c, m in zip(frame["channel"], minute, strict=True)]
    return frame.assign(_channel=frame["channel"].map(channel_key)).set_axis(keys)


def _row(action: str, old, new) -> dict:
    grp = _grp(old if old is not None else new)
    if action == "move":
        assert old is not None and new is not None
        text = f"move {old['channel']} {when(old['start'])} to {when(new['start'])}"
        if abs(float(new["grp"]) - float(old["grp"])) > 1e-9:
            text += f" ({_grp(old)} to {_grp(new)} GRP)"
    elif action == "drop":
        text = f"drop {old['channel']} {when(old['start'])} ({grp} GRP)"
    else:
        text = f"add {new['channel']} {when(new['start'])} ({grp} GRP)"
    return {"action": action, "channel": (old if old is not None else new)["channel"],
            "from_start": old["start"] if old is not None else pd.NaT,
            "to_start": new["start"] if new is not None else pd.NaT,
            "from_grp": float(old["grp"]) if old is not None else np.nan,
            "to_grp": float(new["grp"]) if new is not None else np.nan, "text": text}


def _grp(row) -> str:
    return f"{float(row['grp']):g}"
