"""Smallest headcount meeting every service target, vectorised over intervals.

Erlang C uses the Erlang B recursion upward from the stability bound, which
touches each interval only for the few agents between ``ceil(a)`` and its
answer. Erlang A (and anything the fast path does not settle) uses an
exponential-then-bisection search on the whole active set at once. Every
measure used here is monotone in the headcount, which the searches rely on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from . import _validate as v
from ._gamma import log_erlang_b
from ._validate import MAX_TRAFFIC_ERL
from .erlang import _asa, _erlang_c, _erlang_c_from_b, _occupancy, _service_level
from .erlang_a import SL_DEFINITIONS, erlang_a_core

MODELS = ("erlang_c", "erlang_a")
__all__ = ["MAX_TRAFFIC_ERL", "MODELS", "Targets", "required_agents"]
# Relative slack when comparing with a target, so that a headcount landing
# exactly on it (34 Erlangs at 85 % occupancy is 40 agents) is not rejected by rounding.
_EPS = 1e-12
_FAST_STEPS = 64
_MAX_AGENTS = 100 * MAX_TRAFFIC_ERL  # an answer above it comes from a target, not the load


@dataclass(frozen=True)
class Targets:
    """Service targets, already validated; ``None`` means "no such target"."""

    sl_target: float | None
    asa_target_s: float | None
    max_occupancy: float | None
    max_abandon: float | None
    sl_definition: str = "offered"

    def met(self, sl, asa_s, occ, p_abandon=None) -> np.ndarray:
        """Whether the given measures meet every target, elementwise."""
        ok = np.ones(np.shape(occ), dtype=bool)
        if self.sl_target is not None:
            ok &= sl >= self.sl_target * (1 - _EPS)
        if self.asa_target_s is not None:
            ok &= asa_s <= self.asa_target_s * (1 + _EPS)
        if self.max_occupancy is not None:
            ok &= occ <= self.max_occupancy * (1 + _EPS)
        if self.max_abandon is not None and p_abandon is not None:
            ok &= p_abandon <= self.max_abandon * (1 + _EPS)
        return ok


def _search(meets: Callable[[np.ndarray, np.ndarray], np.ndarray], lo: np.ndarray,
            first_guess: np.ndarray) -> np.ndarray:
    """Smallest integer ``n >= lo`` with ``meets(n, idx)``, for every element at once.

    ``meets(n, idx)`` evaluates candidate headcounts ``n`` for the elements ``idx``.
    """
    fail = lo - 1.0  # known (or assumed) to miss
    hi = np.maximum(first_guess, lo)
    idx = np.arange(lo.size)
    limit = 100.0 * (hi + 1e4)
    while idx.size:  # grow until every element has a headcount that meets its targets
        if (hi[idx] > limit[idx]).any():
            raise ValueError("no headcount meets the targets (numerical failure); please report "
                             "the inputs")
        ok = meets(hi[idx], idx)
        grow = idx[~ok]
        fail[grow] = hi[grow]
        hi[grow] = hi[grow] + 2.0 * (hi[grow] - lo[grow]) + 1.0
        idx = grow
    idx = np.flatnonzero(hi - fail > 1)
    while idx.size:
        mid = np.floor((fail[idx] + hi[idx]) / 2)
        ok = meets(mid, idx)
        hi[idx[ok]] = mid[ok]
        fail[idx[~ok]] = mid[~ok]
        idx = idx[hi[idx] - fail[idx] > 1]
    return hi


def _bisect_real(meets, lo: np.ndarray, hi: np.ndarray, iterations: int = 48) -> np.ndarray:
    """Smallest real headcount in ``(lo, hi]`` meeting the targets (``hi`` meets)."""
    idx = np.arange(lo.size)
    for _ in range(iterations):
        mid = (lo + hi) / 2
        ok = meets(mid, idx)
        hi = np.where(ok, mid, hi)
        lo = np.where(ok, lo, mid)
    return hi


def _erlang_c_meets(a, aht, t, targets: Targets):
    def meets(n, idx):
        c = _erlang_c(a[idx], n)
        return targets.met(_service_level(a[idx], n, aht[idx], t[idx], c),
                           _asa(a[idx], n, aht[idx], c), _occupancy(a[idx], n))
    return meets


def _erlang_c_lower_bound(a: np.ndarray, targets: Targets) -> np.ndarray:
    lo = np.floor(a) + 1.0  # n <= a has no steady state: every target is missed
    if targets.max_occupancy is not None:
        lo = np.maximum(lo, np.ceil(a / targets.max_occupancy * (1 - _EPS)))
    return lo


def _erlang_c_integer(a, aht, t, targets: Targets) -> np.ndarray:
    """Walk the Erlang B recursion upward from the lower bound; search what is left."""
    n = _erlang_c_lower_bound(a, targets)
    b = np.exp(log_erlang_b(n, a))
    out = np.zeros_like(a)
    idx = np.arange(a.size)
    for _ in range(_FAST_STEPS):
        ai, ni, bi = a[idx], n[idx], b[idx]
        c = _erlang_c_from_b(ai, ni, bi)
        ok = targets.met(_service_level(ai, ni, aht[idx], t[idx], c),
                         _asa(ai, ni, aht[idx], c), _occupancy(ai, ni))
        out[idx[ok]] = ni[ok]
        idx = idx[~ok]
        if not idx.size:
            return out
        n[idx] += 1.0
        ab = a[idx] * b[idx]
        b[idx] = ab / (n[idx] + ab)
    rest = _search(_erlang_c_meets(a[idx], aht[idx], t[idx], targets), n[idx],
                   n[idx] + np.sqrt(a[idx]) + 1.0)
    out[idx] = rest
    return out


def _erlang_a_meets(rate, aht, patience, t, targets: Targets):
    def meets(n, idx):
        m = erlang_a_core(rate[idx], aht[idx], patience[idx], n, t[idx])
        return targets.met(m[f"sl_{targets.sl_definition}"], m["asa_s"], m["occupancy"],
                           m["p_abandon"])
    return meets


def required_agents(calls, aht_s, interval_s, *, sl_target: float | None = 0.8,
                    target_s=20.0, max_occupancy: float | None = None,
                    asa_target_s: float | None = None, model: str = "erlang_c",
                    patience_s=None, max_abandon: float | None = None,
                    sl_definition: str = "offered", fractional: bool = False):
    """Smallest number of agents on the phones that meets every target given.

    Parameters
    ----------
    calls : float or array_like
        Calls offered per interval (>= 0). Arrays broadcast with the other array arguments.
    aht_s : float or array_like
        Average handling time, seconds (> 0).
    interval_s : float or array_like
        Interval length, seconds (> 0).
    sl_target : float or None, default 0.8
        Share of calls to answer within ``target_s``, in (0, 1); ``None`` for no service-level target.
    target_s : float or array_like, default 20
        Answer-time target in seconds; 0 puts the target on P(no wait).
    max_occupancy : float or None
        Upper bound on occupancy, in (0, 1]. No cap unless given.
    asa_target_s : float or None
        Upper bound on the average speed of answer, seconds.
    model : {"erlang_c", "erlang_a"}
        Erlang C (callers never hang up) or Erlang A (exponential patience).
    patience_s : float or array_like, optional
        Mean patience in seconds, 1e-6 to 10,000 times ``aht_s``; required by, and only used
        with, ``model="erlang_a"``.
    max_abandon : float or None
        Upper bound on the share of calls abandoned, in (0, 1); Erlang A only.
    sl_definition : {"offered", "answered", "virtual"}
        Service-level definition for Erlang A (see `erlang_a`); Erlang C has no abandonment,
        so all three coincide there.
    fractional : bool, default False
        Return the smallest real (continuous) headcount instead of an integer.

    Returns
    -------
    int, float or ndarray
        Agents per interval: ``int`` (``float`` if ``fractional``) for scalar input,
        otherwise an array (integer dtype unless ``fractional``). Zero calls need zero agents.

    Raises
    ------
    ValueError
        On out-of-range inputs (``sl_target=80`` suggests 0.8), an offered load
        ``calls * aht_s / interval_s`` above ``MAX_TRAFFIC_ERL`` (1e6 Erlangs, a million
        agents: the search stays within a second below it), targets that need more than
        1e8 agents, a target that the model cannot use, or no target at all.

    Examples
    --------
    >>> required_agents(100, aht_s=180, interval_s=1800)
    14
    >>> required_agents(1000, aht_s=120, interval_s=3600, max_occupancy=0.85)
    40
    >>> required_agents(1000, aht_s=240, interval_s=1800, model="erlang_a", patience_s=60)
    120
    >>> required_agents([0, 100, 200], aht_s=180, interval_s=1800).tolist()
    [0, 14, 24]
    """
    rate = v.nonnegative("calls", calls) / v.positive("interval_s", interval_s)
    aht = v.positive("aht_s", aht_s)
    t = v.nonnegative("target_s", target_s)
    model = v.choice("model", model, MODELS)
    targets = Targets(
        sl_target=None if sl_target is None else v.fraction("sl_target", sl_target),
        asa_target_s=None if asa_target_s is None else float(v.positive("asa_target_s",
                                                                         asa_target_s)),
        max_occupancy=None if max_occupancy is None else v.fraction(
            "max_occupancy", max_occupancy, closed_high=True),
        max_abandon=None if max_abandon is None else v.fraction("max_abandon", max_abandon),
        sl_definition=v.choice("sl_definition", sl_definition, SL_DEFINITIONS),
    )
    if model == "erlang_c" and (patience_s is not None or max_abandon is not None):
        raise ValueError("patience_s and max_abandon need model='erlang_a' "
                         "(Erlang C assumes callers never hang up)")
    if model == "erlang_a" and patience_s is None:
        raise ValueError("model='erlang_a' needs patience_s, the mean time callers wait "
                         "before hanging up, in seconds (> 0)")
    if (targets.sl_target is None and targets.asa_target_s is None
            and targets.max_abandon is None and targets.max_occupancy is None):
        raise ValueError("give at least one target: sl_target, asa_target_s, max_occupancy "
                         "or max_abandon")
    arrays = [rate, aht, t] + ([v.patience(patience_s, aht)] if model == "erlang_a" else [])
    shape = np.broadcast_shapes(*(x.shape for x in arrays))
    v.traffic("offered load (calls * aht_s / interval_s)",
              np.broadcast_to(rate * aht, np.broadcast_shapes(rate.shape, aht.shape)))
    flat = [np.broadcast_to(x, shape).ravel().astype(float) for x in arrays]
    out = _solve(model, flat, targets, fractional)
    too_many = ~(out <= _MAX_AGENTS)
    if too_many.any():
        i = int(np.flatnonzero(too_many)[0])
        where = f" at position {i}" if out.size > 1 else ""
        raise ValueError(f"no headcount up to {_MAX_AGENTS:,.0f} agents meets the targets"
                         f"{where} ({flat[0][i] * flat[1][i]:g} Erlangs offered): check "
                         "max_occupancy, asa_target_s and max_abandon")
    out = out.reshape(shape)
    if fractional:
        return float(out) if out.ndim == 0 else out
    out = out.astype(np.int64)
    return int(out) if out.ndim == 0 else out


def _solve(model: str, flat: list[np.ndarray], targets: Targets, fractional: bool) -> np.ndarray:
    rate, aht, t = flat[:3]
    a = rate * aht
    out = np.zeros_like(a)
    busy = np.flatnonzero(a > 0)
    if not busy.size:
        return out
    a_b, aht_b, t_b = a[busy], aht[busy], t[busy]
    if model == "erlang_c":
        n_int = _erlang_c_integer(a_b, aht_b, t_b, targets)
        meets = _erlang_c_meets(a_b, aht_b, t_b, targets)
        low = np.maximum(n_int - 1.0, a_b)
        if targets.max_occupancy is not None:
            low = np.maximum(low, a_b / targets.max_occupancy * (1 - _EPS))
    else:
        meets = _erlang_a_meets(rate[busy], aht_b, flat[3][busy], t_b, targets)
        n_int = _search(meets, np.ones_like(a_b), np.ceil(a_b + np.sqrt(a_b)))
        low = n_int - 1.0
    out[busy] = _bisect_real(meets, low, n_int.copy()) if fractional else n_int
    return out
