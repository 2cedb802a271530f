"""Campaign response: parameters, features from a spot schedule, and their fit.

Expected calls in interval ``t``::

    mu_t = B_t * (1 + sum_c beta_c * A_ct) + open_t * sum_c v_c * F_ct

``B_t`` is the baseline, ``A_ct`` the mean slow stock (adstock) of channel ``c``
in the interval and ``F_ct`` the share of its fast responses that lands there
(both built from saturated GRP, see `forecast.response`). Given the half-lives
and the saturation, ``mu`` is linear in ``(v, beta) >= 0``, so the fit profiles
those out by a bounded Poisson maximum likelihood and searches the three
nonlinear parameters with Nelder-Mead.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace

import numpy as np
from scipy import optimize

from .response import kernel_mass, mean_stock, saturate

HALF_LIFE_BOUNDS_MIN = (0.1, 60.0)  # fast response, minutes
HALF_LIFE_BOUNDS_DAYS = (0.25, 60.0)  # slow carry-over, days
SATURATION_BOUNDS_GRP = (0.5, 1000.0)


@dataclass(frozen=True)
class CampaignResponse:
    """How airings turn into calls; fitted from history or set by the planner.

    Attributes
    ----------
    calls_per_grp : dict
        Fast (minutes-scale) calls per effective GRP, per channel.
    lift_per_grp : dict
        Slow lift of the baseline per unit of carry-over stock (effective GRP), per channel:
        0.05 means one GRP aired just now raises the baseline by 5 %.
    fast_half_life_min : float
        Half-life of the fast response, minutes.
    slow_half_life_days : float
        Half-life of the carry-over, days.
    saturation_grp : float
        GRP at which an airing gives half of its linear response (``inf``: linear).
    covariance : list of lists, optional
        Covariance of ``[calls_per_grp..., lift_per_grp...]`` in channel order (fitted only).
    channels : list of str
        Channel order of ``covariance``.
    shape_covariance : list of lists, optional
        Covariance of the logs of the shape parameters named in ``shape_names`` (half-lives,
        saturation), from the curvature of the profile likelihood (fitted only).
    shape_names : list of str
    """

    calls_per_grp: dict = field(default_factory=dict)
    lift_per_grp: dict = field(default_factory=dict)
    fast_half_life_min: float = 1.0
    slow_half_life_days: float = 3.0
    saturation_grp: float = float("inf")
    covariance: list | None = None
    channels: list = field(default_factory=list)
    shape_covariance: list | None = None
    shape_names: list = field(default_factory=list)

    def __post_init__(self):
        for name, value, low in (("fast_half_life_min", self.fast_half_life_min, 0),
                                 ("slow_half_life_days", self.slow_half_life_days, 0),
                                 ("saturation_grp", self.saturation_grp, 0)):
            if not (value > low):
                raise ValueError(f"{name} must be > 0, got {value!r}")
        for name, table in (("calls_per_grp", self.calls_per_grp),
                            ("lift_per_grp", self.lift_per_grp)):
            for ch, value in table.items():
                if not (np.isfinite(value) and value >= 0):
                    raise ValueError(f"{name}[{ch!r}] must be a finite number >= 0, got {value!r}")

    def strength(self, channel: str) -> tuple[float, float]:
        """``(calls_per_grp, lift_per_grp)`` of a channel; unknown channels get the mean."""
        def pick(table: dict) -> float:
            if channel in table:
                return float(table[channel])
            return float(np.mean(list(table.values()))) if table else 0.0
        return pick(self.calls_per_grp), pick(self.lift_per_grp)

    def perturbed(self, name: str, log_step: float) -> CampaignResponse:
        """The same response with one shape parameter multiplied by ``exp(log_step)``."""
        return replace(self, **{name: getattr(self, name) * float(np.exp(log_step))})

    def to_json(self) -> str:
        """Serialise (JSON); ``inf`` saturation is written as ``null``."""
        data = asdict(self)
        if np.isinf(self.saturation_grp):
            data["saturation_grp"] = None
        return json.dumps(data, indent=1)

    @classmethod
    def from_json(cls, text: str) -> CampaignResponse:
        """Read what `to_json` wrote."""
        data = json.loads(text)
        if data.get("saturation_grp") is None:
            data["saturation_grp"] = float("inf")
        return cls(**data)


@dataclass(frozen=True)
class SpotArrays:
    """A spot schedule as arrays: airing times (Unix seconds), channel codes, GRP."""

    time_s: np.ndarray
    channel: np.ndarray
    grp: np.ndarray
    names: tuple


def features(start_s: float, interval_s: float, n: int, spots: SpotArrays,
             response: CampaignResponse) -> tuple[np.ndarray, np.ndarray]:
    """Fast share ``F`` and slow stock ``A`` per channel, each of shape (channels, n)."""
    c = len(spots.names)
    if c == 0:
        return np.zeros((0, n)), np.zeros((0, n))
    eff = saturate(spots.grp, response.saturation_grp)
    weights = np.zeros((c, eff.size))
    weights[spots.channel, np.arange(eff.size)] = eff
    fast = kernel_mass(start_s, interval_s, n, spots.time_s, weights,
                       response.fast_half_life_min * 60.0)
    slow = mean_stock(start_s, interval_s, n, spots.time_s, weights,
                      response.slow_half_life_days * 86400.0)
    return fast, slow


def _design(baseline, open_, fast, slow) -> np.ndarray:
    return np.vstack([fast * open_, slow * baseline]).T


def _poisson_fit(y, base, X, start=None):
    """Nonnegative Poisson ML of ``mu = base + X theta``; returns (theta, nll).

    ``start`` (a nearby solution, e.g. at neighbouring half-lives) saves most iterations.
    """
    scale = np.maximum(X.max(axis=0), 1e-12)
    Z = X / scale

    def nll(theta):
        mu = base + Z @ theta
        mu = np.maximum(mu, 1e-12)
        return float(np.sum(mu - y * np.log(mu))), Z.T @ (1.0 - y / mu)

    x0 = np.full(Z.shape[1], 0.0)
    if start is not None:
        x0 = np.asarray(start, float) * scale
    else:  # start where the campaign explains half of the excess over the baseline
        excess = max(float(np.sum(y - base)), 0.0)
        if excess > 0 and Z.sum() > 0:
            x0[:] = 0.5 * excess / Z.sum()
    res = optimize.minimize(nll, x0, jac=True, method="L-BFGS-B",
                            bounds=[(0, None)] * Z.shape[1], options={"maxiter": 500})
    return res.x / scale, float(res.fun)


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
    if values.min() <= 0:  # not a clean optimum in some direction: say nothing rather than lie
        keep = values > 0
        inv = (vectors[:, keep] / values[keep]) @ vectors[:, keep].T
    else:
        inv = np.linalg.inv(h)
    return inv * phi, free


@dataclass
class ResponseFit:
    """Result of `fit_response`."""

    response: CampaignResponse
    nll: float
    nll_no_campaign: float
    n_obs: int


def fit_response(y: np.ndarray, baseline: np.ndarray, open_: np.ndarray, start_s: float,
                 interval_s: float, spots: SpotArrays, *, dispersion: float = 0.0,
                 fit_saturation: bool = True) -> ResponseFit:
    """Estimate a `CampaignResponse` from calls, their baseline and the spots that aired.

    Parameters
    ----------
    y : ndarray
        Calls per interval (NaN where unknown; those intervals are skipped).
    baseline : ndarray
        Baseline expected calls per interval (0 where the line is closed).
    open_ : ndarray
        1 where the line answers calls, 0 where closed.
    start_s, interval_s : float
        Grid start (Unix seconds) and interval length.
    spots : SpotArrays
    dispersion : float
        NB alpha of the counts, used to scale the covariance of the strengths.
    fit_saturation : bool
        Estimate the GRP saturation (needs airings of varied GRP); else linear.
    """
    n = y.size
    seen = np.isfinite(y)
    ys, bs = y[seen], baseline[seen]
    nll0 = float(np.sum(bs - ys * np.log(np.maximum(bs, 1e-12))))

    def unpack(p):
        fast = float(np.exp(p[0]))
        slow = float(np.exp(p[1]))
        sat = float(np.exp(p[2])) if fit_saturation else float("inf")
        return CampaignResponse(fast_half_life_min=fast, slow_half_life_days=slow,
                                saturation_grp=sat)

    cache: dict = {}
    best_theta: list = [None, None]  # warm start for the inner fits

    def profile(p):
        key = tuple(np.round(p, 10))
        if key in cache:
            return cache[key][0]
        r = unpack(p)
        fast, slow = features(start_s, interval_s, n, spots, r)
        X = _design(baseline, open_, fast, slow)[seen]
        theta, value = _poisson_fit(ys, bs, X, start=best_theta[0])
        cache[key] = (value, theta)
        if best_theta[1] is None or value < best_theta[1]:
            best_theta[:] = [theta, value]
        return value

    bounds = [np.log(HALF_LIFE_BOUNDS_MIN), np.log(HALF_LIFE_BOUNDS_DAYS)]
    if fit_saturation:
        bounds.append(np.log(SATURATION_BOUNDS_GRP))
    # A coarse grid first: the profile likelihood in the half-lives can have shallow
    # local optima, and a grid is cheap next to a wasted Nelder-Mead run.
    grid_fast = np.log([0.5, 1.0, 2.5, 6.0])
    grid_slow = np.log([0.5, 1.5, 4.0, 10.0])
    sat0 = [np.log(30.0)] if fit_saturation else []
    start = min(((f, s, *sat0) for f in grid_fast for s in grid_slow),
                key=lambda p: profile(np.array(p)))
    res = optimize.minimize(profile, np.array(start), method="Nelder-Mead",
                            bounds=[tuple(b) for b in bounds],
                            options={"xatol": 1e-3, "fatol": 1e-4, "maxiter": 400})
    best = unpack(res.x)
    value, theta = cache[tuple(np.round(res.x, 10))]
    c = len(spots.names)
    fast, slow = features(start_s, interval_s, n, spots, best)
    X = _design(baseline, open_, fast, slow)[seen]
    mu = np.maximum(bs + X @ theta, 1e-12)
    info = X.T @ (X / (mu + dispersion * mu ** 2)[:, None])
    cov = np.linalg.pinv(info)
    names = ["fast_half_life_min", "slow_half_life_days", "saturation_grp"][:len(res.x)]
    # Quasi-likelihood: the Poisson curvature, scaled by the Pearson dispersion.
    phi = max(float(np.sum((ys - mu) ** 2 / mu)) / max(ys.size - X.shape[1] - len(names), 1), 1.0)
    shape_cov, free = _shape_covariance(profile, res.x, bounds, phi)
    response = CampaignResponse(
        calls_per_grp={spots.names[i]: float(theta[i]) for i in range(c)},
        lift_per_grp={spots.names[i]: float(theta[c + i]) for i in range(c)},
        fast_half_life_min=best.fast_half_life_min,
        slow_half_life_days=best.slow_half_life_days, saturation_grp=best.saturation_grp,
        covariance=cov.tolist(), channels=list(spots.names),
        shape_covariance=shape_cov.tolist() if free else None,
        shape_names=[names[i] for i in free])
    return ResponseFit(response=response, nll=value, nll_no_campaign=nll0, n_obs=int(seen.sum()))
