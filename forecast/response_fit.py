"""Estimating a `CampaignResponse` from calls, their baseline and the spots that aired.

Given the shapes (fast half-life and rise, carry-over half-life, saturation, carry-over
mix) the expected calls are linear in the strengths, so the fit profiles the strengths
out (nonnegative Poisson maximum likelihood) and searches the shapes: a coarse grid,
then Nelder-Mead. Two choices of form are then made by the data:

* the fast response may build up before it decays (a rise half-life); it is kept only
  when the likelihood-ratio test, scaled by the Pearson dispersion, rejects the plain
  exponential at 5 % (only data at 5 minutes or finer can tell them apart);
* the carry-over multiplies the baseline, adds a flat volume, or half of each: the
  form with the highest likelihood wins.

Last, `forecast.effects.select_effects` keeps only the channels' effects the data show.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from scipy import optimize

from .campaign import (
    HALF_LIFE_BOUNDS_DAYS,
    HALF_LIFE_BOUNDS_MIN,
    RISE_SHARE_BOUNDS,
    SATURATION_BOUNDS_GRP,
    SATURATION_START_GRP,
    CampaignResponse,
    SpotArrays,
    carryover_base,
    features,
    grp_unit,
    unrated_equivalents,
)
from .effects import poisson_fit, select_effects

MIXES = (0.0, 0.5, 1.0)
FINE_ENOUGH_FOR_RISE_S = 300.0
SHAPE_WINDOW = 50_000  # intervals
LR_CRITICAL_1DF = 3.841  # chi-square, 1 degree of freedom, 5 %


def design(baseline: np.ndarray, flat_baseline: np.ndarray, open_: np.ndarray,
           fast: np.ndarray, slow: np.ndarray, mix: float) -> np.ndarray:
    """Columns ``[fast per channel..., slow per channel...]``: d mu / d strengths."""
    return np.vstack([fast * open_, slow * carryover_base(baseline, flat_baseline, mix)]).T


def _shape_covariance(profile, x: np.ndarray, bounds, phi: float, step: float = 0.05):
    """Covariance of the log shape parameters from the Hessian of the profile likelihood.

    Parameters at (or within a step of) a bound are left out: their curvature is not a
    likelihood curvature but the wall of the search box.
    """
    free = [i for i in range(x.size)
            if bounds[i][0] + 2 * step < x[i] < bounds[i][1] - 2 * step]
    if not free:
        return np.zeros((0, 0)), []
    f0 = profile(x)

    def at(i, j, di, dj):
        p = x.copy()
        p[i] += di
        p[j] += dj
        return profile(p)

    h = np.zeros((len(free), len(free)))
    for a, i in enumerate(free):
        for b, j in enumerate(free[a:], start=a):
            if i == j:
                h[a, a] = (at(i, i, step, 0) - 2 * f0 + at(i, i, -step, 0)) / step ** 2
            else:
                h[a, b] = h[b, a] = (at(i, j, step, step) - at(i, j, step, -step)
                                     - at(i, j, -step, step) + at(i, j, -step, -step)) / (4 * step ** 2)
    values, vectors = np.linalg.eigh(h)
    keep = values > 0  # not a clean optimum in some direction: say nothing rather than lie
    inv = (vectors[:, keep] / values[keep]) @ vectors[:, keep].T * phi
    # A parameter whose log is uncertain by more than 1 (a factor e) sits on a flat
    # profile, e.g. a saturation far above any GRP aired: the forecast hardly depends on
    # it, and a secant that long would be meaningless. Leave it out.
    loose = np.diag(inv) > 1.0
    if loose.any():
        sub = np.flatnonzero(~loose)
        if not sub.size:
            return np.zeros((0, 0)), []
        h = h[np.ix_(sub, sub)]
        values, vectors = np.linalg.eigh(h)
        keep = values > 0
        inv = (vectors[:, keep] / values[keep]) @ vectors[:, keep].T * phi
        free = [free[i] for i in sub]
    return inv, free


@dataclass
class ResponseFit:
    """Result of `fit_response`."""

    response: CampaignResponse
    nll: float
    nll_no_campaign: float
    n_obs: int


def fit_response(y: np.ndarray, baseline: np.ndarray, flat_baseline: np.ndarray,
                 open_: np.ndarray, start_s: float, interval_s: float, spots: SpotArrays,
                 day: np.ndarray, *, fit_saturation: bool = True,
                 slow_max_days: float = HALF_LIFE_BOUNDS_DAYS[1],
                 shapes: CampaignResponse | None = None, day_sd: float = 0.0,
                 warm: CampaignResponse | None = None) -> ResponseFit:
    """Estimate a `CampaignResponse`.

    Parameters
    ----------
    y : ndarray
        Calls per interval (NaN where unknown; those intervals are skipped).
    baseline, flat_baseline : ndarray
        Baseline expected calls per interval (0 where closed), and the same without its
        day-type factor (what an additive carry-over is spread by).
    open_ : ndarray
        1 where the line answers calls, 0 where closed.
    start_s, interval_s : float
        Grid start (Unix seconds) and interval length.
    spots : SpotArrays
    day : ndarray of int
        Calendar day number of each interval (for the robust standard errors).
    fit_saturation : bool
        Estimate the GRP saturation (needs airings of varied GRP); else linear.
    slow_max_days : float
        Longest carry-over half-life the history can identify.
    shapes : CampaignResponse, optional
        Keep these shapes and this selection: only re-estimate the kept strengths (no
        shrinkage), as the rolling-origin check does.
    day_sd : float
        Relative day-to-day spread of the baseline: the prior of the day levels that the
        selection estimates with the strengths (see `forecast.effects`).
    warm : CampaignResponse, optional
        Keep these shapes and refit the strengths with selection (a backfitting round).
    """
    # Before the first airing no effect can add calls: those intervals add the same to
    # every likelihood, so the fit starts at the first airing (exact, and years faster on
    # a long history with a recent campaign).
    if spots.time_s.size:
        first = int(np.clip(np.floor((spots.time_s.min() - start_s) / interval_s), 0, y.size - 1))
        y, baseline, flat_baseline, open_, day = (a[first:] for a in (y, baseline, flat_baseline,
                                                                      open_, day))
        start_s = start_s + first * interval_s
    n = y.size
    # Where the baseline is closed no effect can add calls (the design is zero there), so a
    # stray call at such a time says nothing about the strengths: it would only blow up
    # their dispersion.
    seen = np.isfinite(y) & (baseline > 0)
    ys, bs = y[seen], baseline[seen]
    mu0 = np.maximum(bs, 1e-12)
    nll0 = float(np.sum(mu0 - ys * np.log(mu0)))
    if shapes is not None:
        return _refit(y, baseline, flat_baseline, open_, start_s, interval_s, spots, shapes,
                      nll0)
    template = CampaignResponse(unrated_grp=unrated_equivalents(spots))
    fit_rise = interval_s <= FINE_ENOUGH_FOR_RISE_S
    slow_max = float(np.clip(slow_max_days, 2 * HALF_LIFE_BOUNDS_DAYS[0], HALF_LIFE_BOUNDS_DAYS[1]))

    def unpack(p, mix=0.0, rise=None):
        return replace(template, fast_half_life_min=float(np.exp(p[0])),
                       slow_half_life_days=float(np.exp(p[1])),
                       saturation_grp=float(np.exp(p[2])) if fit_saturation else float("inf"),
                       fast_rise_min=(float(np.exp(p[0] + p[-1])) if fit_rise else 0.0)
                       if rise is None else rise, carryover_mix=mix)

    # The shapes are shared by every airing and a few months of them pin them down: they
    # are searched on the last SHAPE_WINDOW intervals (half a year at 5 minutes), the
    # strengths on the whole history. Earlier airings still enter through their tails.
    w0 = max(n - SHAPE_WINDOW, 0)
    seen_w = seen.copy()
    seen_w[:w0] = False
    ysw, bsw = y[seen_w], baseline[seen_w]

    def X_of(r: CampaignResponse, pooled: bool = False, window: bool = True) -> np.ndarray:
        lo = w0 if window else 0
        fast, slow = features(start_s + lo * interval_s, interval_s, n - lo, spots, r)
        if pooled:
            fast, slow = fast.sum(axis=0, keepdims=True), slow.sum(axis=0, keepdims=True)
        return design(baseline[lo:], flat_baseline[lo:], open_[lo:], fast, slow,
                      r.carryover_mix)[seen[lo:]]

    cache: dict = {}
    best: list = [None, np.inf]  # warm start for the inner fits

    def evaluate(r: CampaignResponse):
        key = (r.fast_half_life_min, r.slow_half_life_days, r.saturation_grp, r.fast_rise_min,
               r.carryover_mix)
        if key not in cache:
            theta, value = poisson_fit(ysw, bsw, X_of(r), start=best[0])
            cache[key] = (value, theta)
            if value < best[1]:
                best[:] = [theta, value]
        return cache[key]

    def profile(p):
        return evaluate(unpack(np.asarray(p)))[0]

    unit = grp_unit(spots)
    bounds = [tuple(np.log(HALF_LIFE_BOUNDS_MIN)),
              (np.log(HALF_LIFE_BOUNDS_DAYS[0]), np.log(slow_max))]
    if fit_saturation:
        bounds.append(tuple(np.log(np.array(SATURATION_BOUNDS_GRP) * unit)))
    if fit_rise:
        # The rise is searched as a share of the decay half-life: the two rates of a
        # difference of exponentials are interchangeable, and the decay is the slower.
        bounds.append(tuple(np.log(RISE_SHARE_BOUNDS)))
    # A coarse grid first: the profile likelihood in the half-lives can have shallow
    # local optima, and a grid is cheap next to a wasted Nelder-Mead run.
    grid_fast = np.log([0.5, 1.5, 5.0])
    grid_slow = np.log([s for s in (0.5, 2.0, 8.0) if s <= slow_max] or [slow_max])
    extra = ([np.log(SATURATION_START_GRP * unit)] if fit_saturation else []) + (
        [np.log(0.3)] if fit_rise else [])
    if warm is not None:
        # A backfitting round: the baseline moved by the response's average, the shapes
        # by next to nothing; only the strengths (and their selection) are refitted.
        x = np.clip(_shape_params(warm, fit_saturation, fit_rise),
                    [b[0] for b in bounds], [b[1] for b in bounds])
    else:
        start = min(((f, s, *extra) for f in grid_fast for s in grid_slow),
                    key=lambda p: profile(np.array(p)))
        x = optimize.minimize(profile, np.array(start), method="Nelder-Mead", bounds=bounds,
                              options={"xatol": 1e-2, "fatol": 1e-2, "maxiter": 300}).x
    chosen = unpack(x)
    value, theta = evaluate(chosen)
    mu = np.maximum(bsw + X_of(chosen) @ theta, 1e-12)
    dof = max(ysw.size - theta.size - len(x), 1)
    phi = max(float(np.sum((ysw - mu) ** 2 / mu)) / dof, 1.0)
    if fit_rise:  # the plain exponential unless the data reject it
        plain = unpack(x, rise=0.0)
        if 2.0 * (evaluate(plain)[0] - value) / phi < LR_CRITICAL_1DF:
            chosen, (value, theta) = plain, evaluate(plain)
    mixes = {m: evaluate(replace(chosen, carryover_mix=m)) for m in MIXES}
    mix = min(mixes, key=lambda m: mixes[m][0])
    chosen = replace(chosen, carryover_mix=mix)
    has_rise = chosen.fast_rise_min > 0
    shape_x = x[:-1] if (fit_rise and not has_rise) else x

    def shape_profile(p):
        return evaluate(unpack(p, mix=mix, rise=None if has_rise else 0.0))[0]

    names = ["fast_half_life_min", "slow_half_life_days"] + (
        ["saturation_grp"] if fit_saturation else []) + (
        ["fast_rise_min"] if has_rise else [])
    shape_cov, free = _shape_covariance(shape_profile, shape_x, bounds[:len(shape_x)], phi)
    strengths = _strengths(ys, bs, X_of(chosen, window=False),
                           X_of(chosen, pooled=True, window=False), day[seen], spots.names, day_sd)
    response = replace(chosen, **strengths,
                       shape_covariance=shape_cov.tolist() if free else None,
                       shape_names=[names[i] for i in free])
    return ResponseFit(response=response,
                       nll=_nll(ys, bs, X_of(chosen, window=False), response, spots.names),
                       nll_no_campaign=nll0, n_obs=int(seen.sum()))


def _shape_params(r: CampaignResponse, fit_saturation: bool, fit_rise: bool) -> list:
    """The search's parameters (logs of the half-lives, saturation, rise share) of ``r``."""
    p = [np.log(r.fast_half_life_min), np.log(r.slow_half_life_days)]
    if fit_saturation:
        p.append(np.log(r.saturation_grp) if np.isfinite(r.saturation_grp)
                 else np.log(SATURATION_START_GRP))
    if fit_rise:
        p.append(np.log(r.fast_rise_min / r.fast_half_life_min) if r.fast_rise_min > 0
                 else np.log(0.3))
    return p


def _nll(y, base, X, response: CampaignResponse, names) -> float:
    theta = np.array([response.calls_per_grp[n] for n in names]
                     + [response.lift_per_grp[n] for n in names])
    mu = np.maximum(base + X @ theta, 1e-12)
    return float(np.sum(mu - y * np.log(mu)))


def _strengths(y, base, X_channels, X_pooled, day, names, day_sd: float = 0.0) -> dict:
    """Per-channel, pooled, or per-channel fast with one shared carry-over, after selection.

    With many channels and little data per channel, per-channel effects rarely pass
    selection one by one, while their sum (the campaign) is well measured; with a few
    well-aired channels the per-channel model wins. A carry-over of days cannot be told
    apart between channels that air on the same days, even where each channel's spikes
    can: split by channel, it lands on whichever channel's schedule happens to follow the
    level (a rehearsal generator's carry-over went to the one channel that had none), so
    the fast calls per channel with one carry-over for all is a third candidate. The
    quasi-AIC ``2 nll / phi + 2 k`` (``k`` kept effects, ``phi`` the Pearson dispersion of
    the per-channel fit) decides.
    """
    c = len(names)
    own = select_effects(y, base, X_channels, day, day_sd=day_sd)
    mu = np.maximum(base + X_channels @ own.raw, 1e-12)
    phi = max(float(np.sum((y - mu) ** 2 / mu)) / max(y.size - X_channels.shape[1], 1), 1.0)
    candidates = {"own": (own, np.arange(2 * c))}
    if c > 1:
        candidates["pooled"] = (select_effects(y, base, X_pooled, day, day_sd=day_sd),
                                np.r_[np.zeros(c, int), np.ones(c, int)])
        candidates["slow_pooled"] = (
            select_effects(y, base, np.c_[X_channels[:, :c], X_pooled[:, 1:]], day,
                           day_sd=day_sd), np.r_[np.arange(c), np.full(c, c)])

    def qaic(sel):
        return 2.0 * sel.nll / phi + 2.0 * sel.kept.sum()

    form = min(candidates, key=lambda k: qaic(candidates[k][0]))
    sel, idx = candidates[form]
    theta, raw, se, kept = (a[idx] for a in (sel.theta, sel.raw, sel.se, sel.kept))
    cov = sel.covariance[np.ix_(idx, idx)]
    pooled = form == "pooled"
    note = "" if kept.any() else ("no measurable response: no effect is significant "
                                  "(robust standard errors, corrected for the number tested)")
    return dict(
        calls_per_grp={names[i]: float(theta[i]) for i in range(c)},
        lift_per_grp={names[i]: float(theta[c + i]) for i in range(c)},
        covariance=cov.tolist(), channels=list(names), pooled=bool(pooled),
        slow_pooled=form == "slow_pooled",
        estimates={names[i]: [float(raw[i]), float(raw[c + i])] for i in range(c)},
        standard_errors={names[i]: [float(se[i]), float(se[c + i])] for i in range(c)},
        kept={names[i]: [bool(kept[i]), bool(kept[c + i])] for i in range(c)}, note=note)


def _refit(y, baseline, flat_baseline, open_, start_s, interval_s, spots: SpotArrays,
           shapes: CampaignResponse, nll0: float) -> ResponseFit:
    """Re-estimate the kept strengths at fixed shapes (no selection, no shrinkage)."""
    seen = np.isfinite(y) & (baseline > 0)
    fast, slow = features(start_s, interval_s, y.size, spots, shapes)
    c = len(spots.names)
    kept = [shapes.kept.get(shapes.resolve(n) or "", [False, False]) for n in spots.names]
    if shapes.pooled:
        fast, slow = fast.sum(axis=0, keepdims=True), slow.sum(axis=0, keepdims=True)
        free = np.array([any(k[0] for k in kept), any(k[1] for k in kept)])
    elif shapes.slow_pooled:
        slow = slow.sum(axis=0, keepdims=True)
        free = np.array([k[0] for k in kept] + [any(k[1] for k in kept)], bool)
    else:
        free = np.array([k[0] for k in kept] + [k[1] for k in kept], bool)
    X = design(baseline, flat_baseline, open_, fast, slow, shapes.carryover_mix)[seen]
    theta, value = poisson_fit(y[seen], baseline[seen], X, free=free)
    if shapes.pooled:
        theta = np.r_[np.full(c, theta[0]), np.full(c, theta[1])]
    elif shapes.slow_pooled:
        theta = np.r_[theta[:c], np.full(c, theta[c])]
    response = replace(shapes, calls_per_grp={spots.names[i]: float(theta[i]) for i in range(c)},
                       lift_per_grp={spots.names[i]: float(theta[c + i]) for i in range(c)},
                       covariance=None, channels=list(spots.names))
    return ResponseFit(response=response, nll=value, nll_no_campaign=nll0,
                       n_obs=int(seen.sum()))
