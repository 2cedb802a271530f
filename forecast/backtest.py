"""Rolling-origin backtests of the forecaster against simple benchmarks.

For each of the last ``origins`` days with data, the model is fitted on the
history before the forecast origin (``horizon_days - 1`` days before the target
day) and predicts the target day from the spot schedule, as a planner would.
Benchmarks see the same history: the seasonal naive (same time one week before)
and the average of the same weekday over the last four weeks.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import metrics as M
from . import schema as S
from .model import CallForecaster, _history_series

BENCHMARKS = ("seasonal_naive", "weekday_average_4")


@dataclass(frozen=True)
class BacktestResult:
    """Forecasts against actuals, one row per target interval (at ``freq``)."""

    table: pd.DataFrame
    quantiles: tuple
    season: int  # intervals per week, for MASE
    insample: np.ndarray

    def summary(self) -> pd.DataFrame:
        """Accuracy per method: MAPE, WAPE, sMAPE, MASE, bias; pinball and coverage for picco."""
        a = self.table["actual"].to_numpy()
        rows = {}
        for method in ["picco", *BENCHMARKS]:
            p = self.table[method].to_numpy()
            ok = np.isfinite(p)
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


def _aggregate(values: pd.Series, freq: str | pd.Timedelta, native_s: float) -> pd.Series:
    width_s = pd.Timedelta(freq).total_seconds()
    # Intraday buckets must be complete (a half-empty one at closing time is no target);
    # a day is whatever the line logged that day.
    need = 1 if width_s >= 86400 else int(round(width_s / native_s))
    return values.resample(freq).sum(min_count=need).dropna()


def backtest(history: pd.DataFrame, spots: pd.DataFrame | None = None, *, origins: int = 20,
             horizon_days: int = 1, freq: str | None = None, quantiles=(0.1, 0.5, 0.9),
             model: Callable[[], CallForecaster] | None = None,
             tz: str = "Europe/Rome") -> BacktestResult:
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

    Returns
    -------
    BacktestResult
    """
    model = model or (lambda: CallForecaster(tz=tz))
    series = _history_series(history, tz)
    native_s = float((series.index[1] - series.index[0]).total_seconds())
    step: str | pd.Timedelta = freq or pd.Timedelta(seconds=native_s)
    day = pd.DatetimeIndex(series.index).normalize()
    daily = series.groupby(day).sum(min_count=1)
    targets = daily[daily > 0].index[-origins:]
    rows = []
    for target in targets:
        origin = target - pd.Timedelta(days=horizon_days - 1)
        past = series[series.index < origin]
        fitted = model().fit(past.to_frame(S.CALLS),
                             None if spots is None else spots[spots[S.START] < origin])
        grid = series.index[(series.index >= target) & (series.index < target + pd.Timedelta(days=1))]
        plan = None if spots is None else spots[(spots[S.START] >= origin)
                                                 & (spots[S.START] < target + pd.Timedelta(days=1))]
        fc = fitted.predict(grid, plan, quantiles=quantiles)
        actual = series[grid]
        have = actual.notna()
        parts = {"actual": actual, "picco": fc[S.MEAN]}
        for q in quantiles:
            parts[S.quantile_column(q)] = fc[S.quantile_column(q)]
        lags = [k for k in range(1, 5) if target - pd.Timedelta(weeks=k) < origin]
        shifted = [series.reindex(grid - pd.Timedelta(weeks=k)).to_numpy() for k in lags]
        parts["seasonal_naive"] = pd.Series(shifted[0] if shifted else np.nan, index=grid)
        with warnings.catch_warnings():  # a time with no earlier week is simply NaN
            warnings.simplefilter("ignore", RuntimeWarning)
            avg = np.nanmean(np.vstack(shifted), axis=0) if shifted else np.full(len(grid), np.nan)
        parts["weekday_average_4"] = pd.Series(avg, index=grid)
        frame = pd.DataFrame({k: pd.Series(np.where(have, v, np.nan), index=grid)
                              for k, v in parts.items()})
        agg = frame.apply(lambda col: _aggregate(col, step, native_s))
        agg = agg.dropna(subset=["actual"])
        agg["origin"] = origin
        rows.append(agg)
    table = pd.concat(rows)
    table.index.name = S.INDEX
    per_week = int(round(7 * 86400 / pd.Timedelta(step).total_seconds()))
    insample = _aggregate(series, step, native_s).reindex(
        pd.date_range(series.index[0].normalize(), series.index[-1], freq=step)).to_numpy()
    return BacktestResult(table=table, quantiles=tuple(quantiles), season=per_week,
                          insample=insample)
