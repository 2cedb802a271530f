"""Intraday profiles: the share of a day's calls in each time-of-day slot, per day type.

Each day type's profile is a recency-weighted mean of its days' shares, shrunk
towards the pooled profile of all days by a prior worth ``prior_days`` days
(Weinberg, Brown and Stroud 2007 and Shen and Huang 2008 both find day-of-week
shapes; how much to pool depends on how many days there are), then smoothed
along the day by a Gaussian that never spills into closed slots.

The half-life, the prior and the smoothing width are chosen together by
cross-validation on the history itself: every day of the last part of the history
is predicted from the days before it, and the settings with the least absolute
error of the day's counts (given its actual total) win. Odd intervals (an outage
in the evening, a spike) are pulled to the profile first, so that one bad day
does not bend a weekday's shape for weeks.

`scatter_by_slots` measures how far days stray from their profile, on intervals of
one slot and on sums of several: the over-dispersion of the forecast intervals;
`scatter_by_hour` how that scatter varies with the time of day.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.ndimage import gaussian_filter1d

HALF_LIVES_DAYS = (14.0, 28.0, 56.0, 112.0, 365.0)
PRIORS_DAYS = (0.0, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0)
SMOOTH_SLOTS = (0.0, 0.5, 1.0, 2.0, 4.0)
CV_DAYS = 91  # calendar days at the end of the history predicted in the cross-validation
MIN_CV_DAYS = 4


@dataclass(frozen=True)
class ProfileSettings:
    """Settings of the profiles (chosen by cross-validation unless fixed)."""

    half_life_days: float
    prior_days: float
    smooth_slots: float


def smooth(rows: np.ndarray, sigma_slots: float) -> np.ndarray:
    """Gaussian smoothing of each row along the day, never into closed (zero) slots.

    The day wraps around midnight (a 24-hour line); rows are renormalised to sum 1.

    Examples
    --------
    >>> smooth(np.array([[0.0, 0.2, 0.6, 0.2, 0.0]]), 1.0).round(3).tolist()
    [[0.0, 0.32, 0.36, 0.32, 0.0]]
    """
    if sigma_slots <= 0 or rows.shape[-1] < 3:
        return rows
    open_ = (rows > 0).astype(float)
    num = gaussian_filter1d(rows, sigma_slots, axis=-1, mode="wrap", truncate=3.0)
    den = gaussian_filter1d(open_, sigma_slots, axis=-1, mode="wrap", truncate=3.0)
    out = np.where(open_ > 0, num / np.maximum(den, 1e-12), 0.0)
    total = out.sum(axis=-1, keepdims=True)
    return np.divide(out, total, out=np.zeros_like(out), where=total > 0)


def _normalised(rows: np.ndarray) -> np.ndarray:
    total = rows.sum(axis=-1, keepdims=True)
    return np.divide(rows, total, out=np.zeros_like(rows), where=total > 0)


def _blend(own, own_weight, pooled, prior):
    """Own-type mean shrunk towards the pooled one (pooled alone where a type has no data)."""
    return _normalised(np.where(own_weight > 0,
                                (own + prior * pooled) / (own_weight + prior + 1e-300), pooled))


def _weighted_profile(weight_days: np.ndarray, shares: np.ndarray, robust: np.ndarray):
    """Weighted mean profile of the days, one row per row of ``weight_days`` (rows, days)."""
    num, den = _mean(weight_days, shares, robust)
    return _normalised(np.divide(num, den, out=np.zeros_like(num), where=den > 0))


def _mean(weight_days: np.ndarray, shares: np.ndarray, robust: np.ndarray):
    """Weighted sums of shares and of weights per slot: ``weight_days`` is (rows, days)."""
    return weight_days @ (robust * shares), weight_days @ robust


def _cv_settings(shares, robust, total, types, day) -> ProfileSettings:
    # The last CV_DAYS, but never the first half of the days: each target needs a past.
    targets = np.flatnonzero((day > day[-1] - CV_DAYS) & (np.arange(day.size) >= max(day.size // 2, 1)))
    # Scored on the targets' ordinary slots: an outage is no shape to forecast.
    actual = shares[targets] * total[targets, None]
    score_weight = robust[targets]
    best = (np.inf, ProfileSettings(28.0, 1.0, 0.0))
    ahead = day[targets][:, None] - day[None, :]
    same = types[targets][:, None] == types[None, :]
    for hl in HALF_LIVES_DAYS:
        w = np.where(ahead > 0, 0.5 ** (ahead / hl), 0.0)  # only days before the target
        pooled = _weighted_profile(w, shares, robust)
        own, own_weight = _mean(w * same, shares, robust)
        for prior in PRIORS_DAYS:
            raw = _blend(own, own_weight, pooled, prior)
            for sigma in SMOOTH_SLOTS:
                pred = smooth(raw, sigma) * total[targets, None]
                score = float(np.sum(score_weight * np.abs(pred - actual)))
                if score < best[0] * (1 - 1e-9):  # a tie keeps the first candidate
                    best = (score, ProfileSettings(hl, prior, sigma))
    return best[1]


def _robust_shares(counts: np.ndarray, types: np.ndarray, day: np.ndarray,
                   block_slots: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Shares of each day, robustness weights of its slots, and its robust total.

    STL's robustness weights (Cleveland et al. 1990), on sums of ``block_slots`` slots
    (an hour: an outage shows there, not in a 5-minute slot of two calls): the bisquare
    of the Pearson residual from the type's recency-weighted profile, scaled by six
    median absolute residuals; profile and weights are refitted twice. A day's total
    is estimated from its ordinary hours, so that an evening outage does not make the
    rest of the day look busy.
    """
    n_days, n_slots = counts.shape
    total = counts.sum(axis=1)
    robust = np.ones_like(counts)
    k = max(min(block_slots, n_slots), 1)
    m = (n_slots // k) * k
    if n_slots == 1:
        return counts / total[:, None], robust, total
    onehot = (types[None, :] == np.arange(8)[:, None]) * 0.5 ** ((day[-1] - day) / 56.0)
    for _ in range(2):
        shares = counts / total[:, None]
        first = _weighted_profile(onehot, shares, robust)[types]
        total = np.sum(robust * counts, axis=1) / np.maximum(np.sum(robust * first, axis=1), 1e-12)
        c = counts[:, :m].reshape(n_days, -1, k).sum(axis=2)
        mu = (total[:, None] * first[:, :m]).reshape(n_days, -1, k).sum(axis=2)
        ok = mu > 0
        resid = np.zeros_like(mu)
        resid[ok] = (c[ok] - mu[ok]) / np.sqrt(mu[ok])
        scale = 6.0 * np.median(np.abs(resid[ok])) if ok.any() else 0.0
        if scale <= 0:
            break
        robust[:, :m] = np.repeat(np.clip(1.0 - (resid / scale) ** 2, 0.0, None) ** 2, k, axis=1)
    return counts / total[:, None], robust, total


def fit_profiles(counts: np.ndarray, types: np.ndarray, day: np.ndarray, *,
                 half_life_days: float | None = None, prior_days: float | None = None,
                 smooth_slots: float | None = None, slot_s: float = 3600.0,
                 held_out: bool = False) -> tuple:
    """Profiles of the 8 day types from whole days of counts per slot.

    Parameters
    ----------
    counts : ndarray
        ``(days, slots)`` calls per slot of whole days with calls.
    types : ndarray of int
        Day type of each day (0..7).
    day : ndarray of int
        Day numbers, increasing.
    half_life_days, prior_days, smooth_slots : float, optional
        Fix a setting instead of choosing it by cross-validation.
    slot_s : float
        Length of a slot in seconds (odd intervals are looked for hour by hour).
    held_out : bool
        Also return each day's profile fitted without that day (`held_out_profiles`).

    Returns
    -------
    profile : ndarray
        ``(8, slots)`` shares of the day; NaN rows for day types never seen.
    settings : ProfileSettings
    held_out : ndarray
        ``(days, slots)``, only when asked for.

    Examples
    --------
    >>> counts = np.array([[10.0, 30.0], [20.0, 20.0], [10.0, 30.0]])
    >>> profile, _ = fit_profiles(counts, np.array([0, 1, 0]), np.array([0, 1, 7]),
    ...                           half_life_days=28.0, prior_days=0.0, smooth_slots=0.0)
    >>> profile[:2].round(6).tolist()
    [[0.25, 0.75], [0.5, 0.5]]
    """
    counts = np.asarray(counts, float)
    shares, robust, total = _robust_shares(counts, types, day, int(round(3600.0 / slot_s)))
    chosen = ProfileSettings(28.0, 1.0, 300.0 / slot_s)  # too few days to choose: 5 minutes
    if None in (half_life_days, prior_days, smooth_slots) and day.size > MIN_CV_DAYS \
            and counts.shape[1] > 1:
        chosen = _cv_settings(shares, robust, total, types, day)
    settings = ProfileSettings(
        chosen.half_life_days if half_life_days is None else float(half_life_days),
        chosen.prior_days if prior_days is None else float(prior_days),
        chosen.smooth_slots if smooth_slots is None else float(smooth_slots))
    w = 0.5 ** ((day[-1] - day) / settings.half_life_days)
    pooled = _weighted_profile(w[None, :], shares, robust)
    onehot = (types[None, :] == np.arange(8)[:, None]) * w[None, :]
    own, own_weight = _mean(onehot, shares, robust)
    profile = smooth(_blend(own, own_weight, pooled, settings.prior_days), settings.smooth_slots)
    profile[onehot.sum(axis=1) == 0] = np.nan
    if np.isnan(profile[0, 0]):
        profile[0] = smooth(pooled, settings.smooth_slots)[0]  # the fallback type
    if not held_out:
        return profile, settings
    return profile, settings, held_out_profiles(shares, robust, types, w, settings)


def held_out_profiles(shares: np.ndarray, robust: np.ndarray, types: np.ndarray,
                      weight: np.ndarray, settings: ProfileSettings) -> np.ndarray:
    """Each day's profile as fitted on all the other days (leave one day out).

    A day's own counts pull its type's profile towards them: scattered around a profile
    fitted on themselves, five weeks of days look a third tidier than a day the profile
    has not seen, which is what a forecast meets. Rows with the same settings, weights and
    pooling as the fitted profile, each without its day.

    Examples
    --------
    Two days of one type: each is forecast by the other.

    >>> shares = np.array([[0.25, 0.75], [0.75, 0.25]])
    >>> held_out_profiles(shares, np.ones((2, 2)), np.array([0, 0]), np.ones(2),
    ...                   ProfileSettings(28.0, 0.0, 0.0)).tolist()
    [[0.75, 0.25], [0.25, 0.75]]
    """
    mine = (weight[:, None] * robust) * shares
    mine_w = weight[:, None] * robust
    pooled_num, pooled_den = mine.sum(axis=0) - mine, mine_w.sum(axis=0) - mine_w
    pooled = _normalised(np.divide(pooled_num, pooled_den, out=np.zeros_like(pooled_num),
                                   where=pooled_den > 0))
    onehot = types[None, :] == np.arange(8)[:, None]
    own_num = (onehot.astype(float) @ mine)[types] - mine
    own_den = (onehot.astype(float) @ mine_w)[types] - mine_w
    return smooth(_blend(own_num, np.where(own_den > 1e-12, own_den, 0.0), pooled,
                         settings.prior_days), settings.smooth_slots)


def scatter_by_slots(counts: np.ndarray, mu: np.ndarray, missing: np.ndarray,
                     taken_off: np.ndarray | None = None) -> tuple:
    """NB alpha by moments of (day, slot) counts around (day total x profile).

    Measured on sums of 1, 2, 3, ... slots: ``((slots, alpha), ...)``. Sums over a slot
    with no record where the profile expects calls are left out. ``taken_off`` holds
    expected calls already subtracted from ``counts`` (a campaign's spikes): their count
    noise is still in ``counts`` and is not scatter around the profile.

    Examples
    --------
    >>> counts = np.tile([[5.0, 15.0], [15.0, 5.0]], (5, 1))  # 10 days of 2 slots
    >>> scatter_by_slots(counts, np.full((10, 2), 10.0), np.zeros((10, 2), bool))
    ((1, 0.15), (2, 0.0))
    """
    out = []
    n_slots = counts.shape[1]
    missing = missing & (mu > 0)
    extra = np.zeros_like(mu) if taken_off is None else taken_off
    for k in (1, 2, 3, 4, 6, 8, 12, 16, 24, 36, 48, 72, 96, 144, 288, 576, 1440):
        if k > n_slots:
            break
        m = (n_slots // k) * k
        c = counts[:, :m].reshape(len(counts), -1, k).sum(axis=2)
        e = mu[:, :m].reshape(len(mu), -1, k).sum(axis=2)
        x = e + extra[:, :m].reshape(len(mu), -1, k).sum(axis=2)
        ok = (e > 0) & ~missing[:, :m].reshape(len(mu), -1, k).any(axis=2)
        alpha = np.sum((c[ok] - e[ok]) ** 2 - x[ok]) / np.sum(x[ok] ** 2) if ok.sum() >= 10 else 0.0
        out.append((k, float(max(alpha, 0.0))))
    if out[-1][0] < n_slots:  # a whole day: its total is the actual one, so no scatter
        out.append((n_slots, 0.0))
    return tuple(out)


def alpha_at(by_slots: tuple, slots: np.ndarray | float) -> np.ndarray:
    """NB alpha of sums of ``slots`` slots, read off `scatter_by_slots` (log-linear between).

    Examples
    --------
    >>> alpha_at(((1, 0.04), (4, 0.01), (16, 0.0)), np.array([1.0, 2.0, 8.0, 100.0])).round(4).tolist()
    [0.04, 0.025, 0.005, 0.0]
    """
    k, alpha = (np.array(a, float) for a in zip(*by_slots, strict=True))
    return np.interp(np.log(np.clip(slots, k[0], k[-1])), np.log(k), alpha)


SHAPE_PRIOR_DAYS = 28  # an hour's own scatter is pooled with the day's as if this many days
SHAPE_MAX = 10.0  # the most an hour's alpha is taken to exceed the day's
# Under this share of the Poisson variance, an hour's over-dispersion is noise: turning a
# few per cent more spread into an alpha would multiply a near-zero alpha many times over.
SHAPE_MIN_EXTRA = 0.05


def scatter_by_hour(counts: np.ndarray, mu: np.ndarray, missing: np.ndarray,
                    slot_s: float, alpha: float, taken_off: np.ndarray | None = None) -> np.ndarray:
    """Each slot's over-dispersion relative to the whole day's, measured hour by hour.

    Days do not stray from their profile alike at every hour: the US bank's first hours
    stray more than its afternoons (next-day 30-minute bands covered 57-66 % from 07:00 to
    09:00 and 85-88 % after noon with one over-dispersion for all hours). Each hour's sums
    are standardised by the day's variance (``x + alpha x^2``, ``x`` the expected calls);
    the hour's variance is that times the square of the 80 % quantile of its absolute
    z-scores over that of all hours (quantiles: an outage is no scatter to plan for), and
    its alpha follows at its median expected calls. The ratio to ``alpha`` is pooled with
    1 as if 1 were `SHAPE_PRIOR_DAYS` days of evidence: a few weeks of history say little
    hour by hour; at most `SHAPE_MAX`. One value per slot (the slots of an hour share
    theirs); 1 where nothing is known, or where the over-dispersion is under
    `SHAPE_MIN_EXTRA` of the counts' own variance.

    Examples
    --------
    Mornings stray more than afternoons:

    >>> rng = np.random.default_rng(0)
    >>> mu = np.full((200, 4), 100.0)
    >>> wobble = np.exp(rng.normal(0, [0.3, 0.3, 0.1, 0.1], (200, 4)))
    >>> counts = rng.poisson(mu * wobble).astype(float)
    >>> shape = scatter_by_hour(counts, mu, np.zeros((200, 4), bool), 3600.0, 0.05)
    >>> bool(shape[0] > 1.5 > 0.5 > shape[3])
    True
    """
    n_days, n_slots = counts.shape
    k = max(int(round(3600.0 / slot_s)), 1)
    blocks = np.arange(n_slots) // k
    n_blocks = int(blocks[-1]) + 1
    if alpha <= 0:
        return np.ones(n_slots)

    def sums(a):
        out = np.zeros((n_days, n_blocks))
        np.add.at(out, (slice(None), blocks), a)
        return out

    extra = np.zeros_like(mu) if taken_off is None else taken_off
    c, e = sums(counts), sums(mu)
    x = e + sums(extra)
    gone = np.zeros((n_days, n_blocks), bool)
    np.logical_or.at(gone, (slice(None), blocks), missing & (mu > 0))
    ok = (e > 0) & ~gone
    if ok.sum() < 10:
        return np.ones(n_slots)
    z = np.where(ok, np.abs(c - e) / np.sqrt(np.where(ok, x + alpha * x ** 2, 1.0)), np.nan)
    overall = np.nanquantile(z, 0.8)
    shape = np.ones(n_blocks)
    days = ok.sum(axis=0)
    for b in np.flatnonzero(days >= 1):
        ratio = (np.nanquantile(z[:, b], 0.8) / overall) ** 2
        typical = float(np.median(x[ok[:, b], b]))
        if alpha * typical < SHAPE_MIN_EXTRA:
            continue
        own = min(max(ratio * (typical + alpha * typical ** 2) - typical, 0.0)
                  / (alpha * typical ** 2), SHAPE_MAX)
        shape[b] = (days[b] * own + SHAPE_PRIOR_DAYS) / (days[b] + SHAPE_PRIOR_DAYS)
    return shape[blocks]
