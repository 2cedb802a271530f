"""Column headers as planners write them, in English or Italian.

Headers are matched by `header_key` (no case, no surrounding space, ``_`` as space), then
through an alias table. `VOLUME_HEADERS` names the columns of calls per interval (a
history, a forecast, a volume file) by the data contract's names (``interval_start``,
``calls``, ``aht_s``), plus ``date`` and ``time`` for the two halves of a timestamp.
"""

from __future__ import annotations

import re

import pandas as pd

#: The data contract's names that `VOLUME_HEADERS` maps to (the packages' schemas agree).
INDEX, CALLS, AHT_S, DATE, TIME = "interval_start", "calls", "aht_s", "date", "time"

#: Header (as `header_key` gives it) to contract name, for files of calls per interval.
VOLUME_HEADERS = {
    **dict.fromkeys(("interval start", "interval", "start", "datetime", "date time", "timestamp",
                     "data e ora", "data ora", "data/ora", "dataora", "inizio",
                     "inizio intervallo", "intervallo"), INDEX),
    **dict.fromkeys(("date", "day", "data", "giorno"), DATE),
    **dict.fromkeys(("time", "ora", "orario"), TIME),
    **dict.fromkeys(("calls", "volume", "offered", "calls offered", "chiamate",
                     "chiamate offerte", "chiamate ricevute", "volumi"), CALLS),
    **dict.fromkeys(("aht s", "aht", "aht (s)", "tma", "tma s", "tma (s)"), AHT_S),
}


def header_key(name: object) -> str:
    r"""A column header as picco matches it: no case, no surrounding space, ``_`` as space.

    Examples
    --------
    >>> header_key(" Data_e  Ora "), header_key("\ufeffGRP")
    ('data e ora', 'grp')
    """
    text = str(name).replace("\ufeff", "").replace("_", " ")
    return re.sub(r"\s+", " ", text).strip().casefold()


def column_names(frame: pd.DataFrame, aliases: dict[str, str]) -> dict[str, str]:
    """``{contract name: header in the file}``; headers matched by `header_key`, then ``aliases``.

    The first header that maps to a name wins.

    Examples
    --------
    >>> column_names(pd.DataFrame(columns=["Data", "Ora", "Canale", "GRP"]),
    ...              {"data": "date", "ora": "time", "canale": "channel"})
    {'date': 'Data', 'time': 'Ora', 'channel': 'Canale', 'grp': 'GRP'}
    """
    found: dict[str, str] = {}
    for column in frame.columns:
        key = header_key(column)
        found.setdefault(aliases.get(key, key), column)
    return found
