"""The country, and region, whose holidays the history shows.

A file written with offsets (``2024-01-01T09:00:00+09:00``) names no zone. Tokyo and
Seoul both keep +09:00 all year; Madrid, Paris and Rome share their offsets and clock
changes. The offsets give the candidate countries (`offset_countries`); the history
tells them apart: on a country's public holidays that fall on days the line opens, the
line is quiet or closed if that is its country (`holiday_country`). A zone names a country
but not its region; a region is added where the line was quiet on all of the region's
own holidays (`subdivision`: New South Wales' Labour Day, Madrid's San Isidro).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from tabular.days import local_dates

from .calendar import Calendar
from .closures import day_table
from .zones import AUTO, public_holidays, subdivisions, zone_countries

MIN_HOLIDAYS = 3  # open-weekday holidays a country needs in the history to be scored
MAX_RATIO = 0.7  # a country is taken only if its holidays run at most this share of usual
TIE = 0.05  # a candidate within this of the best (mean log ratio) counts as as good


def offset_countries(index: pd.DatetimeIndex) -> list[str]:
    """Countries with a zone that gives the UTC offsets of the tz-aware ``index``.

    One time per local day and offset is checked. Every country of the zone's row in the
    tz database's ``zone1970.tab`` counts (Brussels: Belgium, Luxembourg, the
    Netherlands); research stations in Antarctica do not.

    Examples
    --------
    >>> idx = pd.date_range("2024-01-01", periods=400, freq="D", tz="+09:00")
    >>> sorted(offset_countries(idx))
    ['AU', 'ID', 'JP', 'KP', 'KR', 'PW', 'RU', 'TL']
    """
    index = pd.DatetimeIndex(index)
    offsets = np.asarray((index.tz_localize(None) - index.tz_convert("UTC").tz_localize(None))
                         .total_seconds())
    frame = pd.DataFrame({"d": local_dates(index), "o": offsets}).drop_duplicates()
    t = index[frame.index.to_numpy()].tz_convert("UTC")
    want = frame["o"].to_numpy()
    plain = t.tz_localize(None)
    out: list[str] = []
    for zone, countries in zone_countries().items():
        if zone.startswith("Antarctica/") or set(countries) <= set(out):
            continue
        local = t.tz_convert(zone).tz_localize(None)
        if np.allclose((local - plain).total_seconds(), want):
            out += [c for c in countries if c not in out]
    return out


def holiday_country(calls: pd.Series, countries: list[str],
                    prefer: str | None = None) -> tuple[str | None, str]:
    """The country among ``countries`` whose public holidays the history shows.

    Each country is scored on its holidays that fall on recorded days the line usually
    opens: the mean log of calls over the usual calls of that weekday (`day_table`;
    closed days count as a twentieth). The lowest wins if it is below log ``MAX_RATIO``
    with ``MIN_HOLIDAYS`` days or more; ``prefer`` (the zone's own country) wins a tie.

    Returns
    -------
    (str or None, str)
        The country (None when no country's holidays show) and how it was chosen.

    Examples
    --------
    >>> import holidays
    >>> days = pd.date_range("2023-01-01", "2024-06-30", freq="D", tz="+09:00")
    >>> jp = holidays.JP(years=[2023, 2024])
    >>> calls = pd.Series([0.0 if d.date() in jp else 500.0 for d in days], index=days)
    >>> holiday_country(calls, ["KR", "JP", "TL"])[0]
    'JP'
    """
    dates, ratio = _ratios(calls)
    scores = {}
    for country in countries:
        try:
            days = public_holidays(country, dates[0].year, dates[-1].year)
        except ValueError:  # a country the holidays package does not (yet) know
            continue
        on = np.isfinite(ratio) & np.array([d in days for d in dates])
        if on.sum() >= MIN_HOLIDAYS:
            scores[country] = (float(ratio[on].mean()), int(on.sum()))
    if not scores:
        return None, "none: no candidate country has holidays on enough open days"
    best = min(scores, key=lambda c: scores[c][0])
    if prefer in scores and scores[prefer][0] <= scores[best][0] + TIE:
        best = prefer
    score, n = scores[best]
    if score > np.log(MAX_RATIO):
        return None, (f"none: on the holidays of the countries these UTC offsets fit, the "
                      f"line ran as usual (best {best}: {np.exp(score):.2f} of usual)")
    return best, (f"public holidays of the history: {n} of {best}'s ran at {np.exp(score):.2f} "
                  f"of usual (of {len(scores)} countries these UTC offsets fit)")


def _ratios(calls: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Local dates of the history and the log of each day's calls over its weekday's usual.

    NaN where the day has no record or the line does not usually open; a closed day
    counts as a twentieth of usual.
    """
    table = day_table(calls.groupby(local_dates(calls.index)).sum(min_count=1))
    usual = table["usual_calls"].to_numpy(float)
    y = table["calls"].to_numpy(float)
    ok = np.isfinite(y) & np.isfinite(usual) & (usual > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(ok, np.log(np.maximum(y, 0.05 * usual) / usual), np.nan)
    return pd.DatetimeIndex(table.index).date, ratio


def subdivision(calls: pd.Series, country: str) -> tuple[str | None, str]:
    """The region of ``country`` whose own holidays the history shows, if one does.

    A region is taken only when the line ran under ``MAX_RATIO`` of usual on *every* one
    of its own holidays (those not national) on days it opens, two or more: a line's own
    closure that happens to fall on a region's holiday does not pick that region. Of
    several, the one with the most such days wins.

    Examples
    --------
    >>> import holidays
    >>> days = pd.date_range("2022-07-01", "2024-06-30", freq="D", tz="Australia/Sydney")
    >>> nsw = holidays.AU(subdiv="NSW", years=[2022, 2023, 2024])
    >>> calls = pd.Series([0.0 if d.date() in nsw else 500.0 for d in days], index=days)
    >>> subdivision(calls, "AU")[0]
    'NSW'
    """
    dates, ratio = _ratios(calls)
    national = public_holidays(country, dates[0].year, dates[-1].year)
    best, best_key = None, (0, 0.0)
    for sub in subdivisions(country):
        own = public_holidays(f"{country}-{sub}", dates[0].year, dates[-1].year)
        on = np.isfinite(ratio) & np.array([d in own and d not in national for d in dates])
        n = int(on.sum())
        if n >= 2 and ratio[on].max() < np.log(MAX_RATIO):
            key = (n, -float(ratio[on].mean()))
            if key > best_key:
                best, best_key = sub, key
    if best is None:
        return None, ""
    return best, (f"; region {best}: the line was quiet on all {best_key[0]} of its own "
                  "holidays in the history")


def from_offsets(zone: str, zone_source: str) -> bool:
    """Whether the zone was read from UTC offsets alone (no zone name was given)."""
    return zone[:1] in "+-" or "UTC offset" in zone_source


def with_holiday_country(calendar: Calendar, calls: pd.Series, requested) -> Calendar:
    """``calendar`` with its country and region read from the history's holidays.

    Only where no country was asked for (``requested`` is ``"auto"``): the country where
    the offsets named no zone (`holiday_country`), the region wherever one shows
    (`subdivision`).
    """
    if requested != AUTO:
        return calendar
    if from_offsets(calendar.zone, calendar.zone_source):
        country, source = holiday_country(calls, offset_countries(pd.DatetimeIndex(calls.index)),
                                          prefer=calendar.country)
        if country is not None or calendar.country is None:
            calendar = replace(calendar, country=country, country_source=source)
    if calendar.country and "-" not in calendar.country:
        region, why = subdivision(calls, calendar.country)
        if region:
            calendar = replace(calendar, country=f"{calendar.country}-{region}",
                               country_source=calendar.country_source + why)
    return calendar
