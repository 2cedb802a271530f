"""From agents on the phones to people on the roster."""

from __future__ import annotations

import numpy as np

from . import _validate as v

# agents / (1 - shrinkage) lands a hair above an integer in floating point
# (14 / 0.7 = 20.000000000000004); a person is never added for rounding noise.
_ROUND_SLACK = 1e-9


def scheduled_agents(agents, shrinkage: float, *, fractional: bool = False):
    """Agents to schedule so that ``agents`` are on the phones after shrinkage.

    Parameters
    ----------
    agents : float or array_like
        Agents needed on the phones (>= 0).
    shrinkage : float
        Share of paid time not available for calls (breaks, training, absence), in [0, 1).
    fractional : bool, default False
        Return ``agents / (1 - shrinkage)`` unrounded.

    Returns
    -------
    int, float or ndarray
        ``ceil(agents / (1 - shrinkage))`` unless ``fractional``.

    Examples
    --------
    >>> scheduled_agents(14, 0.3)
    20
    >>> scheduled_agents([10, 11], 0.1).tolist()
    [12, 13]
    """
    n = v.nonnegative("agents", agents)
    s = v.fraction("shrinkage", shrinkage, closed_low=True)
    raw = n / (1.0 - s)
    if fractional:
        return float(raw) if raw.ndim == 0 else raw
    out = np.ceil(raw - _ROUND_SLACK).astype(np.int64)
    return int(out) if out.ndim == 0 else out


def fte(agent_hours, hours_per_fte: float = 40.0):
    """Full-time equivalents for ``agent_hours`` of scheduled time.

    Parameters
    ----------
    agent_hours : float or array_like
        Scheduled agent-hours over the planning horizon (>= 0).
    hours_per_fte : float, default 40
        Paid hours of one full-time agent over the same horizon (a week by default).

    Examples
    --------
    >>> fte(1000, hours_per_fte=40)
    25.0
    """
    hours = v.nonnegative("agent_hours", agent_hours)
    per = v.positive("hours_per_fte", hours_per_fte)
    out = hours / per
    return float(out) if out.ndim == 0 else out
