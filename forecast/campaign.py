"""Campaign response: its parameters and the features a spot schedule gives.

Expected calls in interval ``t``::

    mu_t = B_t + sum_c beta_c * A_ct * ((1 - m) B_t + m P_t) + open_t * sum_c v_c * F_ct

``B_t`` is the baseline, ``P_t`` the baseline without its day-type factor (the same
volume every open day, spread by the day's intraday profile), ``A_ct`` the mean slow
stock (adstock) of channel ``c`` in the interval and ``F_ct`` the share of its fast
responses that lands there (both built from effective GRP, see `forecast.response`).
The carry-over mix ``m`` chooses a carry-over proportional to the weekday baseline
(``m = 0``) or additive (``m = 1``). Given the shapes (half-lives, rise, saturation,
mix), ``mu`` is linear in the strengths ``(v, beta) >= 0``; `forecast.response_fit`
estimates them and `forecast.effects` keeps only those the data show.

**Spot logs as they are.** Airings on one channel in the same minute (several
creatives in one break) reach the same audience: their GRP are added *before*
saturation. An airing with GRP 0 or blank is *unrated* (a channel too small to
measure): on a channel that also has rated airings it counts as half the smallest
rated GRP seen on that channel in the fit (below the rating threshold, but not
nothing); on a channel with no rated airing, as the median of those equivalents over
the other channels (1 GRP when no airing is rated at all). Either way it is a
per-airing effect that the channel's own strength scales.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field, replace

import numpy as np

from .response import delayed_mass, mean_stock, saturate

HALF_LIFE_BOUNDS_MIN = (0.1, 60.0)  # fast response, minutes
RISE_SHARE_BOUNDS = (0.02, 0.95)  # rise half-life over the fast decay half-life
HALF_LIFE_BOUNDS_DAYS = (0.25, 30.0)  # slow carry-over, days
SATURATION_BOUNDS_GRP = (0.5, 1000.0)
SATURATION_START_GRP = 30.0
TYPICAL_GRP = 10.0  # a heavy national airing; rated airings far above it are another unit


def grp_unit(spots: SpotArrays) -> float:
    """How many times larger than GRP the schedule's unit looks (1 for GRP and smaller).

    Logs that give thousands of contacts or ratings x 100 in the GRP column put every
    airing far past a saturation bounded in GRP: all airings would count alike. The
    bounds and the start of the saturation search are scaled by this factor instead.

    Examples
    --------
    >>> arrays = SpotArrays(np.zeros(3), np.zeros(3, int), np.array([2e4, 5e4, np.nan]), ("A",))
    >>> grp_unit(arrays)
    3500.0
    >>> grp_unit(SpotArrays(np.zeros(2), np.zeros(2, int), np.array([3.0, 12.0]), ("A",)))
    1.0
    """
    rated = spots.grp[np.isfinite(spots.grp) & (spots.grp > 0)]
    return float(max(np.median(rated) / TYPICAL_GRP, 1.0)) if rated.size else 1.0


MAX_DAY_REL_SD = 2.0  # a day's campaign calls straying by more is no measured response

@dataclass(frozen=True)
class CampaignResponse:
    """How airings turn into calls; fitted from history or set by the planner.

    Attributes
    ----------
    calls_per_grp : dict
        Fast (minutes-scale) calls per effective GRP, per channel, as used in forecasts.
    lift_per_grp : dict
        Slow lift per unit of carry-over stock, per channel: 0.05 means one GRP aired just
        now adds 5 % of the baseline (or of the flat baseline, see ``carryover_mix``).
    fast_half_life_min : float
        Half-life of the decay of the fast response, minutes.
    slow_half_life_days : float
        Half-life of the carry-over, days.
    saturation_grp : float
        GRP at which an airing gives half of its linear response (``inf``: linear).
    fast_rise_min : float
        Half-life of the build-up of the fast response, minutes; 0 is a response that is
        largest while the spot is on air (see `forecast.response.delayed_mass`).
    carryover_mix : float
        0: the carry-over multiplies the baseline (follows weekdays); 1: it adds the same
        calls every open day, spread by the intraday profile; in between, a mix.
    unrated_grp : dict
        GRP equivalent of an unrated airing (GRP 0 or blank), per channel.
    pooled : bool
        True when one strength is shared by all channels (the data could not tell the
        channels apart, see `forecast.response_fit`).
    slow_pooled : bool
        True when the fast strengths are per channel and one carry-over is shared.
    covariance : list of lists, optional
        Covariance of ``[calls_per_grp..., lift_per_grp...]`` in channel order (fitted only),
        robust to over-dispersion and to errors correlated over days.
    channels : list of str
        Channel order of ``covariance``.
    estimates : dict
        Per channel ``[fast, slow]`` maximum-likelihood estimates before selection and
        shrinkage (fitted only).
    standard_errors : dict
        Per channel ``[fast, slow]`` standard errors of ``estimates``.
    kept : dict
        Per channel ``[fast, slow]``: did the effect pass selection.
    shape_covariance : list of lists, optional
        Covariance of the logs of the shape parameters named in ``shape_names``, from the
        curvature of the profile likelihood (fitted only).
    shape_names : list of str
    day_rel_sd : float
        Relative sd of a day's campaign calls (fast response and carry-over, each) around
        what the strengths give, measured out of sample (`forecast.holdout`); 0 when not.
    note : str
        What the fit concluded, in words (e.g. ``"no measurable response"``).
    """

    calls_per_grp: dict = field(default_factory=dict)
    lift_per_grp: dict = field(default_factory=dict)
    fast_half_life_min: float = 1.0
    slow_half_life_days: float = 3.0
    saturation_grp: float = float("inf")
    fast_rise_min: float = 0.0
    carryover_mix: float = 0.0
    unrated_grp: dict = field(default_factory=dict)
    pooled: bool = False
    slow_pooled: bool = False
    covariance: list | None = None
    channels: list = field(default_factory=list)
    estimates: dict = field(default_factory=dict)
    standard_errors: dict = field(default_factory=dict)
    kept: dict = field(default_factory=dict)
    shape_covariance: list | None = None
    shape_names: list = field(default_factory=list)
    day_rel_sd: float = 0.0
    note: str = ""

    def __post_init__(self):
        for name, value, low in (("fast_half_life_min", self.fast_half_life_min, 0),
                                 ("slow_half_life_days", self.slow_half_life_days, 0),
                                 ("saturation_grp", self.saturation_grp, 0)):
            if not (value > low):
                raise ValueError(f"{name} must be > 0, got {value!r}")
        if not (np.isfinite(self.fast_rise_min) and self.fast_rise_min >= 0):
            raise ValueError(f"fast_rise_min must be a number >= 0, got {self.fast_rise_min!r}")
        if not (np.isfinite(self.day_rel_sd) and 0 <= self.day_rel_sd <= MAX_DAY_REL_SD):
            raise ValueError(f"day_rel_sd must be in [0, {MAX_DAY_REL_SD}], got {self.day_rel_sd!r}")
        if not (0 <= self.carryover_mix <= 1):
            raise ValueError(f"carryover_mix must be in [0, 1], got {self.carryover_mix!r}")
        for name, table in (("calls_per_grp", self.calls_per_grp),
                            ("lift_per_grp", self.lift_per_grp)):
            for ch, value in table.items():
                if not (np.isfinite(value) and value >= 0):
                    raise ValueError(f"{name}[{ch!r}] must be a finite number >= 0, got {value!r}")

    def resolve(self, channel: str) -> str | None:
        """The fitted channel a schedule's name means, ignoring case and spacing; else None.

        Examples
        --------
        >>> r = CampaignResponse(calls_per_grp={"Rai 2": 1.0})
        >>> r.resolve(" rai  2 "), r.resolve("Canale 5")
        ('Rai 2', None)
        """
        known = set(self.calls_per_grp) | set(self.lift_per_grp)
        if channel in known:
            return channel
        key = _name_key(channel)
        matches = [k for k in known if _name_key(k) == key]
        return matches[0] if len(matches) == 1 else None

    def strength(self, channel: str) -> tuple[float, float]:
        """``(calls_per_grp, lift_per_grp)`` of a channel.

        A channel the response does not know gets the mean over the known ones, the best
        guess for a new channel; `CallForecaster.schedule_notes` says so.
        """
        name = self.resolve(channel)

        def pick(table: dict) -> float:
            if name is not None and name in table:
                return float(table[name])
            return float(np.mean(list(table.values()))) if table else 0.0
        return pick(self.calls_per_grp), pick(self.lift_per_grp)

    @property
    def measurable(self) -> bool:
        """True when any channel has a fast or slow effect above zero."""
        return any(v > 0 for v in self.calls_per_grp.values()) or any(
            v > 0 for v in self.lift_per_grp.values())

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
        """Read what `to_json` wrote (files written before newer fields existed too)."""
        data = json.loads(text)
        if data.get("saturation_grp") is None:
            data["saturation_grp"] = float("inf")
        known = set(cls.__dataclass_fields__)
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"campaign response has unknown fields {sorted(unknown)}")
        return cls(**data)


def _name_key(name: str) -> str:
    return re.sub(r"\s+", " ", str(name)).strip().casefold()


@dataclass(frozen=True)
class SpotArrays:
    """A spot schedule as arrays: airing times (Unix seconds), channel codes, GRP.

    ``grp`` is NaN or 0 for unrated airings.
    """

    time_s: np.ndarray
    channel: np.ndarray
    grp: np.ndarray
    names: tuple


def unrated_equivalents(spots: SpotArrays) -> dict:
    """GRP equivalent of an unrated airing, per channel.

    Examples
    --------
    >>> s = SpotArrays(np.zeros(4), np.array([0, 0, 1, 1]), np.array([2.0, 0.0, 0.0, np.nan]),
    ...                ("Rai 1", "Small"))
    >>> unrated_equivalents(s)
    {'Rai 1': 1.0, 'Small': 1.0}
    """
    equiv = {}
    rated = np.nan_to_num(spots.grp) > 0
    for i, name in enumerate(spots.names):
        mine = rated & (spots.channel == i)
        if mine.any():
            equiv[name] = float(0.5 * spots.grp[mine].min())
    default = float(np.median(list(equiv.values()))) if equiv else 1.0
    return {name: equiv.get(name, default) for i, name in enumerate(spots.names)
            if (spots.channel == i).any()}


def airing_weights(spots: SpotArrays, response: CampaignResponse) -> tuple[np.ndarray, np.ndarray,
                                                                           np.ndarray]:
    """Effective weight of each break: ``(time_s, channel, weight)``, one entry per break.

    Airings of one channel in the same minute form one break; their GRP (unrated ones at
    their GRP equivalent) add before saturation.
    """
    if spots.time_s.size == 0:
        return spots.time_s, spots.channel, np.zeros(0)
    known = list(response.unrated_grp.values())
    default = float(np.median(known)) if known else 1.0
    equiv = np.array([response.unrated_grp.get(response.resolve(n) or "", default)
                      for n in spots.names])
    g = np.nan_to_num(np.asarray(spots.grp, float))
    unit = np.where(g > 0, g, equiv[spots.channel])
    minute = np.floor(spots.time_s / 60.0).astype(np.int64)
    key = spots.channel.astype(np.int64) * (1 << 40) + (minute - minute.min())
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    total = np.bincount(inverse, weights=unit)
    return spots.time_s[first], spots.channel[first], saturate(total, response.saturation_grp)


def features(start_s: float, interval_s: float, n: int, spots: SpotArrays,
             response: CampaignResponse) -> tuple[np.ndarray, np.ndarray]:
    """Fast share ``F`` and slow stock ``A`` per channel, each of shape (channels, n)."""
    c = len(spots.names)
    if c == 0:
        return np.zeros((0, n)), np.zeros((0, n))
    time_s, channel, eff = airing_weights(spots, response)
    weights = np.zeros((c, eff.size))
    weights[channel, np.arange(eff.size)] = eff
    fast = delayed_mass(start_s, interval_s, n, time_s, weights,
                        response.fast_half_life_min * 60.0, response.fast_rise_min * 60.0)
    slow = mean_stock(start_s, interval_s, n, time_s, weights,
                      response.slow_half_life_days * 86400.0)
    return fast, slow


def carryover_base(baseline: np.ndarray, flat_baseline: np.ndarray, mix: float) -> np.ndarray:
    """What the carry-over lift multiplies: the baseline, the flat baseline, or a mix."""
    return (1.0 - mix) * baseline + mix * flat_baseline


def carryover_form(mix: float) -> str:
    """The carry-over form in words.

    Examples
    --------
    >>> carryover_form(0.0), carryover_form(1.0), carryover_form(0.5)
    ('multiplies the baseline', 'adds a flat volume', 'half multiplies, half adds')
    """
    if mix <= 0:
        return "multiplies the baseline"
    if mix >= 1:
        return "adds a flat volume"
    return "half multiplies, half adds" if mix == 0.5 else f"{1 - mix:.0%} multiplies, {mix:.0%} adds"
