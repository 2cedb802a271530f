"""From agents per interval to shifts and a temporary-staff plan, by integer programming.

Decision variables:

* ``x[d, j]`` temporary agents working shift ``j`` (a template at a start time) on day ``d``;
* ``h[d]`` temps whose first working day is ``d`` (ordered from the agency and trained
  before it), one per day on which a temp can first work;
* ``u[t]`` agents short in interval ``t`` (continuous, penalised);
* ``paid``, with a minimum contract, the temps' paid hours (continuous).

Constraints: coverage ``permanent_t + sum of shifts covering t + u_t >= required_t``
(a shift does not cover its breaks); each temp works at most one shift a day:
``sum_j x[d, j] <= sum_{d' <= d} h[d']``; and with a minimum contract of ``m`` hours,
``paid >= shift hours + training hours`` and ``paid >= m * sum_d h[d]``, over all temps
together (the hours short of the minimum are paid idle).

Days follow the line's calendar (`TempPolicy.working_days` and ``holidays``): temps work
only on working days, and the agency's lead time and the training count working days
from the day the agency can first be called. A temp can first work on the working day
after ``lead_time_days`` working days for the agency and ``training_days`` of training.

The cost is the paid hours of the shifts, the paid training of each hire, the contract
top-up and the penalty for uncovered agent-hours, minimised with HiGHS through
``scipy.optimize.milp``. The penalty keeps the problem feasible whatever is asked; the
plan reports what it could not cover, and ``summary["notes"]`` says why in plain words.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize, sparse

from tabular.days import days_of

from . import _validate as v
from .permanent import PermanentTeam, _as_date, _dates, _minutes, _weekdays


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


def _wall_clock(day: pd.Timestamp, minute: int) -> pd.Timestamp:
    """The instant a clock on the wall shows ``minute`` past midnight of ``day``.

    Not midnight plus the minutes: on the day the clocks change that lands an hour off.
    """
    at = day.tz_localize(None) + pd.Timedelta(minutes=minute)
    return at if day.tz is None else at.tz_localize(day.tz, ambiguous=True,
                                                    nonexistent="shift_forward")


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
    if not (isinstance(step_min, (int, np.integer)) and step_min > 0):
        raise ValueError(f"step_min must be a whole number of minutes > 0, got {step_min!r}")
    out = []
    for length in np.atleast_1d(v.positive("lengths_h", lengths_h)).tolist():
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
    """Terms of the temporary staff, and the calendar of the line they work on.

    Attributes
    ----------
    hourly_cost : float
        Cost of a paid hour (shift, training or contract top-up).
    training_days : int
        Paid working days of training before a temp's first shift.
    training_hours_per_day : float
        Paid hours of a training day.
    lead_time_days : int
        Working days the agency needs, from the day it is called, before training starts.
    under_penalty_per_hour : float
        Cost of one agent-hour of requirement left uncovered; set it above the hourly
        cost so that covering is preferred.
    max_temps : int, optional
        Upper bound on temps hired.
    working_days : tuple of int
        Weekdays the line works (Monday = 0; default Monday to Saturday). Temps work, train
        and are counted for lead time on these days only.
    holidays : tuple of datetime.date
        Days the line does not work although their weekday is a working day.
    order_from : datetime.date, optional
        First day the agency can be called. By default temps can work from the plan's
        first working day, and the order list says how early the agency must be called
        for that (lead time and training counted back in working days).
    min_contract_hours : float
        Paid hours each temp gets at least over the plan, shifts and training included;
        hours short of it are paid idle. The programme counts them over all temps
        together: exact when the shifts can be shared out so that each temp reaches the
        minimum, otherwise less than per-temp contracts would pay.
    currency : str
        Currency of the costs, for the summary and its notes.

    Examples
    --------
    >>> p = TempPolicy(working_days=[0, 1, 2, 3, 4], holidays=["2009-04-13"],
    ...                order_from="2009-04-09")
    >>> p.working_days, p.holidays, p.order_from
    ((0, 1, 2, 3, 4), (datetime.date(2009, 4, 13),), datetime.date(2009, 4, 9))
    """

    hourly_cost: float = 25.0
    training_days: int = 0
    training_hours_per_day: float = 8.0
    lead_time_days: int = 0
    under_penalty_per_hour: float = 250.0
    max_temps: int | None = None
    working_days: tuple = (0, 1, 2, 3, 4, 5)
    holidays: tuple = ()
    order_from: dt.date | None = None
    min_contract_hours: float = 0.0
    currency: str = "EUR"

    def __post_init__(self):
        for name in ("hourly_cost", "training_hours_per_day", "under_penalty_per_hour",
                     "min_contract_hours"):
            value = getattr(self, name)
            if not (np.isfinite(value) and value >= 0):
                raise ValueError(f"{name} must be a number >= 0, got {value}")
        for name in ("training_days", "lead_time_days"):
            value = getattr(self, name)
            if int(value) != value or value < 0:
                raise ValueError(f"{name} must be a whole number of days >= 0, got {value}")
        if self.max_temps is not None and self.max_temps < 0:
            raise ValueError(f"max_temps must be >= 0, got {self.max_temps}")
        object.__setattr__(self, "working_days", _weekdays(self.working_days, "working_days"))
        object.__setattr__(self, "holidays", _dates(self.holidays, "holidays"))
        if self.order_from is not None:
            object.__setattr__(self, "order_from", _as_date(self.order_from, "order_from"))
        if not isinstance(self.currency, str) or not self.currency.strip():
            raise ValueError(f"currency must be a name such as 'EUR', got {self.currency!r}")

    def works_on(self, day: dt.date) -> bool:
        """Whether ``day`` is a working day of the line.

        Examples
        --------
        >>> p = TempPolicy(holidays=(dt.date(2009, 4, 13),))
        >>> [p.works_on(dt.date(2009, 4, d)) for d in (11, 12, 13, 14)]  # Sat Sun Mon Tue
        [True, False, False, True]
        """
        return day.weekday() in self.working_days and day not in self.holidays


@dataclass(frozen=True)
class _Start:
    """A day on which temps can first work, and the dates leading to it."""

    pos: int  # position of the day in the plan
    day: dt.date
    order_by: dt.date
    training_start: dt.date


def _starts(policy: TempPolicy, dates: list[dt.date]) -> list[_Start]:
    """The plan's days on which a temp can first work, counting working days only."""
    order_from = policy.order_from or _earliest_order(policy, dates[0])
    span = (dates[-1] - order_from).days + 1
    work = [d for d in (order_from + dt.timedelta(days=k) for k in range(max(span, 0)))
            if policy.works_on(d)]
    pos = {d: i for i, d in enumerate(dates)}
    lead, train = policy.lead_time_days, policy.training_days
    return [_Start(pos[d], d, order_by=work[k - train - lead], training_start=work[k - train])
            for k, d in enumerate(work) if k >= lead + train and d in pos]


def _earliest_order(policy: TempPolicy, first: dt.date) -> dt.date:
    """The day to call the agency for temps who work from ``first``.

    Lead time and training are counted back in working days (the default when
    ``order_from`` is not set).
    """
    day, left = first, policy.lead_time_days + policy.training_days
    while left > 0:
        day -= dt.timedelta(days=1)
        left -= policy.works_on(day)
    return day


@dataclass(frozen=True)
class ExtraBlock:
    """Extra continuous variables and rows for the shift programme.

    Variables ``e`` and rows ``lb <= rows_x @ x + rows_e @ e <= ub`` are added to the shift
    programme, with ``cost @ e`` added to its objective and ``0 <= e <= upper``.
    """

    cost: np.ndarray
    upper: np.ndarray
    rows_x: sparse.spmatrix
    rows_e: sparse.spmatrix
    lb: np.ndarray
    ub: np.ndarray
    lower: np.ndarray | None = None  # lower bounds of ``e``; zeros when not given


@dataclass
class ShiftPlan:
    """The temporary-staff plan and what it covers."""

    shifts: pd.DataFrame  # date, shift, start, end, temps
    coverage: pd.DataFrame  # per interval: required, permanent, temps, staffed, under, over
    hires: pd.DataFrame  # per day: new temps, temps available, temps working
    summary: dict = field(default_factory=dict)
    # One row per group of temps who start on the same day: temps, order_by (the day to
    # call the agency), training_start (first_work_day when there is no training),
    # training_days, first_work_day, last_work_day; dates are datetime.date.
    orders: pd.DataFrame = field(default_factory=pd.DataFrame)


def plan_shifts(required: pd.Series, templates: list[ShiftTemplate], *,
                permanent: PermanentTeam | pd.Series | float = 0.0,
                policy: TempPolicy | None = None, time_limit_s: float = 60.0, goal=None,
                mip_gap: float = 1e-4, round_up: bool = False) -> ShiftPlan:
    """Cheapest set of temp shifts that covers ``required`` on top of the permanent team.

    Parameters
    ----------
    required : Series
        Agents to schedule per interval (after shrinkage), on a regular ``DatetimeIndex``.
    templates : list of ShiftTemplate
    permanent : PermanentTeam, Series or float
        The permanent team: a `staffing.permanent.PermanentTeam` (its shifts, days and
        cost), or the agents already rostered per interval (a number: in every interval),
        whose cost is then unknown and counted as 0.
    policy : TempPolicy, optional
    time_limit_s : float
        Limit for the solver; the best plan found by then is returned (and says so).
    goal : callable, optional
        ``goal(cover, permanent) -> ExtraBlock``: extra continuous variables and rows
        tied to the agents each shift puts on duty (``cover`` is the interval x shift
        0/1 matrix). The service goal of `staffing.goal` uses it.
    mip_gap : float
        Relative optimality gap at which the solver stops.
    round_up : bool
        Take the linear relaxation's shift counts rounded up (fast, within 1-2 % of the
        optimum when counts are in the hundreds) instead of the full branch and bound.

    Returns
    -------
    ShiftPlan
        ``orders`` lists when to call the agency for how many temps; ``summary`` answers
        "how many temps, from which day, until which day, at what cost", with the costs of
        the permanent team and in total, and ``notes``, sentences explaining the results
        that run against intuition.

    Raises
    ------
    ValueError
        On negative requirements, no templates, or shifts that cannot start on any day.

    Examples
    --------
    Two agents needed from 08:00 to 16:00 on Monday 20 April 2009, and a permanent agent
    08:00-16:00 on weekdays (30 minutes off at 11:45): temps fill the rest.

    >>> idx = pd.date_range("2009-04-20 08:00", "2009-04-20 18:00", freq="15min",
    ...                     inclusive="left")
    >>> need = pd.Series(0.0, idx)
    >>> need[idx.hour < 16] = 2.0
    >>> team = PermanentTeam.simple(1, "08:00", "16:00", hourly_cost=18.0)
    >>> plan = plan_shifts(need, [ShiftTemplate("8h", 8, ("08:00",)),
    ...                           ShiftTemplate("1h", 1, ("11:45",))],
    ...                    permanent=team, policy=TempPolicy(hourly_cost=20.0))
    >>> plan.shifts[["shift", "temps"]].values.tolist()
    [['8h', 1], ['1h', 1]]
    >>> s = plan.summary
    >>> s["permanent_cost"], s["temp_cost"], s["total_cost"], s["over_coverage_hours"]
    (144.0, 180.0, 324.0, 0.5)
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
    interval_h = step_min / 60
    if isinstance(permanent, PermanentTeam):
        perm = permanent.on_duty(index).to_numpy(dtype=float)
        perm_hours, perm_cost = permanent.paid_hours(index), permanent.cost(index)
    else:
        perm = np.broadcast_to(v.nonnegative(
            "permanent", permanent.reindex(index).fillna(0).to_numpy()
            if isinstance(permanent, pd.Series) else permanent), req.shape).astype(float)
        perm_hours, perm_cost = float(perm.sum() * interval_h), 0.0
    pos_of = {t: i for i, t in enumerate(index)}
    days = sorted(set(days_of(index)))
    dates = [d.date() for d in days]
    starts = _starts(policy, dates)
    first_pos = starts[0].pos if starts else len(days)
    shift_days = [d_i for d_i in range(first_pos, len(days)) if policy.works_on(dates[d_i])]

    # Columns of the coverage matrix: one per (day, template, start).
    cols: list = []
    rows_idx: list = []
    for d_i in shift_days:
        day = days[d_i]
        for tpl in templates:
            off_phone = [(int(off * 60), int(off * 60 + mins)) for off, mins in tpl.breaks]
            for start in tpl.starts:
                t0 = _wall_clock(day, _minutes(start, "start"))
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
                         "times, lead time, training days, working days and order_from)")
    n_x, n_h, n_t = len(cols), len(starts), len(req)
    training_h = policy.training_days * policy.training_hours_per_day
    lengths = np.array([c[1].length_h for c in cols])
    data, r_i, c_i = [], [], []
    for j, slots in enumerate(rows_idx):
        data.extend([1.0] * len(slots))
        r_i.extend(slots)
        c_i.extend([j] * len(slots))
    cover = sparse.csr_matrix((data, (r_i, c_i)), shape=(n_t, n_x))
    # Pool, per day with shifts: sum_j x[d, j] - sum_{start days <= d} h <= 0
    pool_row = {d_i: r for r, d_i in enumerate(shift_days)}
    n_pool = len(shift_days)
    day_of = np.array([pool_row[c[0]] for c in cols], dtype=int)
    pool_x = sparse.csr_matrix((np.ones(n_x), (day_of, np.arange(n_x))), shape=(n_pool, n_x))
    start_pos = np.array([s.pos for s in starts], dtype=int)
    pool_h = -sparse.csr_matrix((np.array(shift_days)[:, None] >= start_pos[None, :])
                                .astype(float).reshape(n_pool, n_h))
    contract = policy.min_contract_hours > 0
    # Variable order: x (shifts), h (hires per start day), u (shortfall per interval),
    # then, with a minimum contract, the temps' paid hours; a goal's variables come last.
    n_c = int(contract)
    n_var = n_x + n_h + n_t + n_c
    # With a contract the temps' pay is priced once, through their paid hours: at least
    # the shifts and training, and at least the minimum per temp. Pricing the shifts
    # and an idle top-up separately gives the same optimum, but HiGHS took up to ten
    # times as long to find it on three weeks at 15 minutes.
    pay = 0.0 if contract else policy.hourly_cost
    cost = np.concatenate([
        lengths * pay,
        np.full(n_h, training_h * pay),
        np.full(n_t, policy.under_penalty_per_hour * interval_h),
        np.full(n_c, policy.hourly_cost)])
    # A tiny preference for hiring late breaks ties deterministically: each temp is
    # hired on the first day they are needed.
    cost[n_x:n_x + n_h] += 1e-6 * (n_h - np.arange(n_h))
    a_cover = sparse.hstack([cover, sparse.csr_matrix((n_t, n_h)), sparse.identity(n_t),
                             sparse.csr_matrix((n_t, n_c))])
    a_pool = sparse.hstack([pool_x, pool_h, sparse.csr_matrix((n_pool, n_t + n_c))])
    constraints = [optimize.LinearConstraint(a_cover, lb=req - perm, ub=np.inf),
                   optimize.LinearConstraint(a_pool, lb=-np.inf, ub=0.0)]
    if policy.max_temps is not None:
        cap = sparse.hstack([sparse.csr_matrix((1, n_x)), sparse.csr_matrix(np.ones((1, n_h))),
                             sparse.csr_matrix((1, n_t + n_c))])
        constraints.append(optimize.LinearConstraint(cap, lb=-np.inf, ub=policy.max_temps))
    if contract:
        # shift hours + training hours - paid <= 0 and min_contract * temps - paid <= 0
        paid = sparse.csr_matrix(np.vstack([
            np.concatenate([lengths, np.full(n_h, training_h), np.zeros(n_t), [-1.0]]),
            np.concatenate([np.zeros(n_x), np.full(n_h, policy.min_contract_hours),
                            np.zeros(n_t), [-1.0]])]))
        constraints.append(optimize.LinearConstraint(paid, lb=-np.inf, ub=0.0))
    upper = np.full(n_var, np.inf)
    integrality = np.concatenate([np.ones(n_x + n_h), np.zeros(n_t + n_c)])
    lower = np.zeros(n_var)
    if goal is not None:
        block = goal(cover, perm)
        n_e = block.cost.size
        constraints = [optimize.LinearConstraint(
            sparse.hstack([c.A, sparse.csr_matrix((c.A.shape[0], n_e))]), c.lb, c.ub)
            for c in constraints]
        rows = block.rows_e.shape[0]
        constraints.append(optimize.LinearConstraint(
            sparse.hstack([block.rows_x, sparse.csr_matrix((rows, n_var - n_x)),
                           block.rows_e]), block.lb, block.ub))
        cost = np.concatenate([cost, block.cost])
        upper = np.concatenate([upper, block.upper])
        lower = np.concatenate([lower, np.zeros(n_e) if block.lower is None else block.lower])
        integrality = np.concatenate([integrality, np.zeros(n_e)])
        n_var += n_e
    options = {"time_limit": time_limit_s, "disp": False, "mip_rel_gap": mip_gap}
    if round_up:
        # Round the linear relaxation's shift counts up and keep them: with hundreds of
        # agents the relaxation is almost integral, and rounding up never loses coverage.
        # On the 2009 service-goal programme this costs 1-2 % more than the full search
        # and takes 0.1 s instead of 2-10 s; hires stay integral in the final solve.
        relaxed = optimize.milp(cost, constraints=constraints,
                                integrality=np.zeros_like(integrality),
                                bounds=optimize.Bounds(lower, upper), options=options)
        if relaxed.x is not None:
            lower, upper = lower.copy(), upper.copy()
            lower[:n_x] = upper[:n_x] = np.ceil(relaxed.x[:n_x] - 1e-6)
    res = optimize.milp(cost, constraints=constraints, integrality=integrality,
                        bounds=optimize.Bounds(lower, upper), options=options)
    if res.x is None:
        raise ValueError(f"the shift problem could not be solved: {res.message}")
    sol = np.round(res.x[:n_x + n_h]).astype(int)
    x, h = sol[:n_x], sol[n_x:]
    return _report(_Solved(index=index, req=req, perm=perm, perm_hours=perm_hours,
                           perm_cost=perm_cost, cols=cols, rows_idx=rows_idx, x=x, h=h,
                           days=days, starts=starts, policy=policy, interval_h=interval_h,
                           optimal=res.status == 0, message=str(res.message)))


@dataclass
class _Solved:
    """The programme's inputs and integer solution, as `_report` needs them."""

    index: pd.DatetimeIndex
    req: np.ndarray
    perm: np.ndarray
    perm_hours: float
    perm_cost: float
    cols: list
    rows_idx: list
    x: np.ndarray
    h: np.ndarray
    days: list
    starts: list
    policy: TempPolicy
    interval_h: float
    optimal: bool
    message: str


def _report(s: _Solved) -> ShiftPlan:
    p = s.policy
    n_d = len(s.days)
    dates = [d.date() for d in s.days]
    temps = np.zeros(len(s.req))
    for j, slots in enumerate(s.rows_idx):
        if s.x[j]:
            temps[slots] += s.x[j]
    staffed = s.perm + temps
    under = np.maximum(s.req - staffed, 0)
    over = np.maximum(staffed - s.req, 0)
    coverage = pd.DataFrame({"required": s.req, "permanent": s.perm, "temps": temps,
                             "staffed": staffed, "under": under, "over": over}, index=s.index)
    shifts = pd.DataFrame([{"date": dates[c[0]], "shift": c[1].name, "start": c[3],
                            "end": c[3] + pd.Timedelta(hours=c[1].length_h), "temps": int(s.x[j])}
                           for j, c in enumerate(s.cols) if s.x[j] > 0],
                          columns=["date", "shift", "start", "end", "temps"])
    working = np.bincount([c[0] for c in s.cols], weights=s.x, minlength=n_d).astype(int)
    new = np.zeros(n_d, dtype=int)
    for st, n in zip(s.starts, s.h, strict=True):
        new[st.pos] += n
    available = np.cumsum(new)
    hires = pd.DataFrame({"new_temps": new, "temps_available": available,
                          "temps_working": working}, index=pd.Index(dates, name="date"))
    orders = _orders(s.starts, s.h, working, dates, p.training_days)

    n_temps = int(s.h.sum())
    shift_hours = float(sum(c[1].length_h * s.x[j] for j, c in enumerate(s.cols)))
    training_hours = float(n_temps * p.training_days * p.training_hours_per_day)
    idle_hours = max(0.0, p.min_contract_hours * n_temps - shift_hours - training_hours)
    temp_cost = (shift_hours + training_hours + idle_hours) * p.hourly_cost
    over_hours = float(over.sum() * s.interval_h)
    work_days = hires.index[hires["temps_working"] > 0]
    summary: dict[str, Any] = {
        "temps_hired": n_temps,
        "first_day": str(work_days[0]) if len(work_days) else None,
        "last_day": str(work_days[-1]) if len(work_days) else None,
        "peak_temps_in_a_day": int(working.max()) if len(working) else 0,
        "peak_staffed": float(staffed.max()),
        "temp_shift_hours": shift_hours,
        "temp_training_hours": training_hours,
        "idle_paid_hours": idle_hours,
        "temp_shift_cost": shift_hours * p.hourly_cost,
        "temp_training_cost": training_hours * p.hourly_cost,
        "temp_idle_cost": idle_hours * p.hourly_cost,
        "temp_cost": temp_cost,
        "permanent_hours": s.perm_hours,
        "permanent_cost": s.perm_cost,
        "total_cost": s.perm_cost + temp_cost,
        "currency": p.currency,
        "uncovered_agent_hours": float(under.sum() * s.interval_h),
        "over_coverage_hours": over_hours,
        "over_agent_hours": over_hours,
        "optimal": bool(s.optimal),
        "solver": s.message,
    }
    summary["notes"] = _notes(s, temps, under, over, working, summary)
    return ShiftPlan(shifts=shifts, coverage=coverage, hires=hires, summary=summary,
                     orders=orders)


def _orders(starts, h, working, dates, training_days) -> pd.DataFrame:
    """One row per start day with hires.

    Temps are interchangeable in the programme; the earliest hired are taken to work
    first, so a group's last day is the last day more temps work than were hired before it.
    """
    rows, before = [], 0
    for st, n in zip(starts, h, strict=True):
        if n <= 0:
            continue
        busy = [i for i in range(st.pos, len(dates)) if working[i] > before]
        rows.append({"temps": int(n), "order_by": st.order_by,
                     "training_start": st.training_start, "training_days": training_days,
                     "first_work_day": st.day, "last_work_day": dates[busy[-1]] if busy else None})
        before += n
    return pd.DataFrame(rows, columns=["temps", "order_by", "training_start", "training_days",
                                       "first_work_day", "last_work_day"])


def _num(x: float) -> str:
    return f"{x:,.2f}".rstrip("0").rstrip(".")


def _day(d: dt.date) -> str:
    return f"{d:%a} {d.day} {d:%b %Y}"


def _day_off(d: dt.date, p: TempPolicy) -> str:
    return _day(d) + (" (holiday)" if d in p.holidays else "")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _listed(items: list[str], most: int = 4) -> str:
    """``"a, b and c"``, or ``"a, b, c and 2 more"`` past ``most`` items."""
    if len(items) > most:
        return ", ".join(items[:most]) + f" and {len(items) - most} more"
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _first_start_why(p: TempPolicy, first: dt.date, order_from: dt.date) -> str:
    """Why temps cannot work before ``first``, in the policy's own numbers."""
    if p.lead_time_days:
        why = f"the agency needs {_plural(p.lead_time_days, 'working day')} from {_day(order_from)}"
    else:
        why = f"the agency can be called from {_day(order_from)}"
    if p.training_days:
        why += f" and training takes {_plural(p.training_days, 'working day')} more"
    skipped = [order_from + dt.timedelta(days=k) for k in range((first - order_from).days)]
    skipped = [d for d in skipped if not p.works_on(d)]
    if skipped:
        why += (f"; {_listed([_day_off(d, p) for d in skipped], 3)} "
                f"{'does' if len(skipped) == 1 else 'do'} not count")
    return why


def _notes(s: _Solved, temps, under, over, working, summary) -> list[str]:
    """Sentences on the results that run against intuition, from the solution's numbers."""
    p, ih, cur = s.policy, s.interval_h, s.policy.currency
    dates = [d.date() for d in s.days]
    notes = []
    day_pos = pd.DatetimeIndex(s.days).get_indexer(days_of(s.index))
    coverable = np.zeros(len(s.req), dtype=bool)
    for slots in s.rows_idx:
        coverable[slots] = True
    first_pos = s.starts[0].pos if s.starts else len(dates)
    order_from = p.order_from or _earliest_order(p, dates[0])
    works = np.array([p.works_on(d) for d in dates])
    early = ~coverable & (day_pos < first_pos)
    closed = ~coverable & ~early & ~works[day_pos]
    outside = ~coverable & ~early & ~closed

    def hours(mask):
        return float(under[mask].sum() * ih)

    explained_first = hours(early) > 0
    if explained_first:
        if s.starts:
            notes.append(f"{_num(hours(early))} agent-hours before {_day(s.starts[0].day)} are "
                         "left uncovered: no temp can work earlier, as "
                         f"{_first_start_why(p, s.starts[0].day, order_from)}.")
        else:
            notes.append(f"{_num(hours(early))} agent-hours are left uncovered: no temp can "
                         f"start within the plan, as the agency can be called from "
                         f"{_day(order_from)} and needs {_plural(p.lead_time_days, 'working day')} "
                         f"plus {_plural(p.training_days, 'working day')} of training.")
    if hours(closed) > 0:
        off = sorted({dates[day_pos[t]] for t in np.flatnonzero(closed & (under > 0))})
        names = [_day_off(d, p) for d in off]
        notes.append(f"{_num(hours(closed))} agent-hours fall on days temps do not work "
                     f"({_listed(names)}) and are left uncovered.")
    if hours(outside) > 0:
        notes.append(f"{_num(hours(outside))} agent-hours fall outside the hours any shift "
                     "template covers and are left uncovered.")
    if hours(coverable) > 0:
        notes.append(_uncovered_note(s, hours(coverable), under, working, summary))

    temp_over = float(np.minimum(temps, over).sum() * ih)
    if temp_over > 0:
        shortest = min(c[1].length_h for c in s.cols)
        pen, cost = p.under_penalty_per_hour, p.hourly_cost
        note = (f"Temps are on duty {_num(temp_over)} paid agent-hours beyond the requirement: "
                "shifts are bought whole, so a shift is worth adding when the uncovered hours it "
                f"fills are worth more at the penalty of {_num(pen)} {cur} each than its paid "
                f"hours at {_num(cost)} {cur} each.")
        if pen > 0:
            note += (f" With the hourly cost at {cost / pen:.0%} of the penalty, a "
                     f"{_num(shortest)} h shift pays for itself once it fills "
                     f"{_num(shortest * cost / pen)} uncovered agent-hours (training aside): "
                     f"the number of temps ({summary['temps_hired']}) follows that ratio, not "
                     "only the peak requirement.")
        notes.append(note)
    perm_over = float(np.maximum(s.perm - s.req, 0).sum() * ih)
    if perm_over > 0:
        notes.append(f"The permanent team alone is on duty {_num(perm_over)} agent-hours beyond "
                     "the requirement; no temp plan can reduce that.")

    n_temps = summary["temps_hired"]
    # Temps working a single day all start that day: nothing to explain.
    if n_temps and np.count_nonzero(s.h) == 1 and np.count_nonzero(working) > 1:
        k = int(np.flatnonzero(s.h)[0])
        st = s.starts[k]
        who = {1: "The only temp starts", 2: "Both temps start"}.get(n_temps,
                                                                     f"All {n_temps} temps start")
        note = f"{who} on {_day(st.day)}"
        if k == 0:
            note += ", the first day a temp can work"
            if not explained_first:
                note += f" ({_first_start_why(p, st.day, order_from)})"
        need = int(working[st.pos])
        if need == n_temps and n_temps > 1:
            note += ("; that day already needs all of them and no later day needs more, so "
                     "there is no later day to spread the hiring over.")
        elif need == n_temps:
            note += "."
        else:
            note += (f"; {need} of them work that day and at most {int(working.max())} on "
                     "any day.")
        notes.append(note)
    if summary["idle_paid_hours"] > 0:
        paid = summary["temp_shift_hours"] + summary["temp_training_hours"]
        notes.append(f"The minimum contract of {_num(p.min_contract_hours)} paid hours per temp "
                     f"adds {_num(summary['idle_paid_hours'])} paid hours nobody works "
                     f"({_num(summary['temp_idle_cost'])} {cur}): "
                     + (f"the temp has {_num(paid)} hours of shifts and training."
                        if n_temps == 1 else
                        f"the {n_temps} temps have {_num(paid)} hours of shifts and training "
                        f"between them, {_num(paid / n_temps)} each on average."))
    if not s.optimal:
        notes.append(f"The solver stopped before proving this plan the cheapest ({s.message}).")
    return notes


def _uncovered_note(s: _Solved, uncovered_h: float, under, working, summary) -> str:
    """Why agent-hours that shifts could cover are left uncovered.

    The cap on temps, or no single extra shift saving more penalty than it costs (or, if
    one would, the solver's stopping rule).
    """
    p, cur = s.policy, s.policy.currency
    n_temps = summary["temps_hired"]
    if p.max_temps is not None and n_temps >= p.max_temps:
        return (f"{_num(uncovered_h)} agent-hours are left uncovered although shifts could cover "
                f"them: the cap of {p.max_temps} temps is reached.")
    training_h = p.training_days * p.training_hours_per_day
    fill = np.minimum(under, 1.0) * s.interval_h
    best: tuple | None = None
    for j, (d_i, tpl, start, _) in enumerate(s.cols):
        gain_h = float(fill[s.rows_idx[j]].sum())
        if gain_h <= 0:
            continue
        # Hires can move to an earlier day at no cost, so only a day that already uses
        # every temp hired needs one more.
        hire = bool(working[d_i] >= n_temps)
        temps = n_temps + hire
        worked = summary["temp_shift_hours"] + tpl.length_h + temps * training_h
        paid = worked + max(0.0, p.min_contract_hours * temps - worked)
        extra = paid * p.hourly_cost - summary["temp_cost"]
        net = gain_h * p.under_penalty_per_hour - extra
        if best is None or net > best[0]:
            best = (net, tpl.name, start, s.days[d_i].date(), gain_h, extra, hire)
    assert best is not None, "an uncovered interval some shift covers"
    net, name, start, day, gain_h, extra, hire = best
    penalty = gain_h * p.under_penalty_per_hour
    shift = f"{name} from {start} on {_day(day)}"
    pay = f"{_num(extra)} {cur} more pay" + (" (it needs one more temp)" if hire else "")
    if net <= 1e-6 * max(1.0, abs(extra)):
        return (f"{_num(uncovered_h)} agent-hours are left uncovered: covering them would need "
                f"shifts whose paid hours cost more than the penalty of "
                f"{_num(p.under_penalty_per_hour)} {cur} per uncovered hour. The best extra "
                f"shift ({shift}) would fill {_num(gain_h)} uncovered agent-hours "
                f"({_num(penalty)} {cur} of penalty) for {pay}.")
    return (f"{_num(uncovered_h)} agent-hours are left uncovered although an extra shift "
            f"({shift}) would fill "
            f"{_num(gain_h)} of them ({_num(penalty)} {cur} of penalty) for {pay}: the solver "
            "stopped at its optimality gap or time limit.")
