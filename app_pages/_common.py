"""Shared state and cached library calls for the app pages (no model code here)."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import sys
import tempfile
import threading
import types
from collections import OrderedDict
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

import pandas as pd
import streamlit as st

from app_pages.default_scenario import load_default
from app_pages.planning import capacity
from forecast import CallForecaster, CampaignResponse, validate_spots
from staffing.compare import compare_table
from tabular.days import day_starts, days_of, next_day_start
from tabular.times import option_of

TZ = "Europe/Rome"  # the 2009 line's zone; a fitted model brings its own (see `zone`)
RESOLUTIONS = {"5 min": "5min", "15 min": "15min", "30 min": "30min", "1 hour": "1h", "day": "1D"}
DEFAULTS = {
    "window_start": pd.Timestamp("2009-04-12").date(),
    "window_end": pd.Timestamp("2009-04-30").date(),
    "resolution": "15 min",
    "sl_pct": 80, "target_s": 20, "aht_s": 240, "patience_s": 120, "shrinkage_pct": 30,
    "queue_model": "erlang_a", "method": "mol", "staff_to": "mean", "max_occ_pct": 100,
    "max_abandon_pct": 0, "service_goal": "day", "sl_floor_pct": 0,
    "shift_lengths": [4, 6, 8], "open": "08:00", "close": "18:00", "permanent": 0,
    "permanent_start": "08:00", "permanent_end": "16:00", "permanent_cost": 22.0,
    "working_days": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat"], "currency": "EUR",
    "min_contract_hours": 0.0,
    "temp_cost": 25.0, "training_days": 1, "lead_time_days": 1, "under_penalty": 250.0,
    # The Campaign page's "Optimise schedule" panel (app_pages/optimise_panel.py).
    "opt_objective": "cost", "opt_grp_pct": 5.0, "opt_reach_pct": 5.0, "opt_max_per_day": None,
    "opt_blackout": False, "opt_blackout_from": pd.Timestamp("20:00").time(),
    "opt_blackout_to": pd.Timestamp("00:00").time(), "opt_time_limit_s": 60, "opt_fixed": [],
    "dates_in_files": "as the time zone writes them",
}
# How the numeric dates of uploaded files read (the readers' ``dayfirst``); one choice for
# every upload of the app, as the command line's --dayfirst/--monthfirst.
DATE_ORDERS = {"as the time zone writes them": None, "day first (20/04/2009)": True,
               "month first (04/20/2009)": False}


@st.cache_resource(show_spinner=False)
def default_model() -> tuple[CallForecaster, pd.DataFrame]:
    """The 2009 model and schedule, shipped fitted (see ``default_scenario``)."""
    return load_default()


def model_fingerprint(model: CallForecaster) -> str:
    """A digest of everything the model predicts from: cache keys use it, never a name."""
    text = json.dumps(model.to_dict(), sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def zone() -> str:
    """The app's clock: the current model's time zone (the one its calendar was fitted in)."""
    model = st.session_state.get("forecaster")
    return getattr(model, "tz", None) or TZ


def set_model(model: CallForecaster, name: str) -> None:
    """Make ``model`` the current forecaster, under a display name.

    The schedule is kept as local wall-clock times; when the new model lives in another zone
    the airings keep their instants, so their local times move with the zone.
    """
    old = zone()
    st.session_state["forecaster"] = model
    st.session_state["model_name"] = name
    new = zone()
    _window_for(model)
    spots = st.session_state.get("spots")
    if new != old and spots is not None and len(spots):
        moved = spots.copy()
        starts = pd.DatetimeIndex(moved["start"])
        moved["start"] = starts.tz_localize(old, ambiguous="NaT", nonexistent="NaT") \
            .tz_convert(new).tz_localize(None)
        st.session_state["spots"] = moved


def _window_for(model: CallForecaster) -> None:
    """A window more than a year from the model's history moves to the days after it.

    Such a window is another line's or another year's: the model's level says nothing of it.
    The move waits for the sidebar (`sidebar`), as the dates are widgets already drawn.
    """
    end = getattr(model, "history_end_", None)
    if end is None or "window_start" not in st.session_state:
        return
    start = pd.Timestamp(st.session_state["window_start"])
    first = (pd.Timestamp(end).tz_convert(model.tz).tz_localize(None)
             - pd.Timedelta(1, "ns")).normalize() + pd.Timedelta(days=1)
    if abs((start - first).days) > 366:
        days = pd.Timestamp(st.session_state["window_end"]) - start
        st.session_state["_window_moved"] = (first.date(), (first + days).date())


def current_model_key() -> str:
    """The current model's fingerprint, recomputed whenever the model object changes."""
    model = st.session_state["forecaster"]
    cached = st.session_state.get("_model_key")
    if cached is None or cached[0] is not model:
        cached = (model, model_fingerprint(model))
        st.session_state["_model_key"] = cached
    return cached[1]


def dates_choice(where=st) -> None:
    """The "Dates in the file" choice, beside an uploader (`read_upload` follows it)."""
    where.selectbox("Dates in the file", list(DATE_ORDERS), key="dates_in_files",
                    help="How numeric dates such as 04/05/2009 read. As the time zone writes "
                         "them: month first in US zones, day first elsewhere. ISO dates "
                         "(2009-05-04) read the same whatever is chosen.")


def read_upload(upload, reader, tz: str | None = None):
    """Read an uploaded CSV/Excel file with a picco reader (which names bad rows).

    Times without an offset are in ``tz`` (default: the app's clock, `zone`); numeric
    dates read as "Dates in the file" says (`dates_choice`).
    """
    tz = zone() if tz is None else tz
    dayfirst = DATE_ORDERS.get(st.session_state.get("dates_in_files"))
    suffix = "." + upload.name.rsplit(".", 1)[-1]
    with tempfile.NamedTemporaryFile(suffix=suffix) as tmp:
        tmp.write(upload.getvalue())
        tmp.flush()
        try:
            return reader(tmp.name, tz=tz, dayfirst=dayfirst)
        except ValueError as exc:  # name the file the planner chose, not the copy read
            text = str(exc).replace(repr(tmp.name), repr(upload.name)).replace(tmp.name,
                                                                               upload.name)
            for first, choice in ((True, "day first (20/04/2009)"),
                                  (False, "month first (04/20/2009)")):
                text = text.replace(f"give {option_of(first)}",
                                    f'choose "{choice}" under "Dates in the file"')
            raise ValueError(text) from None


def init_state() -> None:
    """Defaults on the first run; the spot schedule starts as the 2009 one."""
    model, spots = default_model()
    st.session_state["_run"] = st.session_state.get("_run", 0) + 1
    for key, value in DEFAULTS.items():
        # Re-assigning keeps a page's widget values alive while another page is shown.
        st.session_state[key] = st.session_state.get(key, value)
    if "spots" not in st.session_state:
        st.session_state["spots"] = editable(spots)
    if "forecaster" not in st.session_state:
        set_model(model, "2009 bonus elettrico (fitted)")
    st.session_state.setdefault("scenarios", {})


def editable(spots: pd.DataFrame) -> pd.DataFrame:
    """The schedule as the editor shows it: local wall-clock times, no time zone."""
    out = spots[["start", "channel", "grp"]].copy()
    out["start"] = pd.DatetimeIndex(out["start"]).tz_convert(zone()).tz_localize(None)
    return out.reset_index(drop=True)


def current_spots() -> pd.DataFrame:
    """The edited schedule, validated (raises ValueError with the row and column)."""
    raw = st.session_state["spots"].dropna(how="all")
    return validate_spots(raw, tz=zone())


def window_index(freq: str) -> pd.DatetimeIndex:
    start = pd.Timestamp(st.session_state["window_start"])
    end = pd.Timestamp(st.session_state["window_end"]) + pd.Timedelta(days=1)
    if end <= start:
        raise ValueError("the planning window must end after it starts")
    return _window(start, end, freq)


def _window(start, end, freq: str) -> pd.DatetimeIndex:
    """Interval starts from wall-clock ``start`` to ``end`` (excluded), in the model's zone.

    Days by their local dates, and times the clock skipped (a midnight in São Paulo) as
    the first time after the jump: some zones have days without a midnight.
    """
    start, end, tz = pd.Timestamp(start), pd.Timestamp(end), zone()
    if freq == "1D":
        days = pd.date_range(start.normalize(), end.normalize(), freq="D", inclusive="left")
        return day_starts(days, tz).rename("interval_start")
    start, end = (t.tz_localize(tz, ambiguous=True, nonexistent="shift_forward")
                  for t in (start, end))
    return pd.date_range(start, end, freq=freq, inclusive="left", name="interval_start")


@st.cache_data(show_spinner=False, max_entries=32)
def forecast(_model: CallForecaster, model_key: str, spots: pd.DataFrame, start, end,
             freq: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    idx = _window(start, end, freq)
    if len(idx) == 1:  # one day at daily resolution: the model reads the step from two rows
        two = pd.DatetimeIndex([idx[0], next_day_start(idx[0])], name="interval_start")
        return _model.predict(two, spots).iloc[:1], _model.decompose(two, spots).iloc[:1]
    return _model.predict(idx, spots), _model.decompose(idx, spots)


@st.cache_data(show_spinner=False, max_entries=8)
def reforecast(_model: CallForecaster, model_key: str, spots: pd.DataFrame,
               actuals: pd.DataFrame, freq: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.Timestamp]:
    """The last day of ``actuals``: plain forecast, the one given ``actuals``, and "now"."""
    times = pd.DatetimeIndex(actuals.index)
    times = times.tz_localize(_model.tz) if times.tz is None else times.tz_convert(_model.tz)
    now = times.max() + (times.to_series().diff().min() if len(times) > 1 else pd.Timedelta(freq))
    day = days_of([times.max()])[0]
    idx = pd.date_range(day, next_day_start(day), freq=freq, inclusive="left",
                        name="interval_start")
    return _model.predict(idx, spots), _model.predict(idx, spots, actuals=actuals), now


def current_forecast(freq: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    idx = window_index(freq)
    end = idx[-1] + (pd.DateOffset(days=1) if freq == "1D" else pd.Timedelta(freq))
    return forecast(st.session_state["forecaster"], current_model_key(), current_spots(),
                    idx[0].tz_localize(None), end.tz_localize(None), freq)


def plan_settings(state=None) -> dict:
    """The staffing settings from the widgets' state (``state``: any mapping, for tests)."""
    s = st.session_state if state is None else state
    return dict(period="15min", method=s["method"], model=s["queue_model"],
                patience_s=float(s["patience_s"]) if s["queue_model"] == "erlang_a" else None,
                sl_target=s["sl_pct"] / 100, target_s=float(s["target_s"]),
                shrinkage=s["shrinkage_pct"] / 100, staff_to=s["staff_to"],
                max_occupancy=None if s["max_occ_pct"] >= 100 else s["max_occ_pct"] / 100,
                max_abandon=(s["max_abandon_pct"] / 100 if s["max_abandon_pct"] and
                             s["queue_model"] == "erlang_a" else None),
                service_goal=s["service_goal"],
                sl_floor=(s["sl_floor_pct"] / 100 if s["sl_floor_pct"] and
                          s["service_goal"] != "interval" else None))


def shift_settings(state=None) -> dict:
    """The shift and temp settings from the widgets' state (``state``: any mapping)."""
    s = st.session_state if state is None else state
    return dict(lengths=tuple(sorted(s["shift_lengths"])), open=s["open"], close=s["close"],
                permanent=int(s["permanent"]), permanent_start=s["permanent_start"],
                permanent_end=s["permanent_end"], permanent_cost=float(s["permanent_cost"]),
                working_days=tuple(WEEKDAYS.index(d) for d in s["working_days"]),
                currency=s["currency"], min_contract_hours=float(s["min_contract_hours"]),
                temp_cost=float(s["temp_cost"]),
                training_days=int(s["training_days"]), lead_time_days=int(s["lead_time_days"]),
                under_penalty=float(s["under_penalty"]))


WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


# How long a page waits for a plan before it shows the previous one, marked as updating,
# and lets the plan finish in the background (the page reruns when it is ready).
PLAN_WAIT_S = float(os.environ.get("PICCO_PLAN_WAIT_S", "0.05"))
_JOBS_KEPT = 32


def worker_process(start_job, *args) -> ProcessPoolExecutor:
    """A one-worker process pool, started now by running ``start_job(*args)`` in it.

    A process, not a thread: planning is mostly Python (the simulation), and in a thread it
    would hold the interpreter lock while the page redraws.
    """
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["app_pages.planning"])
    pool = ProcessPoolExecutor(max_workers=1, mp_context=context)
    # multiprocessing re-imports the parent's ``__main__`` in a new worker (whatever script
    # launched the app, or a test); the worker needs only the planning module, so it is
    # started while ``__main__`` is a blank module.
    real_main = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        pool.submit(start_job, *args)  # starts the worker now, not on a page
    finally:
        sys.modules["__main__"] = real_main
    return pool


@st.cache_resource
def _planner() -> dict:
    """One planning process for every session; jobs are keyed by a digest of their inputs."""
    pool = worker_process(capacity, None, 0.0, {}, {})
    return {"pool": pool, "jobs": OrderedDict(), "lock": threading.Lock()}


def _inputs_key(volume: pd.DataFrame, *rest) -> str:
    digest = hashlib.sha256(pd.util.hash_pandas_object(volume, index=True).to_numpy().tobytes())
    digest.update(json.dumps(rest, sort_keys=True, default=str).encode())
    return digest.hexdigest()


def _plan_job(args: tuple) -> Future:
    planner = _planner()
    key = _inputs_key(*args)
    with planner["lock"]:
        jobs = planner["jobs"]
        if key not in jobs:
            jobs[key] = planner["pool"].submit(capacity, *args)
            while len(jobs) > _JOBS_KEPT:
                jobs.popitem(last=False)
        jobs.move_to_end(key)
        return jobs[key]


@st.fragment(run_every=0.5)
def _rerun_when_ready(job: Future) -> None:
    if job.done():
        st.rerun(scope="app")


def current_capacity(wait: bool = False):
    """The capacity plan for the current schedule and settings (forecast at 5 minutes).

    Planning takes one to three seconds; a page waits ``PLAN_WAIT_S`` for it, then shows
    the session's previous plan, says so, and reruns once the new one is ready. Pages that
    keep or hand out the plan (saving a scenario, exporting) pass ``wait=True``.
    """
    fc, _ = current_forecast("5min")
    job = _plan_job((fc, float(st.session_state["aht_s"]), plan_settings(), shift_settings()))
    try:
        plan = job.result(timeout=None if wait else PLAN_WAIT_S)
    except FutureTimeout:
        last = st.session_state.get("last_plan")
        if last is None:
            with st.spinner("Planning staff and shifts..."):
                plan = job.result()
        else:
            st.info("Updating the plan for your last change; until then the figures below "
                    "are the previous plan's.", icon=":material/hourglass_top:")
            st.session_state["_previous_plan_in"] = st.session_state["_run"]
            if st.session_state.get("_polled_in") != st.session_state["_run"]:
                st.session_state["_polled_in"] = st.session_state["_run"]  # one poller a run
                _rerun_when_ready(job)
            return last
    st.session_state["last_plan"] = plan
    return plan


def showing_previous_plan() -> bool:
    """True when this run's plan is the previous one, shown while the new one is computed."""
    return st.session_state.get("_previous_plan_in") == st.session_state["_run"]


def capacity_or_warning(wait: bool = False):
    """The plan, or None with a warning when its settings make none (the page carries on).

    Only the page where the settings are edited shows the error itself.
    """
    current_forecast("5min")  # a bad schedule or window is this page's error
    try:
        return current_capacity(wait)
    except ValueError as exc:
        st.warning(f"The staffing and shift plan is unavailable: {exc}. Fix it on the "
                   "Staffing or Temporary staff page.")
        return None


def store_scenario(name: str, plan, *, settings: dict, shifts: dict, airings: int,
                   aht_s: float, window: tuple | None = None) -> bool:
    """Keep ``plan`` as a scenario of the Compare page; True when it replaced one.

    The name and currency are checked against the saved scenarios first, so a scenario that
    cannot be compared never gets in the way of the others. ``window`` (first and last day)
    defaults to the current planning window.
    """
    name = name.strip()
    if not name:
        raise ValueError("the scenario name must be some text, got an empty name")
    saved = st.session_state["scenarios"]
    compare_table({**{k: v["plan"] for k, v in saved.items()}, name: plan})
    replaced = name in saved
    saved[name] = {"plan": plan, "settings": settings, "shifts": shifts, "airings": airings,
                   "aht_s": aht_s,
                   "window": window or (st.session_state["window_start"],
                                        st.session_state["window_end"]),
                   "forecast_model": st.session_state["model_name"]}
    return replaced


def response_json(model: CallForecaster) -> str:
    assert model.response is not None
    return model.response.to_json()


def model_from_response(text: str) -> CallForecaster:
    """A forecaster with the 2009 baseline and an uploaded campaign response."""
    response = CampaignResponse.from_json(text)
    base, _ = default_model()
    model = CallForecaster.from_dict(base.to_dict())
    model.response = response
    return model


def guard(fn):
    """Run a page body; user mistakes become an error box, the page keeps working."""
    try:
        fn()
    except (ValueError, json.JSONDecodeError, KeyError) as exc:
        st.error(f"{exc}")


def sidebar() -> None:
    with st.sidebar:
        st.header("Planning window")
        moved = st.session_state.pop("_window_moved", None)
        if moved is not None:
            st.session_state["window_start"], st.session_state["window_end"] = moved
            st.caption("Moved to the days after the new model's history: the window was more "
                       "than a year away from it.")
        st.date_input("From", key="window_start")
        st.date_input("To (inclusive)", key="window_end")
        st.caption(f"Forecast model: {st.session_state['model_name']}")
