"""What the schedule optimiser returns: the schedule, both plans, the moves and the bound."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from staffing.capacity import CapacityPlan
from staffing.compare import format_compare

#: Rows of the comparison shown by `ScheduleResult.text` (labels of `staffing.compare.ROWS`).
SHOWN = ("Calls offered", "Peak agents required", "Peak agents on the phones", "Temps hired",
         "Cost of temps", "Total cost", "Service level", "Abandoned calls")


@dataclass(frozen=True)
class Bound:
    """How good the proposed schedule is, by the optimiser's own measure.

    Attributes
    ----------
    objective : str
        ``"cost"`` or ``"lost_calls"``.
    original, result, lower : float
        The objective's proxy for the original schedule, the proposed one, and a lower
        bound on it over every schedule that meets the constraints. ``"cost"``: the sum of
        the blocks' peak offered loads plus the window's peak (Erlangs);
        ``"lost_calls"``: offered load above the roster's agents, summed over intervals
        (Erlang-intervals).
    gap : float
        ``(result - lower) / result``: at most this share of the proxy is left to gain.
    optimal : bool
        True when the solver proved the result optimal (within its gap).
    peak_load_original, peak_load_result, peak_load_lower : float
        Highest staffing load (modified offered load) of an interval, Erlangs: with the original schedule, the
        proposed one, and a lower bound over every schedule that meets the constraints
        (LP relaxation). No schedule can cut the peak by more than
        ``1 - peak_load_lower / peak_load_original``.
    """

    objective: str
    original: float
    result: float
    lower: float
    gap: float
    optimal: bool
    peak_load_original: float
    peak_load_result: float
    peak_load_lower: float

    def text(self) -> str:
        """The bound in one paragraph."""
        proof = f"{self.gap:.1%} above it" + (", optimal within the solver's 1 % gap"
                                               if self.optimal else "")
        base = self.peak_load_original or 1.0
        moved = self.peak_load_result / base - 1
        most = 1 - self.peak_load_lower / base
        return (f"objective proxy ({self.objective}): original {self.original:,.1f}, proposed "
                f"{self.result:,.1f}, lower bound {self.lower:,.1f} ({proof}). Peak staffing "
                f"load {self.peak_load_original:,.1f} -> {self.peak_load_result:,.1f} Erlangs "
                f"({abs(moved):.1%} {'lower' if moved <= 0 else 'higher'}); no schedule within "
                f"the constraints goes below {self.peak_load_lower:,.1f} ({most:.1%} lower).")


@dataclass(frozen=True)
class ScheduleResult:
    """A proposed spot schedule and what it does to the capacity plan.

    Attributes
    ----------
    schedule : DataFrame
        The proposed schedule: ``start``, ``channel``, ``grp`` (and ``cost`` when the
        candidates carry one); the original rows for breaks kept.
    before, after : CapacityPlan
        Capacity plans of the original and the proposed schedule with the same settings
        (``"lost_calls"``: the original roster, evaluated against both).
    moves : DataFrame
        The changes (`campaign.moves.schedule_moves`), with a ``text`` column.
    bound : Bound
    comparison : DataFrame
        `staffing.compare.compare_table` of ``before`` (``"original"``) and ``after``
        (``"optimised"``), raw values.
    forecast_before, forecast_after : DataFrame
        The forecasts the plans were made from.
    checks : dict
        ``grp`` (per channel and ISO week: original, proposed, allowed range),
        ``campaign_calls`` (original, proposed, allowed range), ``linearity_error`` (largest
        gap between the forecaster's prediction and the sum of per-break curves, relative)
        and, when the candidates have a ``cost`` column, ``media_cost`` (original, proposed;
        airings without a cost count 0).
    seconds : float
        Time taken, plans included.
    notes : list of str
    """

    schedule: pd.DataFrame
    before: CapacityPlan
    after: CapacityPlan
    moves: pd.DataFrame
    bound: Bound
    comparison: pd.DataFrame
    forecast_before: pd.DataFrame
    forecast_after: pd.DataFrame
    checks: dict = field(default_factory=dict)
    seconds: float = 0.0
    notes: list = field(default_factory=list)

    def text(self) -> str:
        """The comparison, the bound and the moves, as the command line prints them."""
        table = format_compare(self.comparison)
        shown = table.loc[[r for r in SHOWN if r in table.index]]
        lines = [shown.to_string(), "", self.bound.text()]
        calls = self.checks.get("campaign_calls")
        if calls:
            lines.append(f"campaign-driven calls: original {calls['original']:,.0f}, proposed "
                         f"{calls['proposed']:,.0f} (allowed {calls['low']:,.0f}-"
                         f"{calls['high']:,.0f})")
        media = self.checks.get("media_cost")
        if media:
            lines.append(f"cost of the airings: original {media['original']:,.0f}, proposed "
                         f"{media['proposed']:,.0f}")
        lines += [f"note: {n}" for n in self.notes]
        lines += ["", f"{len(self.moves)} change(s):" if len(self.moves) else "no changes"]
        lines += [f"  {t}" for t in self.moves["text"]] if len(self.moves) else []
        return "\n".join(lines)
