"""Rolling-origin backtests of the forecaster against simple benchmarks.

For each of the last ``origins`` days with data, the model is fitted on the
history before the forecast origin (``horizon_days - 1`` days before the target
day) and predicts the target day from the spot schedule, as a planner would.
Benchmarks see the same history (`forecast.benchmarks`): the seasonal naive (same
time one week before), the average of the same weekday over the last four weeks, and,
with a year of history, last year's same weekday scaled by the recent growth.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from pandas.tseries.frequencies import to_offset

from tabular.days import day_start, day_starts, days_of, local_date, local_dates

from . import metrics as M
from . import schema as S
from .benchmarks import last_year_scaled, same_weekday, weekday_average
from .calendar import AUTO, DEFAULT_TZ, resolve_zone
from .checks import count
from .checks import quantiles as check_quantiles
from .checks import step as check_step
from .history_checks import MIN_SPAN_DAYS
from .model import CallForecaster, _history_series
from .notes import silenced, warn
from .spots import validate_spots

BENCHMARKS = ("seasonal_naive", "weekday_average_4", "last_year_scaled")


@dataclass(frozen=True)
class BacktestResult:
    """Forecasts against actuals, one row per target interval (at ``freq``)."""

    table: pd.DataFrame
    quantiles: tuple
    season: int  # intervals per week, for MASE
    insample: np.ndarray

    def summary(self) -> pd.DataFrame:
        """Accuracy per method: MAPE, WAPE, sMAPE, MASE, bias; pinball and coverage for picco.

        A benchmark the history cannot make at all (last year's, with under a year of it)
        has no row; one it can make for some intervals is scored on those (``n``).
        """
        a = self.table["actual"].to_numpy()
        rows = {}
        for method in ["picco", *BENCHMARKS]:
            p = self.table[method].to_numpy()
            ok = np.isfinite(p)
            if method != "picco" and not ok.any():
                continue
            row = {"MAPE": M.mape(a[ok], p[ok]), "WAPE": M.wape(a[ok], p[ok]),
                   "sMAPE": M.smape(a[ok], p[ok]), "bias": M.bias(a[ok], p[ok]),
                   "MASE": M.mase(a[ok], p[ok], self.insample, self.season), "n": int(ok.sum())}
            if method == "picco":
                for q in self.quantiles:
                    row[f"pinball_{S.quantile_column(q)}"] = M.pinball(
                        a, self.table[S.quantile_column(q)].to_numpy(), q)
                lo, hi = min(self.quantiles), max(self.quantiles)
                row[f"coverage_{S.quantile_column(lo)}_{S.quantile_column(hi)}"] = M.coverage(
                    a, self.table[S.quantile_column(lo)], self.table[S.quantile_column(hi)])
            rows[method] = row
        return pd.DataFrame(rows).T

    def best_benchmark(self) -> tuple[str | None, float]:
        """The benchmark with the lowest WAPE and that WAPE (``None``, NaN: none could be made)."""
        wape = self.summary()["WAPE"].drop("picco").astype(float).dropna()
        if wape.empty:
            return None, float("nan")
        return str(wape.idxmin()), float(wape.min())


def _zone(history, tz: str) -> str:
    index = getattr(history, "index", None)
    return resolve_zone(tz, index)[0] if isinstance(index, pd.DatetimeIndex) else DEFAULT_TZ


def _aggregate(values: pd.Series, freq: str | pd.Timedelta, native_s: float) -> pd.Series:
    width_s = pd.Timedelta(freq).total_seconds()
    # Intraday buckets must be complete (a half-empty one at closing time is no target);
    # a day is whatever the line logged that day.
    if width_s >= 86400:  # local days: not by resample, which needs every day's midnight
        times = pd.DatetimeIndex(values.index)
        days = values.groupby(local_dates(times)).sum(min_count=1).dropna()
        return pd.Series(days.to_numpy(), index=day_starts(days.index, times.tz))
    if values.empty:
        return values
    start = days_of(values.index[:1])[0]  # bins from a day's start
    return values.resample(freq, origin=start).sum(
        min_count=int(round(width_s / native_s))).dropna()


def _comparison_step(freq, native_s: float) -> pd.Timedelta:
    """The comparison's resolution: ``freq``, never finer than the history's step."""
    native = pd.Timedelta(seconds=native_s)
    if freq is None:
        return native
    width = check_step("freq", freq)
    if width < native:
        raise ValueError(f"freq must not be finer than the history's step "
                         f"({to_offset(native).freqstr}), got "
                         f"{freq!r}: there are no actuals to compare at that resolution")
    return width


def _check_enough(dates: pd.DatetimeIndex, start: pd.Timestamp, origins: int,
                  horizon_days: int) -> None:
    """Refuse origins whose fit would see less than a week of history (``dates``: local)."""
    past = dates - pd.Timedelta(days=horizon_days - 1) - local_date(start)
    enough = int((past.days >= MIN_SPAN_DAYS).sum())
    if enough < len(dates) or not len(dates):
        raise ValueError(f"origins={origins} with horizon_days={horizon_days} needs "
                         f"{MIN_SPAN_DAYS} days of history before each target day; this "
                         f"history allows at most {enough} origin(s)")


def _coarse_forecast(fitted: CallForecaster, target: pd.Timestamp, stop: pd.Timestamp, step,
                     plan, quantiles) -> pd.DataFrame:
    """The model's forecast of the target day (``target`` to ``stop``) at the comparison's resolution."""
    width = pd.Timedelta(step)
    if width >= pd.Timedelta(days=1):  # a day: forecast it with the next (two intervals)
        index = pd.DatetimeIndex([target, stop])
    else:
        index = pd.date_range(target, stop, freq=width, inclusive="left")
    return fitted.predict(index, plan, quantiles=quantiles)


def backtest(history: pd.DataFrame, spots: pd.DataFrame | None = None, *, origins: int = 20,
             horizon_days: int = 1, freq: str | None = None, quantiles=(0.1, 0.5, 0.9),
             model: Callable[[], CallForecaster] | None = None,
             tz: str = AUTO,
             progress: Callable[[str, float], None] | None = None) -> BacktestResult:
    """Rolling-origin backtest over the last ``origins`` days with data.

    Parameters
    ----------
    history : DataFrame
        The history contract.
    spots : DataFrame, optional
        Spots that aired; each forecast is given the spots of its target day as the plan.
    origins : int
        Number of target days (the last ones with calls).
    horizon_days : int
        1 forecasts the next day; 7 forecasts the day a week after the origin.
    freq : str, optional
        Resolution of the comparison (``"30min"``, ``"1D"``); defaults to the history's.
    quantiles : tuple
        Quantiles to forecast and score.
    model : callable, optional
        Returns a fresh unfitted forecaster (default ``CallForecaster(tz=tz)``).
    tz : str
        Zone of naive timestamps; ``"auto"`` (default): the zone of a tz-aware history,
        else ``Europe/Rome``, as for `CallForecaster`.
    progress : callable, optional
        Called as ``progress(stage, done)`` before each target day (``stage`` such as
        ``"day 2 of 5 (2024-01-09)"``) and once with ``"done"``; ``done`` is the share of
        the days already forecast, from 0 to 1. Each day refits the model, so a day
        takes about as long as one fit.

    Returns
    -------
    BacktestResult

    Examples
    --------
    >>> from forecast.synthetic import make_campaign
    >>> history = make_campaign(days=35, seed=1).history
    >>> seen = []
    >>> result = backtest(history, origins=2, progress=lambda stage, done: seen.append(done))
    >>> seen
    [0.0, 0.5, 1.0]
    """
    origins = count("origins", origins)
    horizon_days = count("horizon_days", horizon_days)
    quantiles = check_quantiles("quantiles", quantiles)
    zone = _zone(history, tz)
    model = model or (lambda: CallForecaster(tz=tz))
    series = _history_series(history, zone)
    spots = validate_spots(spots, tz=zone) if spots is not None else None
    native_s = float((series.index[1] - series.index[0]).total_seconds())
    step = _comparison_step(freq, native_s)
    times = pd.DatetimeIndex(series.index)
    daily = series.groupby(local_dates(times)).sum(min_count=1)
    dates = pd.DatetimeIndex(daily[daily > 0].index[-origins:])
    _check_enough(dates, times[0], origins, horizon_days)
    rows = []
    for k, date in enumerate(dates):
        if progress is not None:
            progress(f"day {k + 1} of {len(dates)} ({date.date()})", k / len(dates))
        # Local days: 23 or 25 hours across a clock change, some without a midnight.
        target, stop = day_start(date, zone), day_start(date + pd.Timedelta(days=1), zone)
        origin = day_start(date - pd.Timedelta(days=horizon_days - 1), zone)
        past = series[series.index < origin]
        with silenced():
            fitted = model().fit(past.to_frame(S.CALLS),
                                 None if spots is None else spots[spots[S.START] < origin])
        grid = times[(times >= target) & (times < stop)]
        plan = None if spots is None else spots[(spots[S.START] >= origin)
                                                 & (spots[S.START] < stop)]
        fc = fitted.predict(grid, plan, quantiles=quantiles)
        actual = series[grid]
        have = actual.notna()
        parts = {"actual": actual, "picco": fc[S.MEAN]}
        for q in quantiles:
            parts[S.quantile_column(q)] = fc[S.quantile_column(q)]
        shifted = same_weekday(series, grid, origin)
        parts["seasonal_naive"] = pd.Series(shifted[0] if shifted else np.nan, index=grid)
        parts["weekday_average_4"] = pd.Series(weekday_average(series, grid, origin), index=grid)
        parts["last_year_scaled"] = pd.Series(last_year_scaled(series, grid, origin), index=grid)
        frame = pd.DataFrame({k: pd.Series(np.where(have, v, np.nan), index=grid)
                              for k, v in parts.items()})
        agg = frame.apply(lambda col: _aggregate(col, step, native_s))
        agg = agg.dropna(subset=["actual"])
        if pd.Timedelta(step).total_seconds() > native_s and len(agg):
            # Quantiles do not add up: forecast the coarse buckets themselves.
            coarse = _coarse_forecast(fitted, target, stop, step, plan, quantiles)
            for col in [S.MEAN, *map(S.quantile_column, quantiles)]:
                agg["picco" if col == S.MEAN else col] = coarse[col].reindex(agg.index).to_numpy()
        agg["origin"] = origin
        rows.append(agg)
    if progress is not None:
        progress("done", 1.0)
    for message in fitted.diagnostics_.get("warnings", []):  # the fit on the most history
        warn(message)
    table = pd.concat(rows)
    table.index.name = S.INDEX
    per_week = int(round(7 * 86400 / pd.Timedelta(step).total_seconds()))
    sums = _aggregate(series, step, native_s)
    if pd.Timedelta(step) < pd.Timedelta(days=1):  # the gaps too, for the seasonal lag
        sums = sums.reindex(pd.date_range(days_of(times[:1])[0], times[-1], freq=step))
    insample = sums.to_numpy()
    return BacktestResult(table=table, quantiles=tuple(quantiles), season=per_week,
                          insample=insample)


@dataclass(frozen=True)
class ReforecastResult:
    """The rest of each target day forecast without and with its calls before the cut-off.

    ``table`` has one row per interval (at ``freq``): ``actual``, ``plain`` and ``updated``
    means, their quantiles (``plain_p10``, ``updated_p10``, ...) and the ``origin`` day.
    """

    table: pd.DataFrame
    quantiles: tuple
    cutoff: str

    def summary(self) -> pd.DataFrame:
        """WAPE, MAPE, bias and band coverage of the plain and the updated forecast."""
        a = self.table["actual"].to_numpy()
        lo, hi = S.quantile_column(min(self.quantiles)), S.quantile_column(max(self.quantiles))
        rows = {}
        for method in ("plain", "updated"):
            p = self.table[method].to_numpy()
            rows[method] = {"WAPE": M.wape(a, p), "MAPE": M.mape(a, p), "bias": M.bias(a, p),
                            f"coverage_{lo}_{hi}": M.coverage(a, self.table[f"{method}_{lo}"],
                                                              self.table[f"{method}_{hi}"]),
                            "n": len(a)}
        return pd.DataFrame(rows).T


def _time_of_day(text: str) -> pd.Timedelta:
    try:
        cut = pd.Timedelta(text + ":00" if str(text).count(":") == 1 else text)
    except ValueError:
        cut = pd.Timedelta(-1)
    if not pd.Timedelta(0) < cut < pd.Timedelta(days=1):
        raise ValueError(f"cutoff must be a time of day such as '13:00', got {text!r}")
    return cut


def reforecast_backtest(history: pd.DataFrame, spots: pd.DataFrame | None = None, *,
                        cutoff: str = "13:00", origins: int = 20, freq: str = "30min",
                        quantiles=(0.1, 0.5, 0.9), model: Callable[[], CallForecaster] | None = None,
                        tz: str = AUTO) -> ReforecastResult:
    """Within-day re-forecasting over the last ``origins`` days with data.

    For each target day the model is fitted on the days before it, then forecasts the
    day from ``cutoff`` to its last recorded interval at ``freq``: once plainly, once given
    the day's calls before ``cutoff`` (``predict(..., actuals=...)``). Buckets the line did
    not record in full are left out.

    Parameters
    ----------
    history, spots
        As for `backtest`; the spots of a target day are its plan.
    cutoff : str
        Time of day of the re-forecast, ``"HH:MM"``.
    origins : int
        Number of target days.
    freq : str
        Resolution of the forecast and of the comparison.
    quantiles : tuple
        Quantiles to forecast; the outer two make the band whose coverage is reported.
    model : callable, optional
        Returns a fresh unfitted forecaster (default ``CallForecaster(tz=tz)``).
    tz : str
        Zone of naive timestamps; ``"auto"``: the history's, or ``Europe/Rome``.

    Returns
    -------
    ReforecastResult
    """
    origins = count("origins", origins)
    quantiles = check_quantiles("quantiles", quantiles)
    zone = _zone(history, tz)
    model = model or (lambda: CallForecaster(tz=tz))
    cut = _time_of_day(cutoff)
    series = _history_series(history, zone)
    spots = validate_spots(spots, tz=zone) if spots is not None else None
    native_s = float((series.index[1] - series.index[0]).total_seconds())
    _comparison_step(freq, native_s)
    times = pd.DatetimeIndex(series.index)
    daily = series.groupby(local_dates(times)).sum(min_count=1)
    dates = pd.DatetimeIndex(daily[daily > 0].index[-origins:])
    _check_enough(dates, times[0], origins, 1)
    rows = []
    for date in dates:
        target, stop = day_start(date, zone), day_start(date + pd.Timedelta(days=1), zone)
        start = (date + cut).tz_localize(zone, ambiguous=True, nonexistent="shift_forward")
        today = series[(series.index >= target) & (series.index < stop)]
        seen = today.dropna()
        if seen.empty or seen.index[-1] < start:
            continue
        with silenced():
            fitted = model().fit(series[series.index < target].to_frame(S.CALLS),
                                 None if spots is None else spots[spots[S.START] < target])
        plan = None if spots is None else spots[(spots[S.START] >= target) & (
            spots[S.START] < stop)]
        end = seen.index[-1] + pd.Timedelta(seconds=native_s)
        grid = pd.date_range(start, end, freq=freq, inclusive="left")
        if len(grid) < 2:
            continue
        before = today[today.index < start].dropna().to_frame(S.CALLS)
        plain = fitted.predict(grid, plan, quantiles=quantiles)
        updated = fitted.predict(grid, plan, quantiles=quantiles, actuals=before)
        actual = _aggregate(today[today.index >= start], freq, native_s).reindex(grid)
        frame = pd.DataFrame({"actual": actual, "plain": plain[S.MEAN],
                              "updated": updated[S.MEAN]}, index=grid)
        for q in quantiles:
            col = S.quantile_column(q)
            frame[f"plain_{col}"] = plain[col]
            frame[f"updated_{col}"] = updated[col]
        frame["origin"] = target
        rows.append(frame.dropna(subset=["actual"]))
    if not rows:
        raise ValueError(f"no target day has calls after the cutoff {cutoff!r}")
    table = pd.concat(rows)
    table.index.name = S.INDEX
    return ReforecastResult(table=table, quantiles=tuple(quantiles), cutoff=cutoff)
