"""Daily level of the baseline: a local level plus a day-to-day deviation that fades.

The deseasonalised log daily total ``z`` is read as a random-walk level plus a
deviation that decays by ``phi`` per calendar day: the AR(1) daily effect that
Weinberg, Brown and Stroud (2007) found in bank call volumes (a busy day is
followed by a busy day, a week later it is forgotten). The forecast is the
steady-state filter of that state-space model::

    pred_t = level + phi**gap * dev          (gap: calendar days since the last open day)
    e_t    = z_t - pred_t                    (clipped at HUBER_K robust sd)
    level += a(gap) * e_t,   dev = phi**gap * dev + (1 - a(gap)) * e_t

with ``a(gap) = 1 - 0.5 ** (gap / half_life)``. The half-life and ``phi`` are
chosen together by the in-sample error of forecasts one to seven days ahead (the
"amse" criterion of exponential smoothing, Hyndman et al. 2008: the one-step error
alone favours a level that reacts too slowly for the week after); clipping the
errors keeps an odd day (the day after a holiday, an outage) from dragging the level
(Gelper, Fried and Croux 2010). The error of the level ``h`` days ahead, which sets
the width of the forecast intervals, is measured in sample too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

HALF_LIVES_DAYS = (3.5, 7.0, 14.0, 28.0, 56.0, 112.0, 224.0, 448.0)
PHIS_PER_DAY = tuple(np.round(np.arange(0.0, 0.96, 0.05), 2))
HUBER_K = 2.0  # clip one-step errors beyond this many robust sd (Huber's usual constant)
HORIZONS_DAYS = (1, 2, 3, 5, 7, 14, 28, 56, 91)  # where the error's growth is measured
SCORE_HORIZONS_DAYS = (1, 2, 3, 4, 5, 6, 7)
MIN_DAYS = 8  # fewer days: fixed settings and a 10 % level error
DRIFT_MAX_DAYS = 365  # a growth measured over a year is not carried further than a year


@dataclass(frozen=True)
class LevelFit:
    """The filtered level at the last day and how its forecast behaves ahead.

    Attributes
    ----------
    log_level : float
        Log of the deseasonalised daily level at the last day.
    deviation : float
        Log deviation of the last day from the level; fades by ``phi_per_day`` a day.
    half_life_days : float
        Half-life of the level's smoothing.
    phi_per_day : float
        Persistence of a day's deviation per calendar day.
    var_by_days : tuple of (int, float)
        Variance of the in-sample log error ``h`` days ahead, for increasing ``h``.
    errors : ndarray
        In-sample one-step-ahead errors of each day (empty for short histories).
    path : ndarray
        The filtered level after each day of the fit (what the history's own days are
        measured against when a campaign is fitted in sample).
    """

    log_level: float
    deviation: float
    half_life_days: float
    phi_per_day: float
    var_by_days: tuple = ((1, 0.01),)
    errors: np.ndarray = field(default_factory=lambda: np.zeros(0), repr=False, compare=False)
    path: np.ndarray = field(default_factory=lambda: np.zeros(0), repr=False, compare=False)
    drift_per_day: float = 0.0  # log growth a day, carried ahead up to DRIFT_MAX_DAYS

    def log_forecast(self, days_ahead: np.ndarray) -> np.ndarray:
        """Log level ``days_ahead`` days after the last day (the level itself for <= 0).

        Examples
        --------
        >>> fit = LevelFit(np.log(100.0), 0.1, 14.0, 0.5)
        >>> np.exp(fit.log_forecast(np.array([0, 1, 2]))).round(2).tolist()
        [100.0, 105.13, 102.53]
        """
        h = np.asarray(days_ahead, float)
        return self.log_level + np.where(h > 0, self.deviation * self.phi_per_day ** np.maximum(h, 0)
                                         + self.drift_per_day * np.minimum(h, DRIFT_MAX_DAYS), 0.0)

    def rel_var(self, days_ahead: np.ndarray) -> np.ndarray:
        """Relative variance of the daily level ``days_ahead`` (>= 1) days after the last day.

        Interpolated between the horizons measured in sample, flat beyond the last.

        Examples
        --------
        >>> LevelFit(0.0, 0.0, 14.0, 0.5, ((1, 0.01), (7, 0.02))).rel_var(np.array([1, 4, 30]))
        array([0.01 , 0.015, 0.02 ])
        """
        h, v = (np.array(a, float) for a in zip(*self.var_by_days, strict=True))
        return np.interp(np.maximum(np.asarray(days_ahead, float), 1.0), h, v)


def _filter(day: np.ndarray, z: np.ndarray, half_life: np.ndarray, phi: np.ndarray,
            clip: float, start: float):
    """Run the filter for many (half-life, phi) pairs at once; one-step errors and states."""
    n = z.size
    gaps = np.diff(day, prepend=day[0] - 1).astype(float)[:, None]
    decay = phi[None, :] ** gaps
    gain = 1.0 - 0.5 ** (gaps / half_life[None, :])
    if half_life.size == 1:  # plain floats: a tenth of the time of one-element arrays
        return _filter_one(z.tolist(), decay[:, 0].tolist(), gain[:, 0].tolist(), clip, start)
    level = np.full(half_life.size, start)
    dev = np.zeros(half_life.size)
    errors = np.empty((n, half_life.size))
    levels = np.empty_like(errors)
    devs = np.empty_like(errors)
    for t in range(n):
        e = z[t] - level - decay[t] * dev
        errors[t] = e
        e = np.minimum(np.maximum(e, -clip), clip)
        level = level + gain[t] * e
        dev = decay[t] * dev + (1.0 - gain[t]) * e
        levels[t], devs[t] = level, dev
    return errors, levels, devs


def _filter_one(z: list, decay: list, gain: list, clip: float, start: float):
    level, dev = start, 0.0
    errors, levels, devs = [], [], []
    for zt, d, a in zip(z, decay, gain, strict=True):
        e = zt - level - d * dev
        errors.append(e)
        e = min(max(e, -clip), clip)
        level += a * e
        dev = d * dev + (1.0 - a) * e
        levels.append(level)
        devs.append(dev)
    return (np.array(errors)[:, None], np.array(levels)[:, None], np.array(devs)[:, None])


def _huber(e: np.ndarray, clip: float) -> np.ndarray:
    a = np.abs(e)
    return np.where(a <= clip, 0.5 * e ** 2, clip * a - 0.5 * clip ** 2)


def _robust_var(e: np.ndarray) -> float:
    return float((1.4826 * np.median(np.abs(e - np.median(e)))) ** 2)


def fit_level(day: np.ndarray, z: np.ndarray, *, half_life_days: float | None = None,
              phi_per_day: float | None = None, count_var: np.ndarray | None = None) -> LevelFit:
    """Fit the level to deseasonalised log daily totals.

    Parameters
    ----------
    day : ndarray of int
        Day numbers (consecutive calendar days differ by 1), increasing.
    z : ndarray
        Log of the daily totals divided by their day-type (and yearly) factors.
    half_life_days, phi_per_day : float, optional
        Fix a setting instead of choosing it by the in-sample error one to seven days ahead.
    count_var : ndarray, optional
        Variance of each ``z`` that is count noise (``1 / calls`` of the day): the forecast
        adds count noise of its own, so the level's error leaves it out.

    Returns
    -------
    LevelFit

    Raises
    ------
    ValueError
        If ``day`` and ``z`` differ in length or are empty.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> ar = np.zeros(300)
    >>> for t in range(1, 300):
    ...     ar[t] = 0.7 * ar[t - 1] + rng.normal(0, 0.05)
    >>> fit = fit_level(np.arange(300), np.log(1000) + ar)
    >>> bool(0.5 <= fit.phi_per_day <= 0.85), bool(abs(np.exp(fit.log_level) / 1000 - 1) < 0.05)
    (True, True)
    """
    day = np.asarray(day, np.int64)
    z = np.asarray(z, float)
    if day.shape != z.shape or z.size == 0:
        raise ValueError(f"day and z must be non-empty and equally long, got {day.size} and {z.size}")
    hls = np.array([half_life_days] if half_life_days else HALF_LIVES_DAYS, float)
    phis = np.array([phi_per_day] if phi_per_day is not None else PHIS_PER_DAY, float)
    if z.size < MIN_DAYS:
        hl = float(hls[0] if half_life_days else 7.0)
        phi = float(phis[0] if phi_per_day is not None else 0.0)
        w = 0.5 ** ((day[-1] - day) / hl)
        mean = float(np.sum(w * z) / w.sum())
        return LevelFit(mean, 0.0, hl, phi, path=np.full(z.size, mean))
    grid_hl, grid_phi = (a.ravel() for a in np.meshgrid(hls, phis, indexing="ij"))
    start = float(np.median(z[:7]))
    burn = min(14, z.size // 3)
    pairs = _pairs(day, burn, SCORE_HORIZONS_DAYS)
    # Pilot without clipping gives the robust scale of the errors, then clip at k sd.
    errors, levels, devs = _filter(day, z, grid_hl, grid_phi, np.inf, start)
    pilot = _ahead_errors(z, levels, devs, grid_phi, pairs)
    best = int(np.argmin(sum(np.mean(e ** 2, axis=0) for e in pilot)))
    scales = [HUBER_K * max(np.sqrt(_robust_var(e[:, best])), 1e-6) for e in pilot]
    errors, levels, devs = _filter(day, z, grid_hl, grid_phi, scales[0], start)
    ahead = _ahead_errors(z, levels, devs, grid_phi, pairs)
    best = int(np.argmin(sum(np.mean(_huber(e, c), axis=0) for e, c in zip(ahead, scales,
                                                                            strict=True))))
    hl, phi = float(grid_hl[best]), float(grid_phi[best])
    noise = np.zeros_like(z) if count_var is None else np.asarray(count_var, float)
    var_by_days = _horizon_variance(z, levels[:, best], devs[:, best], phi,
                                    _pairs(day, burn, HORIZONS_DAYS), errors[burn:, best],
                                    noise)
    return LevelFit(float(levels[-1, best]), float(devs[-1, best]), hl, phi, var_by_days,
                    errors[:, best], levels[:, best].copy())


def _pairs(day: np.ndarray, burn: int, horizons) -> list[tuple[int, np.ndarray, np.ndarray]]:
    """For each horizon h: (h, origins t, targets s) with day[s] == day[t] + h, t >= burn."""
    out = []
    for h in horizons:
        target = np.searchsorted(day, day + h)
        ok = (target < day.size) & (np.arange(day.size) >= burn)
        ok[ok] &= day[target[ok]] == day[ok] + h
        if ok.any():
            out.append((h, np.flatnonzero(ok), target[ok]))
    return out


def _ahead_errors(z, levels, devs, phi, pairs) -> list[np.ndarray]:
    """In-sample h-day-ahead errors of every (half-life, phi) pair: one (pairs, combos) array per h."""
    return [z[s][:, None] - (levels[t] + phi ** h * devs[t]) for h, t, s in pairs]


def _band_var(e: np.ndarray) -> float:
    """Variance of the normal whose central 80 % matches that of the errors ``e``.

    The bands are 80 % bands: a MAD-based variance ignores the heavy tails that real
    daily totals have (a real web line's one-day-ahead errors had an RMS 2.7 times their
    MAD-based sd, and its bands covered 68 %), a plain variance lets one outage dominate.

    Examples
    --------
    >>> e = np.random.default_rng(0).normal(0, 0.1, 20000)
    >>> round(float(np.sqrt(_band_var(e))), 2)
    0.1
    """
    q10, q90 = np.quantile(e, [0.1, 0.9])
    return float(((q90 - q10) / (2 * 1.2815515655446004)) ** 2)


def _horizon_variance(z, levels, devs, phi, pairs, one_step, noise) -> tuple:
    """Variance of in-sample h-day-ahead log errors, matched to their 80 % range.

    Returns ``((h, var), ...)``, less the days' count noise ``noise`` (the forecast's
    variance adds its own: counted twice, a line of a few hundred calls a day had bands
    covering 88 % in the day and 95 % at night), but never under a quarter of what was
    measured. Horizons with under 10 pairs of days are skipped; the variances are made
    non-decreasing in ``h`` (a forecast further ahead is never surer).
    """
    def level_var(e, days):
        measured = _band_var(e)
        return max(measured - float(np.mean(noise[days])), 0.25 * measured)

    out = [(1, level_var(one_step, np.arange(z.size - one_step.size, z.size)))]
    for h, t, s in pairs:
        if t.size >= 10 and h > 1:
            out.append((h, level_var(z[s] - (levels[t] + phi ** h * devs[t]), s)))
    var = np.maximum.accumulate([v for _, v in out])
    return tuple((int(h), float(v)) for (h, _), v in zip(out, var, strict=True))
