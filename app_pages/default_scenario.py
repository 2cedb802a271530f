"""The 2009 scenario the app opens on, shipped fitted so that start-up fits nothing.

``default_2009.json`` holds the forecaster fitted to the embedded 2009 history and the
2009 spot schedule. Fitting takes about a second and generating the history another,
which a planner would wait for at every start; a test checks the file still equals a
fresh fit, and ``python -m app_pages.default_scenario`` rewrites it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from forecast import CallForecaster, load_scenario

PATH = Path(__file__).with_name("default_2009.json")
TZ = "Europe/Rome"


def fit_default() -> dict:
    """The fitted 2009 model and schedule, as the JSON file stores them."""
    sc = load_scenario("bonus_elettrico_2009")
    model = CallForecaster(holidays_closed=True).fit(sc.history, sc.spots)
    spots = sc.spots[["start", "channel", "grp"]]
    return {"model": model.to_dict(),
            "spots": {"start": [t.isoformat() for t in spots["start"]],
                      "channel": spots["channel"].tolist(), "grp": spots["grp"].tolist()}}


def load_default() -> tuple[CallForecaster, pd.DataFrame]:
    """The shipped model and spot schedule (times tz-aware, Europe/Rome)."""
    data = json.loads(PATH.read_text())
    spots = pd.DataFrame(data["spots"])
    spots["start"] = pd.to_datetime(spots["start"], utc=True).dt.tz_convert(TZ)
    return CallForecaster.from_dict(data["model"]), spots


if __name__ == "__main__":
    PATH.write_text(json.dumps(fit_default(), indent=None, separators=(",", ":")))
    print(f"wrote {PATH.name}")
