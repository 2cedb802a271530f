"""From agents per interval to shifts and a temporary-staff plan, by integer programming.

Decision variables, per day ``d``:

* ``x[d, j]`` temporary agents working shift ``j`` (a template at a start time);
* ``h[d]`` temps whose first working day is ``d`` (hired, and trained before it);
* ``u[t]`` agents short in interval ``t`` (continuous, penalised).

Constraints: coverage ``permanent_t + sum of shifts covering t + u_t >= required_t``
(a shift does not cover its breaks), and each temp works at most one shift a day:
``sum_j x[d, j] <= sum_{d' <= d} h[d']``. Temps cannot work before the hiring lead
time plus the training days. The cost is the paid hours of the shifts, the paid
training of each hire and the penalty for uncovered agent-hours, minimised with
HiGHS through ``scipy.optimize.milp``. The penalty keeps the problem feasible
whatever is asked; the plan reports what it could not cover.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import optimize, sparse

from . import _validate as v


@dataclass(frozen=True)
class ShiftTemplate:
    """A shift pattern: its length, allowed start times and breaks.

    Attributes
    ----------
    name : str
    length_h : float
        Paid length in hours.
    starts : tuple of str
        Allowed start times, ``"HH:MM"`` local time.
    breaks : tuple of (float, float)
        ``(offset_h, minutes)``: breaks off the phones, counted from the shift start.
    """

    name: str
    length_h: float
    starts: tuple
    breaks: tuple = ()

    def __post_init__(self):
        if not self.length_h > 0:
            raise ValueError(f"shift {self.name!r}: length_h must be > 0, got {self.length_h}")
        if not self.starts:
            raise ValueError(f"shift {self.name!r}: give at least one start time")
        for s in self.starts:
            _minutes(s, f"shift {self.name!r} start")
        for off, mins in self.breaks:
            if not (0 <= off and off * 60 + mins <= self.length_h * 60 and mins > 0):
                raise ValueError(f"shift {self.name!r}: break ({off} h, {mins} min) does not "
                                 "fit inside the shift")


def _minutes(hhmm: str, what: str) -> int:
    try:
        t = dt.time.fromisoformat(hhmm)
    except (TypeError, ValueError):
        raise ValueError(f"{what} must be a time such as '08:30', got {hhmm!r}") from None
    return t.hour * 60 + t.minute


def standard_templates(lengths_h=(4, 6, 8), first_start: str = "08:00", last_end: str = "18:00",
                       step_min: int = 30, break_after_h: float = 4.0,
                       break_min: int = 30) -> list[ShiftTemplate]:
    """Shift templates of the given lengths starting every ``step_min`` inside opening hours.

    Shifts longer than ``break_after_h`` get one break of ``break_min`` minutes in the middle.

    Examples
    --------
    >>> [t.name for t in standard_templates((4, 8))]
    ['4h', '8h']
    >>> standard_templates((8,))[0].starts[:3], standard_templates((8,))[0].starts[-1]
    (('08:00', '08:30', '09:00'), '10:00')
    """
    first = _minutes(first_start, "first_start")
    last = _minutes(last_end, "last_end")
    out = []
    for length in lengths_h:
        latest = last - int(round(length * 60))
        if latest < first:
            raise ValueError(f"a {length} h shift does not fit between {first_start} and "
                             f"{last_end}")
        starts = tuple(f"{m // 60:02d}:{m % 60:02d}" for m in range(first, latest + 1, step_min))
        breaks = ((length / 2 - break_min / 120, break_min),) if length > break_after_h else ()
        out.append(ShiftTemplate(name=f"{length:g}h", length_h=float(length), starts=starts,
                                 breaks=breaks))
    return out


@dataclass(frozen=True)
class TempPolicy:
    """Terms of the temporary staff.

    Attributes
    ----------
    hourly_cost : float
        Cost of a paid hour (shift or training), in any currency.
    training_days : int
        Paid days of training before a temp's first shift.
    training_hours_per_day : float
        Paid hours of a training day.
    lead_time_days : int
        Days from the plan start before the first hires can start training.
    under_penalty_per_hour : float
        Cost of one agent-hour of requirement left uncovered; set it above the hourly
        cost so that covering is preferred.
    max_temps : int, optional
        Upper bound on temps hired.
    """

    hourly_cost: float = 25.0
    training_days: int = 0
    training_hours_per_day: float = 8.0
    lead_time_days: int = 0
    under_penalty_per_hour: float = 250.0
    max_temps: int | None = None

    def __post_init__(self):
        for name in ("hourly_cost", "training_hours_per_day", "under_penalty_per_hour"):
            value = getattr(self, name)
            if not (np.isfinite(value) and value >= 0):
                raise ValueError(f"{name} must be a number >= 0, got {value}")
        for name in ("training_days", "lead_time_days"):
            value = getattr(self, name)
            if int(value) != value or value < 0:
                raise ValueError(f"{name} must be a whole number of days >= 0, got {value}")
        if self.max_temps is not None and self.max_temps < 0:
            raise ValueError(f"max_temps must be >= 0, got {self.max_temps}")


@dataclass
class ShiftPlan:
    """The temporary-staff plan and what it covers."""

    shifts: pd.DataFrame  # date, shift, start, end, temps
    coverage: pd.DataFrame  # per interval: required, permanent, temps, staffed, under, over
    hires: pd.DataFrame  # per day: new temps, temps available, temps working
    summary: dict = field(default_factory=dict)


def plan_shifts(required: pd.Series, templates: list[ShiftTemplate], *,
                permanent: pd.Series | float = 0.0, policy: TempPolicy | None = None,
                time_limit_s: float = 60.0) -> ShiftPlan:
    """Cheapest set of temp shifts that covers ``required`` on top of the permanent team.

    Parameters
    ----------
    required : Series
        Agents to schedule per interval (after shrinkage), on a regular ``DatetimeIndex``.
    templates : list of ShiftTemplate
    permanent : Series or float
        Agents of the permanent team already rostered per interval (or a constant).
    policy : TempPolicy, optional
    time_limit_s : float
        Limit for the solver; the best plan found by then is returned (and says so).

    Returns
    -------
    ShiftPlan
        ``summary`` answers "how many temps, from which day, until which day, at what cost".

    Raises
    ------
    ValueError
        On negative requirements, no templates, or shifts that cannot start on any day.
    """
    policy = policy or TempPolicy()
    if not templates:
        raise ValueError("give at least one shift template")
    if not isinstance(required, pd.Series) or not isinstance(required.index, pd.DatetimeIndex):
        raise ValueError("required must be a Series of agents on a DatetimeIndex")
    req = v.nonnegative("required", required.to_numpy(dtype=float, na_value=np.nan))
    index = pd.DatetimeIndex(required.index)
    if len(index) < 2:
        raise ValueError("required needs at least two intervals")
    step_min = (index[1] - index[0]).total_seconds() / 60
    perm = np.broadcast_to(v.nonnegative("permanent", permanent.reindex(index).fillna(0).to_numpy()
                                         if isinstance(permanent, pd.Series) else permanent),
                           req.shape).astype(float)
    pos_of = {t: i for i, t in enumerate(index)}
    days = sorted(set(index.normalize()))
    first_work = policy.lead_time_days + policy.training_days

    # Columns of the coverage matrix: one per (day, template, start).
    cols: list = []
    rows_idx: list = []
    for d_i, day in enumerate(days):
        if d_i < first_work:
            continue
        for tpl in templates:
            off_phone = [(int(off * 60), int(off * 60 + mins)) for off, mins in tpl.breaks]
            for start in tpl.starts:
                t0 = day + pd.Timedelta(minutes=_minutes(start, "start"))
                slots = []
                n_slots = int(round(tpl.length_h * 60 / step_min))
                for k in range(n_slots):
                    minute = k * step_min
                    if any(a <= minute < b for a, b in off_phone):
                        continue
                    t = t0 + pd.Timedelta(minutes=minute)
                    if t in pos_of:
                        slots.append(pos_of[t])
                if not slots:
                    continue
                cols.append((d_i, tpl, start, t0))
                rows_idx.append(slots)
    if not cols and (req > perm).any():
        raise ValueError("no shift template can be placed in the planning window (check start "
                         "times, lead time and training days)")
    n_x, n_d, n_t = len(cols), len(days), len(req)
    # Variable order: x (shifts), h (hires per day), u (shortfall per interval).
    n_var = n_x + n_d + n_t
    interval_h = step_min / 60
    cost = np.concatenate([
        [c[1].length_h * policy.hourly_cost for c in cols],
        np.full(n_d, policy.training_days * policy.training_hours_per_day * policy.hourly_cost),
        np.full(n_t, policy.under_penalty_per_hour * interval_h)])
    # A tiny preference for hiring late and for shorter shifts breaks ties deterministically.
    cost[n_x:n_x + n_d] += 1e-6 * (n_d - np.arange(n_d))

    data, r_i, c_i = [], [], []
    for j, slots in enumerate(rows_idx):
        data.extend([1.0] * len(slots))
        r_i.extend(slots)
        c_i.extend([j] * len(slots))
    cover = sparse.csr_matrix((data, (r_i, c_i)), shape=(n_t, n_x))
    a_cover = sparse.hstack([cover, sparse.csr_matrix((n_t, n_d)), sparse.identity(n_t)])
    # Pool: sum_j x[d, j] - sum_{d' <= d} h[d'] <= 0
    day_of = np.array([c[0] for c in cols], dtype=int)
    pool_x = sparse.csr_matrix((np.ones(n_x), (day_of, np.arange(n_x))), shape=(n_d, n_x))
    pool_h = -sparse.csr_matrix(np.tril(np.ones((n_d, n_d))))
    a_pool = sparse.hstack([pool_x, pool_h, sparse.csr_matrix((n_d, n_t))])
    constraints = [optimize.LinearConstraint(a_cover, lb=req - perm, ub=np.inf),
                   optimize.LinearConstraint(a_pool, lb=-np.inf, ub=0.0)]
    if policy.max_temps is not None:
        cap = sparse.hstack([sparse.csr_matrix((1, n_x)), sparse.csr_matrix(np.ones((1, n_d))),
                             sparse.csr_matrix((1, n_t))])
        constraints.append(optimize.LinearConstraint(cap, lb=-np.inf, ub=policy.max_temps))
    upper = np.full(n_var, np.inf)
    upper[n_x:n_x + first_work] = 0.0  # no one can start before lead time + training
    integrality = np.concatenate([np.ones(n_x + n_d), np.zeros(n_t)])
    res = optimize.milp(cost, constraints=constraints, integrality=integrality,
                        bounds=optimize.Bounds(np.zeros(n_var), upper),
                        options={"time_limit": time_limit_s, "disp": False})
    if res.x is None:
        raise ValueError(f"the shift problem could not be solved: {res.message}")
    sol = np.round(res.x[:n_x + n_d]).astype(int)
    x, h = sol[:n_x], sol[n_x:]
    return _report(index, req, perm, cols, rows_idx, x, h, days, policy, interval_h,
                   optimal=res.status == 0, message=res.message)


def _report(index, req, perm, cols, rows_idx, x, h, days, policy, interval_h, *, optimal,
            message) -> ShiftPlan:
    temps = np.zeros(len(req))
    for j, slots in enumerate(rows_idx):
        if x[j]:
            temps[slots] += x[j]
    staffed = perm + temps
    under = np.maximum(req - staffed, 0)
    over = np.maximum(staffed - req, 0)
    coverage = pd.DataFrame({"required": req, "permanent": perm, "temps": temps,
                             "staffed": staffed, "under": under, "over": over}, index=index)
    shifts = pd.DataFrame([{"date": days[c[0]].date(), "shift": c[1].name, "start": c[3],
                            "end": c[3] + pd.Timedelta(hours=c[1].length_h), "temps": int(x[j])}
                           for j, c in enumerate(cols) if x[j] > 0],
                          columns=["date", "shift", "start", "end", "temps"])
    working = np.bincount([c[0] for j, c in enumerate(cols) for _ in range(int(x[j]))],
                          minlength=len(days))
    hires = pd.DataFrame({"new_temps": h, "temps_available": np.cumsum(h),
                          "temps_working": working},
                         index=pd.Index([d.date() for d in days], name="date"))
    shift_hours = float(sum(c[1].length_h * x[j] for j, c in enumerate(cols)))
    training_hours = float(h.sum() * policy.training_days * policy.training_hours_per_day)
    work_days = hires.index[hires["temps_working"] > 0]
    summary = {
        "temps_hired": int(h.sum()),
        "first_day": str(work_days[0]) if len(work_days) else None,
        "last_day": str(work_days[-1]) if len(work_days) else None,
        "peak_temps_in_a_day": int(working.max()) if len(working) else 0,
        "peak_staffed": float(staffed.max()),
        "temp_shift_hours": shift_hours,
        "temp_training_hours": training_hours,
        "temp_cost": (shift_hours + training_hours) * policy.hourly_cost,
        "uncovered_agent_hours": float(under.sum() * interval_h),
        "over_agent_hours": float(over.sum() * interval_h),
        "optimal": bool(optimal),
        "solver": str(message),
    }
    return ShiftPlan(shifts=shifts, coverage=coverage, hires=hires, summary=summary)
