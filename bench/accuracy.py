"""Forecast accuracy on the real data sets: the figures of the README's accuracy table.

    make bench            (or: python bench/accuracy.py --write-readme)

Needs ``../shared/data`` beside the project (not part of a clone): the US bank's calls
at 5 minutes (2003) and a Polish TV campaign with hourly web visits (2014). Both are
given to the model tz-aware and nothing else: the calendar comes from the data.
"""

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from readme import write_block

from forecast import backtest
from forecast.backtest import reforecast_backtest
from forecast.spot_value import spot_value

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"


def bank() -> pd.DataFrame:
    frame = pd.read_csv(DATA / "us_bank_calls_5min_2003.csv", parse_dates=["interval_start"])
    frame = frame.set_index("interval_start")
    frame.index = frame.index.tz_localize("America/New_York")
    return frame


def polish() -> tuple[pd.DataFrame, pd.DataFrame]:
    visits = pd.read_csv(DATA / "pl_tv_campaign_2014_visits_hourly.csv",
                         parse_dates=["interval_start"]).set_index("interval_start")
    # The source merged the repeated hour of the October clock change: the summer one.
    visits.index = visits.index.tz_localize("Europe/Warsaw", ambiguous=np.ones(len(visits), bool))
    spots = pd.read_csv(DATA / "pl_tv_campaign_2014_spots.csv", parse_dates=["start"])
    spots["start"] = spots["start"].dt.tz_localize("Europe/Warsaw")
    return visits.rename(columns={"visits": "calls"}), spots


def rows() -> list[tuple[str, str, str, str]]:
    """(set, measure, picco, best simple baseline) for the README table."""
    out = []
    b = bank()
    for freq, target in (("30min", 0.065), ("5min", 0.093)):
        s = backtest(b, freq=freq, origins=20).summary()
        longer = backtest(b, freq=freq, origins=60).summary()
        out.append((f"US bank, next day, {freq}", f"MAPE (target <= {target:.1%})",
                    f"{s.loc['picco', 'MAPE']:.2%} over the last 20 days (80 % band covers "
                    f"{s.loc['picco', 'coverage_p10_p90']:.0%}); {longer.loc['picco', 'MAPE']:.2%}"
                    f" over 60",
                    f"{s.loc['weekday_average_4', 'MAPE']:.2%}; "
                    f"{longer.loc['weekday_average_4', 'MAPE']:.2%} (4-week weekday average)"))
    for origins in (20, 60):
        r = reforecast_backtest(b, cutoff="13:00", origins=origins, freq="30min").summary()
        gain = 1 - r.loc["updated", "WAPE"] / r.loc["plain", "WAPE"]
        days = f"last {origins} days" + (" (the first 40 chose the discount)" if origins > 20
                                         else "")
        out.append((f"US bank, afternoon from 13:00, 30 min, {days}",
                    "WAPE with the morning's calls (target: 15 % lower)",
                    f"{r.loc['updated', 'WAPE']:.4f}, {gain:.1%} lower (band covers "
                    f"{r.loc['updated', 'coverage_p10_p90']:.0%})",
                    f"{r.loc['plain', 'WAPE']:.4f} without them"))
    visits, spots = polish()
    after = {"24 Nov-7 Dec": ("2014-11-24", "2014-12-08")}
    for cutoff, last, windows in (("2014-11-17", "16 Nov", {"17-23 Nov": ("2014-11-17",
                                                                         "2014-11-24"), **after}),
                                  ("2014-11-24", "23 Nov", after)):
        out += _polish_rows(spot_value(visits, spots, cutoff, windows), last)
    return out


def _polish_rows(v: pd.DataFrame, last: str) -> list:
    out = []
    for name, row in v.iterrows():
        out.append((f"Polish campaign, hourly, {name} (fitted to {last})", "WAPE with the spots",
                    f"{row['wape_with_spots']:.3f} (band covers {row['coverage_with_spots']:.0%})",
                    f"{row['wape_without_spots']:.3f} spot-blind, "
                    f"{row['wape_weekday_average_4']:.3f} 4-week weekday average"))
    return out


def table(lines) -> str:
    head = "| data | measure | picco | compared with |\n| --- | --- | --- | --- |\n"
    return head + "".join(f"| {a} | {b} | {c} | {d} |\n" for a, b, c, d in lines)


def main(write_readme: bool) -> None:
    if not DATA.exists():
        print(f"accuracy: the real data sets are not beside the project ({DATA.name}): skipped")
        return
    t0 = time.perf_counter()
    text = table(rows())
    print(text)
    print(f"(accuracy run: {time.perf_counter() - t0:.0f} s)")
    if write_readme:
        write_block("accuracy", text)

if __name__ == "__main__":
    main("--write-readme" in sys.argv)
