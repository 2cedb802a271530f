"""Variance of a forecast interval: count noise, the day's level, and the campaign's errors.

The campaign's errors: the strengths' Fisher covariance, the shapes' profile-likelihood
covariance, and a day's response straying from them (`CampaignResponse.day_rel_sd`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .baseline import BaselineFit
from .campaign import CampaignResponse
from .components import Components
from .grid import interval_ends, unix_s


def design_covariance(response: CampaignResponse | None, channels: tuple) -> np.ndarray | None:
    """Covariance of the channels' (calls per GRP, lift per GRP), in the order of ``channels``.

    Laid out like `Components.design`: all fast strengths, then all slow ones. Channels
    the response was not fitted on get zero rows and columns.

    Returns
    -------
    ndarray or None
        Shape ``(2 * channels, 2 * channels)``; None when the response has no covariance.
    """
    r = response
    if r is None or r.covariance is None:
        return None
    cov = np.asarray(r.covariance)
    fitted = list(r.channels)
    c_all = len(channels)
    out = np.zeros((2 * c_all, 2 * c_all))
    pos = [fitted.index(c) if c in fitted else None for c in channels]
    nf = len(fitted)
    for i, pi in enumerate(pos):
        for j, pj in enumerate(pos):
            if pi is None or pj is None:
                continue
            for a in (0, 1):
                for b in (0, 1):
                    out[a * c_all + i, b * c_all + j] = cov[a * nf + pi, b * nf + pj]
    return out


def forecast_variance(comp: Components, mean: np.ndarray, baseline: BaselineFit,
                      response: CampaignResponse | None, history_end: pd.Timestamp) -> np.ndarray:
    """Variance of the calls of each interval of ``comp`` around ``mean``.

    Parameters
    ----------
    comp : Components
        The parts of the expected calls.
    mean : ndarray
        Expected calls per interval.
    baseline : BaselineFit
        The fitted baseline (dispersion and level error).
    response : CampaignResponse or None
        The campaign response (covariances of its strengths and shape).
    history_end : Timestamp
        End of the history: the level error grows with the horizon from it.

    Returns
    -------
    ndarray
        Variance per interval, in calls squared.
    """
    fit = baseline
    # Count noise and over-dispersion of intervals around the profile, as measured at
    # this interval length (a day's intervals stray together; a whole day not at all).
    width_s = unix_s(interval_ends(comp.index)) - unix_s(comp.index)
    var = mean + fit.interval_dispersion(width_s, comp.index) * mean ** 2
    # Level error: shared by the intervals of a day, growing with the horizon.
    rel = fit.level_rel_var_at(comp.index, history_end)
    var = var + rel * (comp.baseline + comp.slow.sum(axis=0)) ** 2
    # A day's fast calls and carry-over each stray from what the strengths give, as the
    # out-of-sample check measured (`forecast.holdout.day_rel_sd`); shared by the day's
    # intervals. A strong campaign's hourly bands covered 57-68 % without it on a foreign
    # generator whose carry-over the fit split wrongly between channels.
    if response is not None and response.day_rel_sd > 0:
        var = var + response.day_rel_sd ** 2 * (comp.fast.sum(axis=0) ** 2
                                                + comp.slow.sum(axis=0) ** 2)
    cov = design_covariance(response, comp.channels)
    if cov is not None and comp.design.size:
        var = var + np.einsum("ij,jk,ik->i", comp.design, cov, comp.design)
    r = response
    if r is not None and r.shape_covariance and comp.shape_jacobian.size:
        shape = np.asarray(r.shape_covariance)
        var = var + np.einsum("ij,jk,ik->i", comp.shape_jacobian, shape, comp.shape_jacobian)
    return var
